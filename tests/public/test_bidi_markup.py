"""The markup that keeps times, numbers, codes and Latin words readable in Arabic and Urdu
(the browser's rendering is measured in tests/browser/test_rtl.py)."""

import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from pertutti.directory.models import Service
from pertutti.directory.opening import OpenStatus
from pertutti.public.presenters import distance_text, status_badge
from pertutti.public.templatetags.local_dates import clock, interpolate, time_range
from pertutti.territories.bidi import isolate_latin

ROME = ZoneInfo("Europe/Rome")
MONDAY_10 = datetime(2025, 5, 12, 10, 0, tzinfo=ROME)


def test_a_range_is_an_isolate_of_two_isolated_times():
    with translation.override("ar"):
        html = time_range(time(14), time(17))
    assert html == (
        '<bdi dir="ltr" class="time-range">'
        '<time datetime="14:00" dir="ltr" class="time-start">2:00 م</time>'
        "\u2009–\u2009"
        '<time datetime="17:00" dir="ltr" class="time-end">5:00 م</time></bdi>'
    )


@pytest.mark.parametrize(
    ("language", "start", "end"),
    [("it", "14:00", "17:00"), ("pa", "2:00 ਬਾ.ਦੁ.", "5:00 ਬਾ.ਦੁ."), ("zh-hans", "14:00", "17:00")],
)
def test_the_template_tag_uses_the_page_language(language, start, end):
    template = Template("{% load local_dates %}{% time_range opens closes %}")
    with translation.override(language):
        html = template.render(Context({"opens": time(14), "closes": time(17)}))
    assert f'class="time-start">{start}</time>' in html
    assert f'class="time-end">{end}</time>' in html


def test_clock_of_nothing_is_empty():
    assert clock(None) == ""


def test_status_in_punjabi_is_not_english():
    status = OpenStatus("closed", None, datetime(2025, 5, 12, 14, 0, tzinfo=ROME))
    with translation.override("pa"):
        badge = status_badge(status, MONDAY_10)
    assert '<time datetime="14:00" dir="ltr" class="time">2:00 ਬਾ.ਦੁ.</time>' in badge.detail
    assert "p.m." not in badge.detail


def test_status_names_another_day_and_keeps_the_time_isolated(english):
    status = OpenStatus("closed", None, datetime(2025, 5, 13, 9, 0, tzinfo=ROME))
    badge = status_badge(status, MONDAY_10)
    assert badge.detail == (
        'opens Tuesday at <time datetime="09:00" dir="ltr" class="time">9:00\u202fAM</time>'
    )


def test_status_until_closing(english):
    status = OpenStatus("open", datetime(2025, 5, 12, 12, 0, tzinfo=ROME), None)
    assert status_badge(status, MONDAY_10).detail.startswith("until <time datetime=")


def test_a_translation_with_markup_characters_is_escaped():
    """A translator's "<" or "&" is text, never markup; the time stays markup."""
    html = interpolate("<b>until</b> & %(time)s", time=clock(time(17)))
    assert html.startswith("&lt;b&gt;until&lt;/b&gt; &amp; <time ")


def test_a_plain_part_is_escaped():
    assert interpolate("opens %(day)s", day="<script>") == "opens &lt;script&gt;"


def test_distance_number_is_isolated_and_the_unit_follows_the_page():
    with translation.override("ar"):
        assert distance_text(1.5).startswith('<bdi dir="ltr">1.5</bdi>')
    with translation.override("it"):
        assert distance_text(1.5).startswith('<bdi dir="ltr">1,5</bdi>')
    assert distance_text(None) == ""


def test_latin_words_in_arabic_are_isolated():
    html = isolate_latin("ملف (kit) permesso di soggiorno، وLPT-013.", "ar")
    assert html == (
        'ملف (<bdi dir="ltr">kit</bdi>) <bdi dir="ltr">permesso di soggiorno</bdi>، '
        'و<bdi dir="ltr">LPT-013</bdi>.'
    )


def test_latin_isolation_escapes_what_it_does_not_wrap():
    html = isolate_latin("<script>alert(1)</script> & كم", "ur")
    assert "<script>" not in html
    assert html.startswith('&lt;<bdi dir="ltr">script</bdi>&gt;')


@pytest.mark.parametrize(("text", "language"), [("Aiuto <b>", "it"), ("", "ar"), ("x", "xx")])
def test_left_to_right_or_empty_text_is_left_alone(text, language):
    assert isolate_latin(text, language) == text


def test_service_page_in_arabic_isolates_times_code_and_latin_words(client, demo, monday_morning):
    page = client.get("/ar/services/LPT-013/").content.decode()
    assert '<time datetime="14:00" dir="ltr" class="time-start">2:00 م</time>' in page
    assert '<bdi dir="ltr" class="code">LPT-013</bdi>' in page
    assert "p.m." not in page


def test_service_page_in_punjabi_has_gurmukhi_times(client, demo, monday_morning):
    page = client.get("/pa/services/LPT-013/").content.decode()
    assert 'class="time-start">2:00 ਬਾ.ਦੁ.</time>' in page
    assert "2 p.m." not in page


def test_closed_service_page_isolates_the_code(client, demo):
    Service.objects.filter(code="LPT-013").update(status="inactive")
    page = client.get("/ar/services/LPT-013/").content.decode()
    assert '<bdi dir="ltr" class="code">LPT-013</bdi>' in page


@pytest.mark.parametrize("path", ["/ar/", "/ar/services/?q=ana+nergod+fel+chera3", "/it/services/"])
def test_the_search_box_takes_the_direction_of_what_is_typed(client, demo, path):
    # A Latin query on an Arabic page (Arabizi, a French sentence) reads from its start, at
    # the left, instead of being cut at its beginning in a right-to-left box.
    page = client.get(path).content.decode()
    assert len(re.findall(r'<input type="search" id="q" name="q"[^>]* dir="auto"', page)) == 1
