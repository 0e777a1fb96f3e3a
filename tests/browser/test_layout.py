"""Nothing is wider than a 360 px phone screen, in every language of the software.

For each language of settings.LANGUAGES, one browser context opens the public pages and
the signed-in pages (translators' workspace, back office) and measures
`document.documentElement.scrollWidth`. A failure names, for each page too wide, the
element that reaches furthest past the screen's edge, so that it can be fixed without
opening a browser.
"""

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page

from pertutti.accounts.models import Role
from pertutti.directory.models import Service
from pertutti.territories.models import Territory
from pertutti.translations.exchange import import_xliff
from pertutti.translations.models import GlossaryTerm, SourceText, TranslationStatus
from tests.browser.conftest import PHONE, sign_in_browser
from tests.conftest import REPO
from tests.staff import make_person

LANGUAGES = [code for code, _ in settings.LANGUAGES]
DEMO_TRANSLATIONS = REPO / "demo" / "lodi" / "translations"
SERVICE = "LPT-013"

# The element that sticks out furthest past the end edge of the screen (the right one, the
# left one on right-to-left pages; past the start edge, as a hidden "skip" link is, nothing
# can be scrolled to), among those the page can scroll to: elements inside a box that clips
# or scrolls its overflow, and fixed elements, do not widen the document.
WIDEST = """async () => {
  await document.fonts.ready;
  const width = document.documentElement.clientWidth;
  const rtl = getComputedStyle(document.documentElement).direction === 'rtl';
  const clipped = e => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const name = e => {
    let s = e.localName;
    if (e.id) return s + '#' + e.id;
    for (const c of e.classList) s += '.' + c;
    return s;
  };
  const path = e => {
    const parts = [];
    for (let a = e; a && a !== document.body && parts.length < 5; a = a.parentElement) {
      parts.unshift(name(a));
      if (a.id) break;
    }
    return parts.join(' > ');
  };
  let worst = null;
  for (const e of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(e);
    if (style.position === 'fixed' || style.display === 'none') continue;
    const box = e.getBoundingClientRect();
    const past = rtl ? -box.left : box.right - width;
    if (past > 0.5 && (!worst || past > worst.past + 0.5) && !clipped(e)) {
      worst = {past, selector: path(e), width: Math.round(box.width),
               left: Math.round(box.left), right: Math.round(box.right),
               text: (e.textContent || '').trim().slice(0, 60)};
    }
  }
  // Text sticks out of a box that is narrow enough itself (a long word, a long link).
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode()) {
    const text = walker.currentNode, parent = text.parentElement;
    if (!text.data.trim() || !parent) continue;
    range.selectNodeContents(text);
    const box = range.getBoundingClientRect();
    const past = rtl ? -box.left : box.right - width;
    if (past > 0.5 && (!worst || past > worst.past + 0.5)
        && getComputedStyle(parent).overflowX === 'visible' && !clipped(parent)) {
      worst = {past, selector: path(parent) + ' (its text)', width: Math.round(box.width),
               left: Math.round(box.left), right: Math.round(box.right),
               text: text.data.trim().slice(0, 60)};
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, worst};
}"""


def overflow(page: Page) -> str | None:
    """None when the page fits the screen, else what sticks out (for the failure message)."""
    measured = page.evaluate(WIDEST)
    if measured["scrollWidth"] <= PHONE["width"]:
        return None
    worst = measured["worst"]
    if worst is None:
        return f"scrollWidth {measured['scrollWidth']}, no single element found"
    return (
        f"scrollWidth {measured['scrollWidth']}: {worst['selector']} "
        f"(width {worst['width']}, left {worst['left']}, right {worst['right']}, "
        f"text {worst['text']!r})"
    )


@pytest.fixture
def layout_site(site, settings):
    """The demo with its (draft) translations shown, as `make run` shows them, a glossary
    term with a long name, and one person who administers and translates every language."""
    settings.PERTUTTI_PUBLISH_DRAFTS = True
    lodi = Territory.objects.get(slug="lodi")
    for path in sorted(DEMO_TRANSLATIONS.glob("*.xlf")):
        import_xliff(
            territory=lodi,
            language=path.stem,
            data=path.read_bytes(),
            status=TranslationStatus.DRAFT,
            reindex_in_background=True,  # the search index plays no part in the layout
        )
    GlossaryTerm.objects.create(
        territory=lodi,
        term="permesso di soggiorno per protezione sussidiaria",
        note="Il documento rilasciato dalla Questura; non tradurre con «visto».",
        translations={"ar": "تصريح الإقامة للحماية الفرعية", "en": "subsidiary protection permit"},
    )
    translated = [code for code in LANGUAGES if code != settings.LANGUAGE_CODE]
    person = make_person("layout", lodi, Role.ADMINISTRATOR, Role.TRANSLATOR, languages=translated)
    device = TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    return site, person, device


def test_no_page_is_wider_than_a_phone_in_any_language(chromium: Browser, layout_site):
    """One test for the 13 languages: the demo is loaded once (a minute on a busy machine)."""
    site, person, device = layout_site
    lodi = Territory.objects.get(slug="lodi")
    service = Service.objects.select_related("organization", "category").get(code=SERVICE)
    municipality = lodi.municipalities.get(name="Lodi")
    source = SourceText.objects.get(
        content_type=ContentType.objects.get_for_model(Service),
        object_id=service.pk,
        field="description",
    )
    public = [
        "/",
        "/services/",
        f"/categories/{service.category.code}/",
        f"/municipalities/{municipality.istat_code}/",
        "/services/map/",
        f"/services/{SERVICE}/",
        f"/organizations/{service.organization.pk}/",
        f"/services/{SERVICE}/report/",
        "/privacy/",
        "/accessibility/",
        "/legal/",
        "/services/LPT-999/",  # the 404 page
    ]
    problems: list[str] = []

    def visit(page: Page, url: str) -> None:
        response = page.goto(site + url)
        expected = 404 if "LPT-999" in url else 200
        if response.status != expected:
            problems.append(f"{url}: status {response.status}, expected {expected}")
        elif too_wide := overflow(page):
            problems.append(f"{url}: {too_wide}")

    # Public pages as the public sees them: a context per language, no cookie. The
    # signed-in pages in one context signed in once (a TOTP code is accepted only once).
    staff = chromium.new_context(viewport=PHONE)
    try:
        sign_in_browser(staff.new_page(), site, person.username, device)
        for language in LANGUAGES:
            public_context = chromium.new_context(viewport=PHONE)
            try:
                page = public_context.new_page()
                for path in public:
                    visit(page, f"/{language}{path}")
            finally:
                public_context.close()
            queue = language if language != settings.LANGUAGE_CODE else "ar"
            page = staff.pages[0]
            for path in (
                "/translate/",
                f"/translate/{queue}/",
                f"/translate/{queue}/{source.pk}/",
                "/translate/glossary/",
                "/manage/",
                f"/manage/services/{SERVICE}/edit/",
            ):
                visit(page, f"/{language}{path}")
    finally:
        staff.close()
    assert problems == [], f"{len(problems)} pages wider than 360 px:\n" + "\n".join(problems)
