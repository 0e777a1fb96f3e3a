"""Right-to-left layout as a browser draws it (Arabic and Urdu), on a phone screen."""

from datetime import time
from itertools import pairwise

import pytest
from playwright.sync_api import Browser, Locator

from pertutti.directory.models import PhoneNumber, Service
from pertutti.territories.localformats import format_clock
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
    assert page.locator(".contacts .phone").first.evaluate(LTR_ORDER)
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


# The boxes (left, right) of the visible characters of the first occurrence of `text` in an
# element's text, however the markup splits it: the same measure before and after a change.
CHAR_BOXES = """(el, text) => {
  const nodes = [], walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let all = "";
  while (walker.nextNode()) {
    nodes.push([walker.currentNode, all.length]); all += walker.currentNode.data; }
  const at = all.indexOf(text);
  if (at < 0) return null;
  const range = document.createRange(), boxes = [];
  for (let i = at; i < at + text.length; i++) {
    if (/\\s/.test(all[i])) continue;
    const [node, start] = nodes.find(([n, s]) => s <= i && i < s + n.data.length);
    range.setStart(node, i - start); range.setEnd(node, i - start + 1);
    const box = range.getBoundingClientRect(); boxes.push([box.left, box.right]);
  }
  return boxes; }"""


def char_boxes(element: Locator, text: str) -> list[list[float]]:
    boxes = element.evaluate(CHAR_BOXES, text)
    assert boxes, f"{text!r} is not in {element.inner_text()!r}"
    return boxes


def reads_left_to_right(boxes: list[list[float]]) -> bool:
    return all(a[0] < b[0] for a, b in pairwise(boxes))


def left_of(first: list[list[float]], second: list[list[float]]) -> bool:
    return max(right for _, right in first) <= min(left for left, _ in second)


@pytest.mark.parametrize("language", ["ar", "ur"])
def test_times_phone_numbers_and_codes_keep_their_order(chromium: Browser, site, language):
    """LPT-013 opens Monday and Thursday 14-17. "2:00 م–5:00 م" must not come out as
    "م–5:00 م 2:00", a number as "91 234 56 78+", nor the code as "013-LPT"."""
    service = Service.objects.get(code="LPT-013")
    PhoneNumber.objects.create(service=service, number="+41912345678")  # shown as +41 91 ...
    start, end = format_clock(time(14), language), format_clock(time(17), language)
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site}/{language}/services/LPT-013/")
    assert page.locator("html").get_attribute("dir") == "rtl"

    # Each range reads start then end, left to right, and each time keeps its own order.
    cells = page.locator("table.hours td")
    ranges = [cells.nth(i) for i in range(cells.count()) if start in cells.nth(i).inner_text()]
    assert len(ranges) == 2, cells.all_inner_texts()  # Monday and Thursday
    for cell in ranges:
        opens, closes = char_boxes(cell, start), char_boxes(cell, end)
        assert reads_left_to_right(opens) and reads_left_to_right(closes)
        assert left_of(opens, closes)

    # The status line's time ("opens at 2:00 م", "until 5:00 م") is one left-to-right unit.
    status = page.locator("p.status")
    said = start if start in status.inner_text() else end
    assert reads_left_to_right(char_boxes(status, said))

    # The phone number: the text as written, "+41" left of the rest, digits in order.
    phone = page.locator(".contacts a[href='tel:+41912345678']")
    assert phone.inner_text().strip() == "+41 91 234 56 78"
    assert left_of(char_boxes(phone, "+41"), char_boxes(phone, "91 234 56 78"))
    assert reads_left_to_right(char_boxes(phone, "+41 91 234 56 78"))

    # The service code: "LPT" left of "013".
    code = page.locator("p.meta").filter(has_text="LPT-013")
    assert left_of(char_boxes(code, "LPT"), char_boxes(code, "013"))
    assert reads_left_to_right(char_boxes(code, "LPT-013"))

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()
