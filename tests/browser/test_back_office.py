"""The back office in a real browser on a 360×740 phone screen: an administrator invites an
Arabic translator who then finds the Arabic queue; the import of the spreadsheet with a
misspelt municipality; no serious accessibility violation on the back-office pages."""

import csv
import json
import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, expect

from pertutti.accounts.models import Role
from pertutti.directory.models import Service
from pertutti.territories.models import Territory
from tests.browser.conftest import PHONE, loaded, serious_violations
from tests.browser.conftest import sign_in_browser as sign_in
from tests.conftest import DEMO_CSV
from tests.staff import make_person


@pytest.fixture
def context(chromium: Browser, site):
    # bypass_csp only so that the test can inject axe-core; the site's own pages obey it.
    context = chromium.new_context(viewport=PHONE, locale="it-IT", bypass_csp=True)
    yield context
    context.close()


@pytest.fixture
def administrator(site):
    user = make_person("giulia", Territory.objects.get(slug="lodi"), Role.ADMINISTRATOR)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user, device


def test_an_administrator_invites_a_translator_who_finds_the_arabic_queue(
    context, site, administrator, mailoutbox
):
    user, device = administrator
    page = context.new_page()
    sign_in(page, site, user.username, device)
    page.goto(f"{site}/it/manage/people/invite/")
    page.fill("#id_email", "samira@example.org")
    page.locator("input[name=roles][value=translator]").check()
    page.locator("input[name=languages][value=ar]").check()
    page.locator("#id_language").select_option("ar")
    page.locator("main form.settings-form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("samira@example.org")
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/invitation/\S+/", mailoutbox[0].body).group(0)
    assert link.startswith(f"{site}/ar/")  # the person's language

    invited = context.browser.new_context(viewport=PHONE)
    other = invited.new_page()
    other.goto(link)
    expect(other.locator("html")).to_have_attribute("dir", "rtl")
    other.fill("#id_name", "Samira Haddad")
    other.fill("#id_password1", "a long enough passphrase 42")
    other.fill("#id_password2", "a long enough passphrase 42")
    other.locator("main form.stack button[type=submit]").click()
    expect(other).to_have_url(re.compile(r"/ar/manage/"))
    # The back office leads the translator to the workspace, and on to the Arabic queue.
    other.locator("main a[href='/ar/translate/']").first.click()
    other.locator("main a[href='/ar/translate/ar/']").first.click()
    loaded(other, r"/ar/translate/ar/$")
    expect(other.locator("h1")).to_have_text("العربية")
    assert other.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The same link does not work twice.
    again = invited.new_page()
    assert again.goto(link).status in (400, 404)
    invited.close()


BACK_OFFICE_PAGES = [
    "/it/manage/",
    "/it/manage/people/",
    "/it/manage/people/invite/",
    "/it/manage/organizations/",
    "/it/manage/settings/",
    "/it/manage/activity/",
    "/it/manage/needs/",
    "/it/manage/reviews/",
    "/it/manage/reports/errors/",
    "/it/manage/services/LPT-013/",
    "/it/manage/services/LPT-013/edit/",
    "/ar/manage/services/LPT-013/edit/",
    "/it/manage/import/",
    "/ar/manage/",
    "/ar/manage/people/",
]


def test_no_serious_accessibility_violations_and_nothing_wider_than_the_phone(
    context, site, administrator
):
    user, device = administrator
    page = context.new_page()
    sign_in(page, site, user.username, device)
    for path in BACK_OFFICE_PAGES:
        response = page.goto(site + path)
        assert response.status == 200, path
        violations = serious_violations(page)
        assert violations == [], (path, json.dumps(violations, indent=1))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path


def spreadsheet_with_a_misspelt_municipality(folder) -> str:
    """The demo file, one row of which names "Casalpusterlengho" for Casalpusterlengo, plus
    a new service (a copy of that row with a new code) so that the report has news."""
    rows = list(csv.DictReader(DEMO_CSV.open(encoding="utf-8")))
    index = next(i for i, row in enumerate(rows) if row["comune"] == "Casalpusterlengo")
    rows[index]["comune"] = "Casalpusterlengho"
    rows.append({**rows[index], "codice": "LPT-900", "servizio": "Sportello di prova"})
    path = folder / "mappatura.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def test_an_administrator_imports_the_spreadsheet_accepting_a_suggestion(
    context, site, administrator, tmp_path
):
    user, device = administrator
    page = context.new_page()
    sign_in(page, site, user.username, device)
    page.goto(f"{site}/it/manage/import/")
    page.set_input_files("input[type=file]", spreadsheet_with_a_misspelt_municipality(tmp_path))
    page.locator("main form[enctype] button[type=submit]").click()
    # The check writes nothing and proposes the known name.
    suggestion = page.locator("input[name=accept]")
    expect(suggestion).to_have_count(2)  # the row and its copy
    assert "Casalpusterlengo" in page.locator("main").inner_text()
    assert Service.objects.count() == 70
    suggestion.first.check()
    suggestion.nth(1).check()
    page.locator("form[action$='/corrections/'] button[type=submit]").click()
    # The same address as before: the button shows the new page came, then it loads whole.
    expect(page.locator("form[action$='/import/'] button[type=submit]")).to_be_visible()
    page.wait_for_load_state("load")
    assert "LPT-900" in page.locator("main").inner_text()
    page.locator("form[action$='/import/'] button[type=submit]").click()
    # The import's own answer (the check page has a status note too): then the rows are there.
    expect(page.locator("main p.note[role=status]")).to_contain_text("Importato")
    page.wait_for_load_state("load")
    assert Service.objects.filter(code="LPT-900").exists()
    assert Service.objects.count() == 71
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
