"""The public site in a real browser on a 360×740 phone screen, with no tile server."""

import json

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE, loaded, serious_violations


@pytest.fixture
def page(chromium: Browser, site):
    # bypass_csp only so that the test can inject axe-core; the site's own scripts obey it.
    context = chromium.new_context(viewport=PHONE, locale="it-IT", bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def settled(page: Page) -> None:
    """Wait until the map neither moves (popup auto-pan, zoom) nor loads markers: map.js
    sets aria-busy meanwhile. A click on a marker that is sliding under the pointer, or
    that is being replaced, lands on the map instead (the test's old flakiness)."""
    expect(page.locator("#map")).to_be_visible()
    expect(page.locator("#map")).not_to_have_attribute("aria-busy", "true")


def test_find_a_service_from_home_through_the_map(page: Page, site: str):
    page.goto(f"{site}/it/")
    page.get_by_role("link", name="Casa e accoglienza").click()
    loaded(page, r"/it/categories/[\w-]+/$")
    expect(page.get_by_role("heading", level=1)).to_have_text("Casa e accoglienza")
    assert page.locator("li.card").count() == 7
    page.get_by_role("link", name="Mappa", exact=True).click()
    clusters = page.locator(".pt-cluster")
    expect(clusters.first).to_be_visible()
    settled(page)
    # Most housing services share the centre of Lodi: their cluster lists them.
    clusters.first.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_be_visible()
    links = popup.locator("li a")
    expect(links.first).to_be_visible()
    assert links.count() >= 2
    assert links.first.locator("bdi[dir=auto][lang=it]").count() == 1
    settled(page)
    page.locator(".leaflet-popup-close-button").click()
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    # A single marker (a service outside Lodi) selects its entry in the list. The popup's
    # auto-pan may have moved it to the map's edge, under the attribution or past it: the
    # keyboard reaches it wherever it is (taps on markers: tests/browser/test_map_script.py).
    marker = page.locator(".pt-marker").first
    expect(marker).to_be_attached()
    marker.focus()
    page.keyboard.press("Enter")
    selected = page.locator("li.card.is-selected")
    expect(selected).to_have_count(1)
    expect(selected).to_have_attribute("aria-current", "true")
    page.locator("#map").scroll_into_view_if_needed()
    settled(page)
    popup.locator("a").first.click()
    expect(page.locator("h2", has_text="Dove")).to_be_visible()
    assert "/it/services/LPT-" in page.url


def test_pages_work_without_javascript(chromium: Browser, site: str):
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/it/services/map/")
    expect(page.locator("#map")).to_be_hidden()  # the map needs JS; the list does not
    assert page.locator("li.card").count() == 50  # one page, as on the list
    expect(page.locator("nav.pager a[rel=next]")).to_be_visible()
    # Controls that need JS stay hidden, and a sentence says why there is no map.
    expect(page.locator("#near-me")).to_be_hidden()
    assert page.locator(".show-on-map").count() == 50
    assert page.locator(".show-on-map:visible").count() == 0
    expect(page.locator("noscript p.note")).to_be_visible()
    page.locator("nav.pager a[rel=next]").click()
    loaded(page, r"[?&]page=2\b")
    assert page.locator("li.card").count() == 20
    page.goto(f"{site}/it/services/")
    page.locator("details.filters summary").click()
    page.get_by_label("Bisogno").select_option("health")
    page.get_by_role("button", name="Applica i filtri").click()
    loaded(page, r"[?&]category=health\b")
    assert page.locator("li.card").count() == 8  # "Salute" and "salute" are one category
    context.close()


def test_language_switcher_keeps_the_page(page: Page, site: str):
    page.goto(f"{site}/it/services/LPT-013/")
    page.locator("details.lang summary").click()
    page.get_by_role("link", name="English").click()
    assert page.url.endswith("/en/services/LPT-013/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="What to bring")).to_be_visible()


@pytest.mark.parametrize(
    "path",
    [
        "/it/",
        "/it/services/",
        "/it/services/map/",
        "/it/services/LPT-013/",
        "/en/services/LPT-062/",
    ],
)
def test_no_serious_accessibility_violations(page: Page, site: str, path: str):
    page.goto(site + path)
    page.wait_for_load_state("load")
    violations = serious_violations(page)
    assert violations == [], json.dumps(violations, indent=1)


def test_touch_targets_are_at_least_44_pixels(page: Page, site: str):
    page.goto(f"{site}/it/services/")
    small = page.evaluate(
        """() => [...document.querySelectorAll(
                 'main a.btn, main button, .sos a, footer a, .toggle a, input, select')]
            .filter(e => e.offsetParent !== null)
            .map(e => e.type === 'checkbox' ? e.closest('label') : e)  // the label is the target
            .map(e => [e.outerHTML.slice(0, 60), e.getBoundingClientRect().height])
            .filter(([, h]) => h < 44)"""
    )
    assert small == []


def test_suggestions_while_typing(page: Page, site: str):
    page.goto(f"{site}/it/")
    page.locator("#q").press_sequentially("dormit", delay=30)
    options = page.locator("#q-suggestions option")
    expect(options.first).to_be_attached(timeout=5000)
    assert options.count() >= 1
