"""Right-to-left layout as a browser draws it (Arabic and Urdu), on a phone screen."""

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import PHONE

LTR_ORDER = """e => { const t = e.firstChild, r = document.createRange(), xs = [];
  for (let i = 0; i < t.length; i++) { r.setStart(t, i); r.setEnd(t, i + 1);
    if (t.data[i] !== ' ') xs.push(r.getBoundingClientRect().x); }
  return xs.every((x, i) => i === 0 || x > xs[i - 1]); }"""


@pytest.mark.parametrize("language", ["ar", "ur"])
def test_layout_is_mirrored_and_numbers_stay_left_to_right(chromium: Browser, site, language):
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site}/{language}/services/LPT-066/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    # The site name sits at the right edge, the language menu at the left.
    brand = page.locator(".brand a").bounding_box()
    menu = page.locator("details.lang summary").bounding_box()
    assert brand["x"] + brand["width"] > PHONE["width"] - 40
    assert menu["x"] < 120
    # Phone numbers read left to right inside right-to-left text.
    assert page.locator(".sos strong").nth(2).evaluate(LTR_ORDER)
    assert page.locator(".contacts .ltr").first.evaluate(LTR_ORDER)
    # Breadcrumb separators point the reading way.
    separator = page.evaluate(
        "getComputedStyle(document.querySelector('.breadcrumb li+li'), '::before').content"
    )
    assert separator == '"‹"'
    # Nothing overflows the phone screen sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def test_urdu_is_set_in_nastaliq(chromium: Browser, site):
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site}/ur/")
    family = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert family.startswith('"Noto Nastaliq Urdu"')
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.fonts.check('16px \"Noto Nastaliq Urdu\"', 'اردو')")
    context.close()
