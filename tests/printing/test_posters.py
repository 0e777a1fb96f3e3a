"""The poster (A3, A4) and the pocket card: size, languages in their own scripts, fonts,
a QR code that scans to the site, and the cache."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from pertutti.printing import posters
from pertutti.printing.pdf import render_html
from pertutti.territories.labels import emergency_short_label
from tests.printing.pdfcheck import (
    assert_clean_pdf,
    font_names,
    page_sizes_mm,
    page_texts,
    pdf_text,
    qr_codes,
)

SITE = "https://lodi.example.org"
OWN_SCRIPT_NAMES = ("العربية", "简体中文", "ਪੰਜਾਬੀ", "اردو", "বাংলা", "Українська")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.PERTUTTI_SITE_URL = SITE


@pytest.fixture
def builds(monkeypatch):
    """The HTML of every PDF built, in order: a cached call adds none."""
    built: list[str] = []
    real = posters.render_pdf

    def render(template, context, *, language):
        built.append(render_html(template, context, language=language))
        return real(template, context, language=language)

    monkeypatch.setattr(posters, "render_pdf", render)
    return built


def italian_sentence(territory) -> str:
    with translation.override("it"):
        return gettext(posters.FIND_SERVICES) % {"territory": territory.area_name}


def words(text: str) -> str:
    """The text with its line breaks as spaces: the card wraps the sentence."""
    return " ".join(text.split())


def assert_size(size: tuple[float, float], expected: tuple[float, float]) -> None:
    assert abs(size[0] - expected[0]) <= 1 and abs(size[1] - expected[1]) <= 1, size


@pytest.mark.parametrize(("paper", "expected"), [("A3", (297, 420)), ("A4", (210, 297))])
def test_poster_is_one_portrait_page_of_its_size(lodi, paper, expected):
    data = posters.poster_pdf(lodi, paper).read_bytes()
    sizes = page_sizes_mm(data)
    assert len(sizes) == 1  # nothing ran over onto a second page
    assert_size(sizes[0], expected)
    assert_clean_pdf(data)


def test_poster_is_a3_unless_asked(lodi):
    assert_size(page_sizes_mm(posters.poster_pdf(lodi).read_bytes())[0], (297, 420))


def test_poster_invites_in_every_offered_language(lodi):
    text = words(pdf_text(posters.poster_pdf(lodi, "A4").read_bytes()))
    assert lodi.name in text
    assert italian_sentence(lodi) in text
    for name in OWN_SCRIPT_NAMES:
        assert name in text
    assert SITE in text  # readable under the code, for who cannot scan
    with translation.override("it"):
        assert "Numeri di emergenza" in text
        assert emergency_short_label("violence") in text
    for number in ("112", "1522", "800 290 290"):
        assert number in text


def test_poster_qr_code_opens_the_home_page(lodi):
    data = posters.poster_pdf(lodi, "A4").read_bytes()
    assert qr_codes(data, dpi=100) == [SITE + "/"]


def test_each_script_is_set_in_its_own_font(lodi):
    fonts = font_names(posters.poster_pdf(lodi, "A4").read_bytes())
    # Urdu in Nastaliq and Chinese in the Simplified face come from base.html's :lang rules;
    # Arabic, Gurmukhi and Bengali from the fallback by glyph coverage.
    for family in ("Noto-Nastaliq-Urdu", "Noto-Sans-CJK-SC", "Noto-Sans-Arabic"):
        assert any(name.startswith(family) for name in fonts), (family, fonts)
    for family in ("Noto-Sans-Gurmukhi", "Noto-Sans-Bengali"):
        assert any(name.startswith(family) for name in fonts), (family, fonts)


def test_each_line_is_marked_with_its_language_and_direction(lodi, builds):
    posters.poster_pdf(lodi, "A4")
    (html,) = builds
    for code in lodi.offered_languages:
        direction = "rtl" if code in ("ar", "ur") else "ltr"
        assert f'<li class="line" lang="{code}" dir="{direction}">' in html
    # The Italian area name is isolated inside every sentence, right-to-left ones included.
    assert html.count('<bdi class="area" lang="it" dir="ltr">Provincia di Lodi</bdi>') == len(
        lodi.offered_languages
    )


def test_sentence_names_the_territory_when_it_has_no_area_name(lodi):
    lodi.area_name = ""
    sentence, _ = posters.find_sentence(lodi, "it")
    assert "Lodi per tutti" in sentence


def test_sentence_says_which_language_it_is_really_in(lodi, monkeypatch):
    # Django falls back to the LANGUAGE_CODE catalog (Italian), then to the English msgid.
    catalog = {
        "it": "Trova i servizi della %(territory)s nella tua lingua",
        "ar": "ابحث عن خدمات %(territory)s بلغتك",
        "ro": "Trova i servizi della %(territory)s nella tua lingua",
    }
    monkeypatch.setattr(
        posters, "gettext", lambda msgid: catalog.get(translation.get_language(), msgid)
    )
    assert posters.find_sentence(lodi, "ar")[1] == "ar"
    assert posters.find_sentence(lodi, "it")[1] == "it"
    assert posters.find_sentence(lodi, "ro")[1] == "it"
    assert posters.find_sentence(lodi, "ur")[1] == "en"
    sentence, _ = posters.find_sentence(lodi, "ar")
    assert sentence == (
        'ابحث عن خدمات <bdi class="area" lang="it" dir="ltr">Provincia di Lodi</bdi> بلغتك'
    )


def test_sentence_escapes_the_area_name(lodi):
    lodi.area_name = "Lodi <b>&</b>"
    sentence, _ = posters.find_sentence(lodi, "en")
    assert "Lodi &lt;b&gt;&amp;&lt;/b&gt;" in sentence
    assert "<b>" not in sentence


@pytest.mark.parametrize("paper", ["A5", "a4", "Letter", ""])
def test_other_sizes_are_refused_and_nothing_is_written(lodi, print_dir, paper):
    with pytest.raises(ValueError, match="poster size"):
        posters.poster_pdf(lodi, paper)
    assert not print_dir.exists() or not any(print_dir.iterdir())


def test_card_is_85_by_55_with_the_emergency_numbers_on_the_back(lodi):
    data = posters.card_pdf(lodi).read_bytes()
    sizes = page_sizes_mm(data)
    assert len(sizes) == 2  # the front did not run over
    for size in sizes:
        assert_size(size, (85, 55))
    assert_clean_pdf(data)
    front, back = page_texts(data)
    assert lodi.name in front
    assert italian_sentence(lodi) in words(front)
    assert SITE in front
    for name in OWN_SCRIPT_NAMES:
        assert name in front
    for number in ("112", "1522", "800 290 290"):
        assert number in back


def test_card_qr_code_opens_the_home_page(lodi):
    data = posters.card_pdf(lodi).read_bytes()
    assert qr_codes(data, page=0) == [SITE + "/"]


def test_card_without_emergency_numbers_has_no_back(lodi):
    lodi.emergency_numbers = []
    lodi.save()
    data = posters.card_pdf(lodi).read_bytes()
    assert len(page_sizes_mm(data)) == 1


def test_same_request_is_built_once(lodi, builds):
    first = posters.poster_pdf(lodi, "A4")
    assert posters.poster_pdf(lodi, "A4") == first
    card = posters.card_pdf(lodi)
    assert posters.card_pdf(lodi) == card
    assert len(builds) == 2
    assert len({first, card, posters.poster_pdf(lodi, "A3")}) == 3


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("area_name", "Provincia di Cremona"),
        ("offered_languages", ["it", "en", "ar"]),
        ("emergency_numbers", [{"number": "112", "kind": "general"}]),
    ],
)
def test_a_change_to_what_it_shows_builds_a_new_one(lodi, builds, field, value):
    before = posters.poster_pdf(lodi, "A4")
    setattr(lodi, field, value)
    lodi.save()
    after = posters.poster_pdf(lodi, "A4")
    assert after != before
    assert len(builds) == 2


def test_a_new_site_address_builds_a_new_one(lodi, settings):
    before = posters.card_pdf(lodi)
    settings.PERTUTTI_SITE_URL = "https://per-tutti.example.org"
    after = posters.card_pdf(lodi)
    assert after != before
    assert qr_codes(after.read_bytes()) == ["https://per-tutti.example.org/"]
