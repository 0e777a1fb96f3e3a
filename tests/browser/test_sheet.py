"""The orientation sheet in a real browser: services picked on their pages gather on the
sheet (localStorage), a removal sticks, and the print button exists only with JavaScript."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE


@pytest.fixture
def page(chromium: Browser, site):
    context = chromium.new_context(viewport=PHONE, locale="it-IT")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def test_services_added_from_their_pages_gather_on_the_sheet(page: Page, site: str):
    page.goto(f"{site}/it/services/LPT-001/")
    expect(page.locator("button[data-print]")).to_be_visible()
    page.locator("a[data-sheet-add]").click()
    expect(page.locator("#sheet-list li")).to_have_count(1)
    page.goto(f"{site}/it/services/LPT-002/")
    page.locator("a[data-sheet-add]").click()
    items = page.locator("#sheet-list li")
    expect(items).to_have_count(2)
    expect(items.first).to_have_attribute("data-code", "LPT-001")
    items.first.get_by_role("link", name="Rimuovi").click()
    expect(page.locator("#sheet-list li")).to_have_count(1)
    page.goto(f"{site}/it/sheet/")  # the stored selection comes back
    expect(page.locator("#sheet-list li")).to_have_attribute("data-code", "LPT-002")


def test_without_javascript_the_print_button_stays_hidden(chromium: Browser, site: str):
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/it/services/LPT-001/")
    expect(page.locator("button[data-print]")).to_be_hidden()
    page.locator("a[data-sheet-add]").click()
    expect(page.locator("#sheet-list li")).to_have_count(1)
    context.close()
