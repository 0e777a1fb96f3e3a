"""Territory settings: only administrators (and the technical owner) change them; every
change goes through one service, is recorded, and bad input changes nothing."""

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from pertutti.accounts.models import AuditAction, AuditEvent
from pertutti.territories.models import Territory
from pertutti.territories.services import (
    TerritorySettingsError,
    territory_load,
    territory_settings_update,
)
from tests.manage.cast import VISITORS, cast, login_redirect
from tests.staff import sign_in

URL = "/it/manage/settings/"


@pytest.fixture
def everyone(lodi):
    return cast(lodi)


def form_data(territory: Territory, **changes: Any) -> dict[str, Any]:
    """What the page posts when nothing is touched, with `changes` applied."""
    languages = changes.pop("languages", territory.offered_languages)
    numbers = changes.pop("numbers", territory.emergency_numbers)
    data: dict[str, Any] = {
        "languages": languages,
        "map_centre_latitude": str(territory.map_centre_latitude),
        "map_centre_longitude": str(territory.map_centre_longitude),
        "map_zoom": str(territory.map_zoom),
        "contact_email": territory.contact_email,
        "numbers-TOTAL_FORMS": str(len(numbers)),
        "numbers-INITIAL_FORMS": str(len(numbers)),
        "numbers-MIN_NUM_FORMS": "0",
        "numbers-MAX_NUM_FORMS": "1000",
    }
    if territory.sample_data:
        data["sample_data"] = "on"
    for position, code in enumerate(languages, start=1):
        data[f"order_{code}"] = str(position)
    for i, item in enumerate(numbers):
        data[f"numbers-{i}-number"] = item["number"]
        data[f"numbers-{i}-kind"] = item["kind"]
    data.update(changes)
    return data


def snapshot(territory: Territory) -> dict[str, Any]:
    fresh = Territory.objects.get(pk=territory.pk)
    names = ["offered_languages", "emergency_numbers", "map_centre_latitude"]
    names += ["map_centre_longitude", "map_zoom", "contact_email", "sample_data"]
    return {name: getattr(fresh, name) for name in names}


EXPECTED = {
    "anonymous": "login",
    "administrator": 200,
    "reviewer": 403,
    "editor": 403,
    "translator": 403,
    "operator": 403,
    "stranger": 403,
    "superuser": 200,
}


@pytest.mark.parametrize("who", VISITORS)
def test_who_may_see_the_settings(everyone, who):
    response = everyone.client(who).get(URL)
    if EXPECTED[who] == "login":
        assert login_redirect(response, URL)
    else:
        assert response.status_code == EXPECTED[who]


@pytest.mark.parametrize("who", VISITORS)
def test_who_may_change_the_settings(everyone, lodi, who):
    before = snapshot(lodi)
    response = everyone.client(who).post(URL, form_data(lodi, contact_email="new@example.org"))
    if EXPECTED[who] == 200:
        assert response.status_code == 302
        assert snapshot(lodi)["contact_email"] == "new@example.org"
    else:
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert login_redirect(response, URL)
        assert snapshot(lodi) == before
        assert not AuditEvent.objects.filter(action=AuditAction.SETTINGS_CHANGED).exists()


def test_the_form_shows_the_current_settings(everyone, lodi):
    page = everyone.client("administrator").get(URL).content.decode()
    assert 'name="languages" value="ar" id="id_languages_2" checked' in page
    assert 'name="order_ar"' in page and 'value="3"' in page
    assert 'value="800 290 290"' in page  # numbers as people write them
    assert 'role="region"' in page and 'tabindex="0"' in page


def test_an_administrator_changes_everything_at_once(everyone, lodi, client):
    admin = everyone.people["administrator"]
    sign_in(client, admin)
    languages = ["it", "en", "ar", "ro"]  # reordered, the others dropped
    data = form_data(
        lodi,
        languages=languages,
        numbers=[
            {"number": "112", "kind": "general"},
            {"number": "114", "kind": "children"},
        ],
        map_centre_latitude="45.300000",
        map_centre_longitude="9.500000",
        map_zoom="11",
        contact_email="progetto@example.org",
        sample_data="on",
    )
    data["order_en"], data["order_ar"], data["order_ro"] = "2", "3", "4"
    response = client.post(URL, data, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert [str(m) for m in response.context["messages"]] == ["Impostazioni salvate."]
    after = snapshot(lodi)
    assert after == {
        "offered_languages": ["it", "en", "ar", "ro"],
        "emergency_numbers": [
            {"number": "112", "kind": "general"},
            {"number": "114", "kind": "children"},
        ],
        "map_centre_latitude": Decimal("45.300000"),
        "map_centre_longitude": Decimal("9.500000"),
        "map_zoom": 11,
        "contact_email": "progetto@example.org",
        "sample_data": True,
    }
    event = AuditEvent.objects.get(action=AuditAction.SETTINGS_CHANGED)
    assert event.actor == admin and event.territory == lodi
    assert set(event.detail["fields"]) == set(after)
    # The public pages now carry the sample-data banner and the new menu of languages.
    home = Client().get("/it/").content.decode()
    assert 'class="sample"' in home
    assert 'hreflang="bn"' not in home and 'hreflang="en"' in home


def test_positions_order_the_menu(everyone, lodi, client):
    sign_in(client, everyone.people["administrator"])
    data = form_data(lodi, languages=["it", "ar", "en"])
    data.update(order_it="2", order_ar="1", order_en="3")
    assert client.post(URL, data).status_code == 302
    assert snapshot(lodi)["offered_languages"] == ["ar", "it", "en"]


def test_removing_an_emergency_number(everyone, lodi, client):
    sign_in(client, everyone.people["administrator"])
    data = form_data(lodi)
    data["numbers-1-DELETE"] = "on"
    assert client.post(URL, data).status_code == 302
    assert [n["number"] for n in snapshot(lodi)["emergency_numbers"]] == ["112", "+39800290290"]


def test_saving_unchanged_settings_records_nothing(everyone, lodi, client):
    sign_in(client, everyone.people["administrator"])
    response = client.post(URL, form_data(lodi), follow=True)
    assert response.redirect_chain == [(URL, 302)], response.context["form"].errors
    assert [str(m) for m in response.context["messages"]] == ["Nessuna modifica."]
    assert not AuditEvent.objects.filter(action=AuditAction.SETTINGS_CHANGED).exists()


def numbers_with(number: str, kind: str = "general") -> list[dict[str, str]]:
    return [{"number": number, "kind": kind}]


BAD = {
    "unknown language": ({"languages": ["it", "xx"]}, "languages", "xx"),
    "Italian removed": ({"languages": ["en", "ar"]}, "languages", "italiano"),
    "no language": ({"languages": []}, "languages", ""),
    "latitude outside": ({"map_centre_latitude": "46.000000"}, "map_centre_latitude", "45.03"),
    "longitude outside": ({"map_centre_longitude": "12.5"}, "map_centre_longitude", "9.93"),
    "latitude not a number": ({"map_centre_latitude": "<b>45</b>"}, "map_centre_latitude", ""),
    "zoom too far": ({"map_zoom": "25"}, "map_zoom", ""),
    "HTML e-mail": ({"contact_email": "<b>x</b>@example.org"}, "contact_email", ""),
    "script e-mail": ({"contact_email": "<script>alert(1)</script>"}, "contact_email", ""),
    "order not a number": ({"order_ar": "<i>2</i>"}, "order_ar", ""),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_input_is_refused_and_changes_nothing(everyone, lodi, client, case):
    changes, field, words = BAD[case]
    sign_in(client, everyone.people["administrator"])
    before = snapshot(lodi)
    response = client.post(URL, form_data(lodi, **changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    if words:
        assert words in " ".join(form.errors[field])
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "<b>x</b>" not in page and "<script>alert" not in page and "<i>2</i>" not in page
    assert snapshot(lodi) == before
    assert not AuditEvent.objects.filter(action=AuditAction.SETTINGS_CHANGED).exists()


BAD_NUMBERS = {
    "not a number": numbers_with("<b>112</b>"),
    "not callable": numbers_with("99999"),
    "no kind": numbers_with("112", kind=""),
    "unknown kind": numbers_with("112", kind="<script>"),
}


@pytest.mark.parametrize("case", BAD_NUMBERS)
def test_bad_emergency_numbers_are_refused(everyone, lodi, client, case):
    sign_in(client, everyone.people["administrator"])
    before = snapshot(lodi)
    response = client.post(URL, form_data(lodi, numbers=BAD_NUMBERS[case]))
    assert response.status_code == 200
    assert response.context["numbers"].total_error_count() == 1
    page = response.content.decode()
    assert "<b>112</b>" not in page and "<script>" not in page
    if case == "not a number":
        assert "&lt;b&gt;112&lt;/b&gt;" in page
    assert snapshot(lodi) == before


def test_without_csrf_token_nothing_changes(everyone, lodi):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, everyone.people["administrator"])
    before = snapshot(lodi)
    assert client.post(URL, form_data(lodi, contact_email="a@example.org")).status_code == 403
    assert snapshot(lodi) == before


def test_the_service_refuses_what_would_break_the_public_pages(lodi, everyone):
    good = dict(
        territory=lodi,
        actor=everyone.people["administrator"],
        offered_languages=["it", "en"],
        emergency_numbers=[{"number": "112", "kind": "general"}],
        map_centre_latitude=Decimal("45.25"),
        map_centre_longitude=Decimal("9.58"),
        map_zoom=10,
        contact_email="",
        sample_data=False,
    )
    before = snapshot(lodi)
    for bad in [
        {"offered_languages": ["it", "xx"]},
        {"offered_languages": ["en"]},
        {"offered_languages": ["it", "it"]},
        {"emergency_numbers": [{"number": "abc", "kind": "general"}]},
        {"emergency_numbers": [{"number": "112", "kind": "other"}]},
        {"map_centre_latitude": Decimal("50")},
        {"map_zoom": 0},
        {"contact_email": "<b>@x"},
    ]:
        with pytest.raises(TerritorySettingsError):
            territory_settings_update(**{**good, **bad})
    assert snapshot(lodi) == before
    assert territory_settings_update(**good) == ["offered_languages", "emergency_numbers"]


def test_loading_the_territory_again_keeps_the_back_office_settings(everyone, lodi, client):
    sign_in(client, everyone.people["administrator"])
    data = form_data(lodi, languages=["it", "ar"], map_zoom="12", sample_data="on")
    assert client.post(URL, data).status_code == 302
    changed = snapshot(lodi)
    territory_load(slug="lodi")
    assert snapshot(lodi) == changed
