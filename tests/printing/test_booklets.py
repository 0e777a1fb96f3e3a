"""The printed booklet: cover, contents by need, entries in the reader's language (with the
Italian beside when asked), page sizes, fonts, QR codes, the cache and the filters."""

import re

import pytest
from django.utils import timezone, translation

from pertutti.directory.models import Service
from pertutti.directory.selectors import last_update
from pertutti.printing import content
from pertutti.printing.booklets import BookletFilterError, booklet_pdf, booklet_services
from pertutti.printing.labels import LABELS
from pertutti.taxonomy.models import Category
from pertutti.territories.labels import emergency_label
from pertutti.territories.localformats import long_date
from tests.printing.pdfcheck import assert_clean_pdf, page_sizes_mm, page_texts, qr_codes

SCHOOL = "language-school"  # 6 demo services, one of them LPT-070
ITALIAN_COURSES = "LPT-070"
ITALIAN_NAME = "Corsi di italiano per stranieri"
ARABIC_NAME = "دروس اللغة الإيطالية للأجانب"
CODOGNO = "098019"  # LPT-020 (work), LPT-043 (housing), LPT-052 (family)


def _label(key: str, language: str) -> str:
    with translation.override(language):
        return str(LABELS[key])


def _category_name(code: str, language: str) -> str:
    return Category.objects.get(code=code).bundled_text("name", language)


def _page_of(texts: list[str], needle: str) -> int:
    pages = [i for i, text in enumerate(texts) if needle in text]
    assert pages, needle
    return pages[0]


def test_an_arabic_booklet_cover_entries_and_qr_codes(arabic):
    data = booklet_pdf(arabic, "ar", categories=[SCHOOL]).read_bytes()
    texts = page_texts(data)
    cover = texts[0]
    assert "العربية" in cover  # the language in its own script
    assert "Lodi per tutti" in cover
    # Extracted right to left, the words of a line come in visual order.
    date = long_date(timezone.localtime(last_update(arabic)).date(), "ar")
    assert all(word in cover for word in date.split()), date
    for number in ("112", "1522", "800 290 290"):
        assert number in cover
    with translation.override("ar"):
        label = emergency_label("violence")
    assert all(word in cover for word in re.findall(r"\w+", label)), label
    assert ITALIAN_COURSES not in cover  # the services start after the contents
    # Plain: the reader's language only, no Italian name or heading beside.
    page = _page_of(texts, ITALIAN_COURSES)
    assert ARABIC_NAME in texts[page]
    assert ITALIAN_NAME not in texts[page]
    assert _label("what", "it") not in "".join(texts[2:])
    assert content.page_url("ar", ITALIAN_COURSES) in qr_codes(data, page=page)


def test_the_contents_name_each_need_with_the_page_it_starts_on(arabic):
    data = booklet_pdf(arabic, "ar", categories=[SCHOOL, "emergency"]).read_bytes()
    texts = page_texts(data)
    contents = texts[1]
    assert _label("contents", "ar") in contents
    for code in (SCHOOL, "emergency"):
        name = _category_name(code, "ar")
        assert name in contents
        start = next(i for i, text in enumerate(texts[2:], start=2) if name in text)
        # The line of the need ends (or, right to left, begins) with its page number.
        line = next(line for line in contents.splitlines() if name in line)
        assert str(start + 1) in re.findall(r"\d+", line)


def test_a_bilingual_booklet_prints_the_italian_beside(arabic):
    data = booklet_pdf(arabic, "ar", bilingual=True, categories=[SCHOOL]).read_bytes()
    texts = page_texts(data)
    page = texts[_page_of(texts, ITALIAN_COURSES)]
    assert ARABIC_NAME in page
    assert ITALIAN_NAME in page
    assert _label("what", "it") in page
    assert_clean_pdf(data)


def test_untranslated_texts_print_in_italian_marked_as_such(demo):
    data = booklet_pdf(demo, "en", categories=[SCHOOL]).read_bytes()  # no English translations
    text = "\n".join(page_texts(data)[2:])
    assert ITALIAN_NAME in text
    assert _label("untranslated", "en") in text


def test_page_sizes_follow_the_paper(demo):
    a5 = booklet_pdf(demo, "it", size="A5", categories=["emergency"]).read_bytes()
    a4 = booklet_pdf(demo, "it", size="A4", categories=["emergency"]).read_bytes()
    assert set(page_sizes_mm(a5)) == {(148.0, 210.0)}
    assert set(page_sizes_mm(a4)) == {(210.0, 297.0)}
    assert len(page_sizes_mm(a5)) >= len(page_sizes_mm(a4)) >= 3  # cover, contents, services


def test_a_chinese_booklet_embeds_its_fonts_and_has_every_glyph(demo):
    data = booklet_pdf(demo, "zh-hans", bilingual=True, categories=[SCHOOL]).read_bytes()
    assert _category_name(SCHOOL, "zh-hans") in page_texts(data)[1]
    assert_clean_pdf(data)


def test_a_second_request_reuses_the_file_and_a_change_makes_a_new_one(demo, print_dir):
    first = booklet_pdf(demo, "it", categories=["emergency"])
    assert booklet_pdf(demo, "it", categories=["emergency"]) == first
    assert len(list(print_dir.glob("booklet-it-*.pdf"))) == 1
    service = Service.objects.get(code="LPT-069")
    service.name = "Numero unico di emergenza 112"
    service.save()
    second = booklet_pdf(demo, "it", categories=["emergency"])
    assert second != first
    assert "Numero unico di emergenza 112" in "\n".join(page_texts(second.read_bytes()))


def test_the_italian_booklet_is_never_printed_twice_over(demo):
    plain = booklet_pdf(demo, "it", categories=["emergency"])
    assert booklet_pdf(demo, "it", bilingual=True, categories=["emergency"]) == plain


def test_filters_keep_the_chosen_needs_and_municipalities(demo):
    by_town = booklet_services(demo, [], [CODOGNO])
    assert sorted(s.code for s in by_town) == ["LPT-020", "LPT-043", "LPT-052"]
    both = booklet_services(demo, ["work"], [CODOGNO])
    assert [s.code for s in both] == ["LPT-020"]
    assert booklet_services(demo, [], []).count() == 70


def test_a_filtered_booklet_says_so_on_the_cover(demo):
    data = booklet_pdf(demo, "it", municipalities=[CODOGNO]).read_bytes()
    texts = page_texts(data)
    assert "Codogno" in texts[0]
    body = "\n".join(texts[2:])
    assert "Casa famiglia multiutenza" in body  # LPT-043, in Codogno
    assert ITALIAN_NAME not in body  # in Lodi


@pytest.mark.parametrize(
    ("filters", "kind", "code"),
    [
        ({"categories": ["health", "no-such-need"]}, "category", "no-such-need"),
        ({"municipalities": ["999999"]}, "municipality", "999999"),
    ],
)
def test_unknown_filter_codes_are_refused_by_name(demo, print_dir, filters, kind, code):
    with pytest.raises(BookletFilterError, match=code) as refused:
        booklet_pdf(demo, "it", **filters)
    assert (refused.value.kind, refused.value.code) == (kind, code)
    assert isinstance(refused.value, ValueError)
    assert not print_dir.exists() or not any(print_dir.iterdir())  # nothing built


@pytest.mark.parametrize(
    ("arguments", "message"),
    [({"size": "A3"}, "A5 or A4"), ({"size": "A5", "language": "de"}, "not offered")],
)
def test_a_size_or_language_it_does_not_print_is_refused(demo, print_dir, arguments, message):
    language = arguments.pop("language", "it")
    with pytest.raises(ValueError, match=message):
        booklet_pdf(demo, language, **arguments)
    assert not print_dir.exists() or not any(print_dir.iterdir())


def test_the_full_booklet_lists_every_need_and_every_service_once(arabic):
    data = booklet_pdf(arabic, "ar", size="A5").read_bytes()
    texts = page_texts(data)
    assert set(page_sizes_mm(data)) == {(148.0, 210.0)}
    contents = texts[1]
    codes = set(Service.objects.filter(territory=arabic).values_list("category__code", flat=True))
    for code in codes:
        assert _category_name(code, "ar") in contents
    body = "\n".join(texts[2:])
    for service in Service.objects.filter(territory=arabic):
        assert body.count(service.code) == 1, service.code
