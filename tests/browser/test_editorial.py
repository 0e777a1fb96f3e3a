"""The editorial loop in a real browser on a 360×740 phone screen: an editor changes the
opening hours of a service; the public page keeps the old hours until a reviewer approves;
then it shows the new ones, verified today. And the public report form in Arabic."""

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, expect

from pertutti.accounts.models import Role
from pertutti.directory.models import Service
from pertutti.editorial.models import ErrorReport, RevisionStatus, ServiceRevision
from pertutti.territories.models import Territory
from tests.browser.conftest import PHONE, loaded, serious_violations
from tests.browser.conftest import sign_in_browser as sign_in
from tests.staff import make_person

CODE = "LPT-013"  # Patronato INCA CGIL: "Lunedì e giovedì 14-17"


def public_hours(chromium: Browser, site: str) -> str:
    """The service page as a resident sees it, in a fresh browser (no cached copy)."""
    context = chromium.new_context(viewport=PHONE, locale="it-IT")
    page = context.new_page()
    page.goto(f"{site}/it/services/{CODE}/")
    text = page.locator("table.hours").inner_text() + "\n" + page.locator(".meta").inner_text()
    context.close()
    return text


@pytest.fixture
def people(site):
    lodi = Territory.objects.get(slug="lodi")
    service = Service.objects.get(code=CODE)
    editor = make_person("eleonora", lodi, Role.EDITOR, organizations=[service.organization])
    reviewer = make_person("riccardo", lodi, Role.REVIEWER)
    device = TOTPDevice.objects.create(user=reviewer, name="phone", confirmed=True)
    return editor, reviewer, device


def test_a_change_of_hours_is_published_once_a_reviewer_approves_it(
    chromium: Browser, site, people
):
    editor, reviewer, device = people
    before = public_hours(chromium, site)
    assert "14:00" in before and "08:30" not in before

    context = chromium.new_context(viewport=PHONE, locale="it-IT", bypass_csp=True)
    page = context.new_page()
    sign_in(page, site, editor.username)
    page.goto(f"{site}/it/manage/services/{CODE}/edit/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_violations(page) == []
    page.fill("input[name=hours-0-opens]", "08:30")
    page.fill("input[name=hours-0-closes]", "12:30")
    page.locator("button[name=save]").click()
    # Waiting for the answer's own message: the test reads the database only once it is sent.
    expect(page.locator("main p.note[role=status]")).to_contain_text("Inviata in revisione")
    assert ServiceRevision.objects.get().status == RevisionStatus.PENDING  # sent for review
    assert "08:30" not in public_hours(chromium, site)  # the public keeps the published hours

    reviewer_context = chromium.new_context(viewport=PHONE, locale="it-IT")
    reviewer_page = reviewer_context.new_page()
    sign_in(reviewer_page, site, reviewer.username, device)
    reviewer_page.goto(f"{site}/it/manage/reviews/")
    revision = ServiceRevision.objects.get()
    reviewer_page.locator(f"main a[href='/it/manage/reviews/{revision.pk}/']").first.click()
    loaded(reviewer_page, rf"/manage/reviews/{revision.pk}/$")
    expect(reviewer_page.locator("main")).to_contain_text("08:30")  # the diff shows the hours
    assert reviewer_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    reviewer_page.locator("form.review-form button[type=submit]").first.click()
    expect(reviewer_page.locator("main p.note[role=status]")).to_contain_text("Approvata")
    assert ServiceRevision.objects.get().status == RevisionStatus.APPROVED

    after = public_hours(chromium, site)
    assert "08:30" in after and "12:30" in after
    today = timezone.localdate()
    assert str(today.year) in after and str(today.day) in after  # "verified on" today
    reviewer_context.close()
    context.close()


def test_a_resident_reports_an_error_in_arabic(chromium: Browser, site):
    context = chromium.new_context(viewport=PHONE, locale="ar", bypass_csp=True)
    page = context.new_page()
    page.goto(f"{site}/ar/services/{CODE}/")
    page.locator(f"a[href='/ar/services/{CODE}/report/']").click()
    loaded(page, rf"/ar/services/{CODE}/report/$")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_violations(page) == []
    page.locator("input[name=kind][value=hours]").check()
    page.fill("textarea[name=text]", "مغلق يوم الخميس")
    page.locator("main form button[type=submit]").click()
    # The thanks page, fully loaded: no request is still running when the test reads the rows.
    expect(page.locator("h1")).to_have_text("شكرًا لك: تم إرسال بلاغك")
    page.wait_for_load_state("load")
    assert context.cookies() == []  # no cookie, no session
    report = ErrorReport.objects.get()
    assert (report.kind, report.text, report.language) == ("hours", "مغلق يوم الخميس", "ar")
    context.close()
