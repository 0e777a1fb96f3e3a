"""The translators' workspace on a 360 px phone, in Italian and Arabic: an administrator sees
every language (the widest dashboard and glossary); nothing is wider than the screen, and no
serious accessibility violation."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser

from pertutti.accounts.models import Role
from pertutti.directory.models import Service
from pertutti.territories.models import Territory
from pertutti.translations.models import SourceText
from pertutti.translations.services import translation_save
from tests.browser.conftest import PHONE, serious_violations, sign_in_browser
from tests.staff import make_person


@pytest.fixture
def administrator(site):
    user = make_person("giulia", Territory.objects.get(slug="lodi"), Role.ADMINISTRATOR)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user, device


@pytest.fixture
def draft(site) -> SourceText:
    """A draft like the demo's imported ones, so that the editor shows its status line."""
    service = Service.objects.get(code="LPT-013")
    source = SourceText.objects.get(
        content_type=ContentType.objects.get_for_model(Service),
        object_id=service.pk,
        field="description",
    )
    translation_save(
        source=source,
        language="ar",
        text="نص تجريبي طويل بما يكفي ليلتف على شاشة الهاتف الصغيرة دون أن يتجاوز عرضها.",
        status="draft",
        translator_name="demo translation, not reviewed",
    )
    return source


@pytest.mark.parametrize("language", ["it", "ar"])
def test_the_workspace_fits_a_phone(chromium: Browser, site, administrator, draft, language):
    user, device = administrator
    # bypass_csp only so that the test can inject axe-core; the site's own pages obey it.
    context = chromium.new_context(viewport=PHONE, bypass_csp=True)
    try:
        page = context.new_page()
        sign_in_browser(page, site, user.username, device)
        for path in ["", "glossary/", "ar/", f"ar/{draft.pk}/", "zh-hans/"]:
            url = f"{site}/{language}/translate/{path}"
            assert page.goto(url).status == 200, url
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
            violations = serious_violations(page)
            assert violations == [], (url, json.dumps(violations, indent=1))
        assert page.locator("html").get_attribute("lang") == language
    finally:
        context.close()
