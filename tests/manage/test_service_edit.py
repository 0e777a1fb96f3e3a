"""Editing services in the back office: who may open and post each form, the review or
direct publication that follows, and every bad input of the issue (another organisation's
service or id, a stale form, backwards or overlapping hours, a place outside the territory,
HTML in the texts, phone numbers) with a clear message and nothing changed."""

from typing import Any

import pytest
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import INFO, SUCCESS
from django.utils import translation
from django.utils.translation import gettext

from pertutti.directory.models import Service, ServiceStatus
from pertutti.directory.snapshots import service_apply, service_snapshot
from pertutti.editorial.models import RevisionStatus, ServiceRevision, ServiceVersion
from pertutti.translations.models import SourceText
from tests.manage.cast import VISITORS, cast, login_redirect, service

SCRIPT = '<script>alert("x")</script><b>grassetto</b>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;grassetto&lt;/b&gt;"


def place_and_hours(target: Service) -> Service:
    data = service_snapshot(target)
    data["location"] = {
        "address": "Via Cavour 31",
        "postcode": "26900",
        "municipality": "098031",
        "latitude": "45.315000",
        "longitude": "9.505000",
        "placement": "exact",
    }
    data["phones"] = [["+390371409111", False]]
    data["schedule"] = {
        "original_text": "lunedì 9-12",
        "always_open": False,
        "by_appointment": False,
        "closed_months": [],
        "unparsed_text": "",
        "valid_from": None,
        "valid_to": None,
        "hours": [[0, "09:00", "12:00", ""]],
    }
    return service_apply(service=target, data=data)


@pytest.fixture
def everyone(lodi):
    c = cast(lodi)
    c.mensa = place_and_hours(service(c.caritas, code="CAR-001", name="Mensa"))
    c.anagrafe = place_and_hours(service(c.comune, code="COM-001", name="Anagrafe"))
    c.far = service(c.foreign, code="CRE-001", name="Mensa di Cremona")
    return c


def edit(target: Service) -> str:
    return f"/it/manage/services/{target.code}/edit/"


def close(target: Service) -> str:
    return f"/it/manage/services/{target.code}/close/"


def new(org) -> str:
    return f"/it/manage/organizations/{org.pk}/services/new/"


def org_edit(org) -> str:
    return f"/it/manage/organizations/{org.pk}/edit/"


def _value(bound: forms.BoundField) -> Any:
    value = bound.value()
    if isinstance(bound.field, forms.BooleanField):
        return "on" if value else None
    if isinstance(bound.field, forms.MultipleChoiceField):
        return [str(v) for v in value or []] or None  # nothing ticked: nothing sent
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return "" if value is None else str(value)


def posted(response, **changes: Any) -> dict[str, Any]:
    """What the browser would send back for the page's form, with `changes` applied."""
    data: dict[str, Any] = {}
    form, hours = response.context["form"], response.context.get("hours")
    bound = list(form)
    if hours is not None:
        bound += list(hours.management_form)
        for row in hours:
            bound += list(row)
    for field in bound:
        value = _value(field)
        if value is not None:
            data[field.html_name] = value
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def form_of(everyone, url: str, who: str = "administrator", **changes: Any) -> dict[str, Any]:
    return posted(everyone.client(who).get(url), **changes)


def messages_of(response) -> list[tuple[int, str]]:
    return [(m.level, str(m)) for m in response.context["messages"]]


def italian(text: str) -> str:
    with translation.override("it"):
        return gettext(text)


PENDING = "Sent for review: the public sees the current version until a reviewer approves."


# --- Who may open each page --------------------------------------------------------------

# (Caritas' service, the Comune's, the other territory's): the editor belongs to Caritas.
SERVICE_PAGES = {
    "anonymous": ("login", "login", "login"),
    "administrator": (200, 200, 404),
    "reviewer": (200, 200, 404),
    "editor": (200, 403, 404),
    "translator": (403, 403, 404),
    "operator": (403, 403, 404),
    "stranger": (403, 403, 403),
    "superuser": (200, 200, 404),
}
# An organisation's own page: its editors and administrators, not reviewers.
ORGANIZATION_PAGES = {**SERVICE_PAGES, "reviewer": (403, 403, 404)}


def check_pages(client, urls: list[str], expected: tuple) -> None:
    for url, status in zip(urls, expected, strict=True):
        response = client.get(url)
        if status == "login":
            assert login_redirect(response, url)
        else:
            assert response.status_code == status, url
            if status == 200:
                assert response["Cache-Control"].startswith("max-age=0") or (
                    "no-store" in response["Cache-Control"]
                )


@pytest.mark.parametrize("who", VISITORS)
def test_who_opens_the_service_form(everyone, who):
    urls = [edit(everyone.mensa), edit(everyone.anagrafe), edit(everyone.far)]
    check_pages(everyone.client(who), urls, SERVICE_PAGES[who])


@pytest.mark.parametrize("who", VISITORS)
def test_who_opens_the_closing_page(everyone, who):
    urls = [close(everyone.mensa), close(everyone.anagrafe), close(everyone.far)]
    check_pages(everyone.client(who), urls, SERVICE_PAGES[who])


@pytest.mark.parametrize("who", VISITORS)
def test_who_opens_the_new_service_form(everyone, who):
    urls = [new(everyone.caritas), new(everyone.comune), new(everyone.foreign)]
    check_pages(everyone.client(who), urls, SERVICE_PAGES[who])


@pytest.mark.parametrize("who", VISITORS)
def test_who_opens_the_organisation_form(everyone, who):
    urls = [org_edit(everyone.caritas), org_edit(everyone.comune), org_edit(everyone.foreign)]
    check_pages(everyone.client(who), urls, ORGANIZATION_PAGES[who])


# What a post of each visitor to Caritas' service does: published, pending, or refused.
POST_OUTCOME = {
    "anonymous": "login",
    "administrator": "published",
    "reviewer": "published",
    "editor": "pending",
    "translator": 403,
    "operator": 403,
    "stranger": 403,
    "superuser": "published",
}


@pytest.mark.parametrize("who", VISITORS)
def test_who_may_post_a_change(everyone, who):
    url = edit(everyone.mensa)
    data = form_of(everyone, url, name="Mensa solidale")
    response = everyone.client(who).post(url, data)
    expected = POST_OUTCOME[who]
    mensa = Service.objects.get(pk=everyone.mensa.pk)
    if expected == "login":
        assert login_redirect(response, url)
    elif expected == 403:
        assert response.status_code == 403
    else:
        assert response.status_code == 302
    assert mensa.name == ("Mensa solidale" if expected == "published" else "Mensa")
    revisions = ServiceRevision.objects.filter(service=everyone.mensa)
    assert revisions.filter(status=RevisionStatus.PENDING).count() == (expected == "pending")


@pytest.mark.parametrize("who", VISITORS)
def test_who_may_post_a_new_service(everyone, who):
    url = new(everyone.caritas)
    data = form_of(everyone, url, name="Doposcuola", category=everyone.mensa.category.code)
    response = everyone.client(who).post(url, data)
    expected = POST_OUTCOME[who]
    created = Service.objects.filter(name="Doposcuola")
    if expected == "login":
        assert login_redirect(response, url)
    elif expected == 403:
        assert response.status_code == 403
    assert created.exists() == (expected == "published")
    waiting = ServiceRevision.objects.filter(service=None, status=RevisionStatus.PENDING)
    assert waiting.exists() == (expected == "pending")


@pytest.mark.parametrize("who", VISITORS)
def test_who_may_close_a_service(everyone, who):
    url = close(everyone.mensa)
    data = {"reason": "Il progetto è finito", "base_version": "0"}
    response = everyone.client(who).post(url, data)
    expected = POST_OUTCOME[who]
    status = Service.objects.get(pk=everyone.mensa.pk).status
    if expected == "login":
        assert login_redirect(response, url)
    elif expected == 403:
        assert response.status_code == 403
    assert status == ("inactive" if expected == "published" else "active")
    waiting = ServiceRevision.objects.filter(service=everyone.mensa, status="pending")
    assert waiting.exists() == (expected == "pending")


ORG_OUTCOME = {**POST_OUTCOME, "editor": "published", "reviewer": 403}  # no review there


@pytest.mark.parametrize("who", VISITORS)
def test_who_may_change_the_organisation_page(everyone, who):
    url = org_edit(everyone.caritas)
    response = everyone.client(who).post(url, {"description": "Aiuto a chi ha bisogno"})
    expected = ORG_OUTCOME[who]
    everyone.caritas.refresh_from_db()
    if expected == "login":
        assert login_redirect(response, url)
    elif expected == 403:
        assert response.status_code == 403
    assert (everyone.caritas.description == "Aiuto a chi ha bisogno") == (expected == "published")


# --- The happy paths ----------------------------------------------------------------------


def monday_afternoon(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "hours-0-opens": "14:00", "hours-0-closes": "17:00"}


def test_an_untrusted_editor_s_change_waits_and_the_public_page_stays(everyone):
    url = edit(everyone.mensa)
    data = monday_afternoon(form_of(everyone, url, who="editor"))
    response = everyone.client("editor").post(url, data, follow=True)
    assert messages_of(response) == [(INFO, italian(PENDING))]
    revision = ServiceRevision.objects.get(service=everyone.mensa)
    assert revision.status == RevisionStatus.PENDING and revision.base_version == 0
    assert revision.data["schedule"]["hours"] == [[0, "14:00", "17:00", ""]]
    mensa = Service.objects.get(pk=everyone.mensa.pk)
    assert mensa.version == 0 and not ServiceVersion.objects.filter(service=mensa).exists()
    public = everyone.client("anonymous").get(f"/it/services/{mensa.code}/").content.decode()
    assert "09:00" in public and "14:00" not in public
    # The editor comes back to their change, not to the published hours.
    again = everyone.client("editor").get(url)
    assert again.context["hours"].forms[0]["opens"].value() == "14:00"


def test_a_trusted_organisation_s_editor_publishes_at_once(everyone):
    everyone.caritas.trusted = True
    everyone.caritas.save()
    url = edit(everyone.mensa)
    data = monday_afternoon(form_of(everyone, url, who="editor"))
    response = everyone.client("editor").post(url, data, follow=True)
    assert messages_of(response) == [(SUCCESS, italian("Published"))]
    mensa = Service.objects.get(pk=everyone.mensa.pk)
    assert mensa.version == 1
    version = ServiceVersion.objects.get(service=mensa, number=1)
    assert version.author == everyone.people["editor"]
    assert [(h.opens.hour, h.closes.hour) for h in mensa.schedule.hours.all()] == [(14, 17)]
    public = everyone.client("anonymous").get(f"/it/services/{mensa.code}/").content.decode()
    assert "14:00" in public


def test_an_administrator_publishes_with_a_note_and_a_minor_change(everyone):
    url = edit(everyone.mensa)
    data = form_of(everyone, url, name="Mensa.", minor="on", note="Punto finale")
    everyone.client("administrator").post(url, data)
    version = ServiceVersion.objects.get(service=everyone.mensa, number=1)
    assert (version.number, version.minor, version.note) == (1, True, "Punto finale")
    assert Service.objects.get(pk=everyone.mensa.pk).name == "Mensa."


def test_an_unchanged_form_keeps_every_field(everyone):
    """The form shows every field of the snapshot: saving it untouched changes nothing but
    the verification date."""
    before = service_snapshot(everyone.mensa)
    url = edit(everyone.mensa)
    everyone.client("administrator").post(url, form_of(everyone, url))
    after = service_snapshot(Service.objects.get(pk=everyone.mensa.pk))
    after["service"].pop("assured_date")
    before["service"].pop("assured_date")
    assert after == before


def test_a_new_service_from_an_untrusted_editor_waits(everyone):
    url = new(everyone.caritas)
    data = form_of(
        everyone, url, who="editor", name="Doposcuola", category=everyone.mensa.category.code,
        municipality="098031", **{"hours-0-weekday": "2", "hours-0-opens": "15:00",
                                   "hours-0-closes": "18:00"},
    )  # fmt: skip
    everyone.client("editor").post(url, data)
    revision = ServiceRevision.objects.get(service=None)
    assert revision.organization == everyone.caritas and revision.status == "pending"
    assert revision.data["schedule"]["hours"] == [[2, "15:00", "18:00", ""]]
    assert revision.data["location"]["placement"] == "municipality_centre"
    assert not Service.objects.filter(name="Doposcuola").exists()


def test_an_administrator_s_new_service_is_published(everyone):
    url = new(everyone.comune)
    data = form_of(everyone, url, name="Sportello casa", category=everyone.mensa.category.code)
    everyone.client("administrator").post(url, data)
    created = Service.objects.get(name="Sportello casa")
    assert created.organization == everyone.comune and created.code == "NEW-0001"
    assert created.version == 1 and created.status == ServiceStatus.ACTIVE


def test_a_new_service_needs_a_name_and_a_category(everyone):
    url = new(everyone.caritas)
    response = everyone.client("editor").post(url, form_of(everyone, url, who="editor"))
    assert response.status_code == 200
    assert response.context["form"].has_error("name")
    assert response.context["form"].has_error("category")
    assert not ServiceRevision.objects.exists()


def test_closing_by_an_untrusted_editor_waits_for_review(everyone):
    response = everyone.client("editor").post(
        close(everyone.mensa), {"reason": "Il progetto è finito", "base_version": "0"}
    )
    assert response.status_code == 302
    revision = ServiceRevision.objects.get(service=everyone.mensa)
    assert revision.data["service"]["status"] == "inactive"
    assert revision.note == "Il progetto è finito"
    assert Service.objects.get(pk=everyone.mensa.pk).status == "active"


def test_closing_by_an_administrator_closes_and_keeps_the_history(everyone):
    everyone.client("administrator").post(
        close(everyone.mensa), {"reason": "Trasferito", "base_version": "0"}
    )
    mensa = Service.objects.get(pk=everyone.mensa.pk)
    assert mensa.status == "inactive" and mensa.version == 1
    assert ServiceVersion.objects.get(service=mensa, number=1).note == "Trasferito"
    page = everyone.client("administrator").get(close(mensa))
    assert page.context["closed"]  # nothing left to confirm


def test_closing_needs_a_reason(everyone):
    response = everyone.client("administrator").post(
        close(everyone.mensa), {"reason": "   ", "base_version": "0"}
    )
    assert response.status_code == 200 and response.context["form"].has_error("reason")
    assert Service.objects.get(pk=everyone.mensa.pk).status == "active"


def test_closing_from_a_stale_page_is_refused(everyone):
    url = edit(everyone.mensa)
    everyone.client("administrator").post(url, form_of(everyone, url, name="Mensa nuova"))
    response = everyone.client("editor").post(
        close(everyone.mensa), {"reason": "Finito", "base_version": "0"}
    )
    assert response.status_code == 200 and response.context["stale"]
    assert response.context["form"]["base_version"].value() == "1"
    assert response.context["form"]["reason"].value() == "Finito"
    assert not ServiceRevision.objects.filter(author=everyone.people["editor"]).exists()


def test_the_organisation_page_is_saved_and_its_description_resynced(everyone):
    url = org_edit(everyone.caritas)
    response = everyone.client("editor").post(
        url, {"description": SCRIPT, "website": "caritas.example.org", "email": "c@example.org"}
    )
    assert response.status_code == 302
    everyone.caritas.refresh_from_db()
    assert everyone.caritas.description == SCRIPT
    assert everyone.caritas.website == "https://caritas.example.org"
    source = SourceText.objects.get(
        content_type=ContentType.objects.get_for_model(everyone.caritas),
        object_id=everyone.caritas.pk,
        field="description",
    )
    assert source.text == SCRIPT
    page = everyone.client("editor").get(url).content.decode()
    assert ESCAPED in page and SCRIPT not in page


def test_a_wrong_e_mail_on_the_organisation_page_saves_nothing(everyone):
    response = everyone.client("editor").post(
        org_edit(everyone.caritas), {"description": "Nuovo", "email": "non è un indirizzo"}
    )
    assert response.status_code == 200 and response.context["form"].has_error("email")
    everyone.caritas.refresh_from_db()
    assert everyone.caritas.description == ""


# --- Bad input ----------------------------------------------------------------------------


def nothing_changed(everyone) -> None:
    for target in (everyone.mensa, everyone.anagrafe):
        fresh = Service.objects.get(pk=target.pk)
        assert fresh.version == 0 and fresh.name == target.name
    assert not ServiceRevision.objects.exists()
    assert not ServiceVersion.objects.exists()


def test_an_editor_posting_another_organisation_s_service_is_refused(everyone):
    url = edit(everyone.anagrafe)
    response = everyone.client("editor").post(url, form_of(everyone, url, name="Mia"))
    assert response.status_code == 403
    nothing_changed(everyone)


def test_an_editor_posting_another_organisation_s_id_is_refused(everyone):
    url = new(everyone.comune)
    data = form_of(everyone, url, name="Mia", category=everyone.mensa.category.code)
    assert everyone.client("editor").post(url, data).status_code == 403
    # The organisation slipped into the form of their own service: refused too.
    url = edit(everyone.mensa)
    for key in ("organization", "organization_id"):
        data = form_of(everyone, url, name="Mia", **{key: str(everyone.comune.pk)})
        assert everyone.client("editor").post(url, data).status_code == 403
    url = close(everyone.mensa)
    data = {"reason": "x", "base_version": "0", "organization": str(everyone.comune.pk)}
    assert everyone.client("editor").post(url, data).status_code == 403
    data = {"description": "x", "organization": str(everyone.comune.pk)}
    assert everyone.client("editor").post(org_edit(everyone.caritas), data).status_code == 403
    nothing_changed(everyone)
    assert Service.objects.filter(organization=everyone.comune).count() == 1
    everyone.caritas.refresh_from_db()
    assert everyone.caritas.description == ""


def test_a_stale_form_is_refused_with_the_input_kept_and_the_other_change_shown(everyone):
    url = edit(everyone.mensa)
    editor_form = form_of(everyone, url, who="editor")  # opened at version 0
    admin = everyone.client("administrator")
    admin.post(url, form_of(everyone, url, name="Mensa dei poveri", note="Nome ufficiale"))
    mine = {**editor_form, "name": "Mensa solidale " + SCRIPT, "description": "Pasti caldi"}
    response = everyone.client("editor").post(url, mine)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mensa dei poveri" in page  # the other change, beside theirs
    differences = {row.label: (row.old_text, row.new_text) for row in response.context["stale"]}
    assert differences == {
        italian("Name"): ("Mensa dei poveri", "Mensa solidale " + SCRIPT),
        italian("Description"): ("", "Pasti caldi"),
    }
    assert "Nome ufficiale" in page  # why the other person changed it
    assert 'value="Mensa solidale ' in page and "Pasti caldi" in page  # their input kept
    assert SCRIPT not in page and "&lt;script&gt;" in page
    assert Service.objects.get(pk=everyone.mensa.pk).name == "Mensa dei poveri"
    assert not ServiceRevision.objects.filter(author=everyone.people["editor"]).exists()
    # Having seen it, saving again is deliberate: the form now stands on version 1.
    resent = posted(response)
    assert resent["base_version"] == "1"
    everyone.client("editor").post(url, resent)
    assert ServiceRevision.objects.get(author=everyone.people["editor"]).base_version == 1


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({"hours-0-opens": "18:00", "hours-0-closes": "09:00"}, "18:00–09:00"),
        ({"hours-0-opens": "12:00", "hours-0-closes": "12:00"}, "12:00–12:00"),
        (
            {"hours-1-weekday": "0", "hours-1-opens": "11:00", "hours-1-closes": "13:00"},
            "09:00–12:00",
        ),
        ({"hours-1-weekday": "0", "hours-1-opens": "10:00"}, None),  # half a row
    ],
)
def test_backwards_or_overlapping_hours_are_refused(everyone, rows, message):
    url = edit(everyone.mensa)
    response = everyone.client("editor").post(url, form_of(everyone, url, who="editor", **rows))
    assert response.status_code == 200
    hours = response.context["hours"]
    assert not hours.is_valid()
    page = response.content.decode()
    assert 'role="alert"' in page
    if message:
        assert message in page
    nothing_changed(everyone)


def test_overlap_message_names_the_day(everyone):
    url = edit(everyone.mensa)
    rows = {"hours-1-weekday": "0", "hours-1-opens": "11:00", "hours-1-closes": "13:00"}
    response = everyone.client("administrator").post(url, form_of(everyone, url, **rows))
    errors = " ".join(response.context["hours"].non_form_errors())
    with translation.override("it"):
        assert "11:00–13:00" in errors and "09:00–12:00" in errors
    nothing_changed(everyone)


def test_touching_openings_are_accepted(everyone):
    url = edit(everyone.mensa)
    rows = {"hours-1-weekday": "0", "hours-1-opens": "12:00", "hours-1-closes": "14:00"}
    everyone.client("administrator").post(url, form_of(everyone, url, **rows))
    hours = Service.objects.get(pk=everyone.mensa.pk).schedule.hours.all()
    assert [(h.opens.hour, h.closes.hour) for h in hours] == [(9, 12), (12, 14)]


def test_a_place_outside_the_territory_is_refused_with_the_map(everyone):
    url = edit(everyone.mensa)
    data = form_of(everyone, url, who="editor", latitude="41.902800", longitude="12.496400")
    response = everyone.client("editor").post(url, data)
    assert response.status_code == 200
    assert response.context["form"].has_error("latitude")
    page = response.content.decode()
    assert 'id="location-map"' in page and "manage/service_form.js" in page
    assert "vendor/leaflet/leaflet.js" in page
    assert 'value="41.902800"' in page  # what they typed stays to be corrected
    nothing_changed(everyone)


def test_swapped_coordinates_are_named(everyone):
    url = edit(everyone.mensa)
    data = form_of(everyone, url, latitude="9.505000", longitude="45.315000")
    response = everyone.client("administrator").post(url, data)
    # The page is Italian: "Latitude and longitude look swapped" as the catalogue says it.
    assert "sembrano invertite" in " ".join(response.context["form"].errors["latitude"])
    nothing_changed(everyone)


TEXT_FIELDS = [
    "name", "description", "eligibility", "required_documents", "cost", "application_process",
    "languages_note", "accessibility", "notes", "address", "original_text", "note",
]  # fmt: skip


def test_html_in_every_text_is_stored_as_text_and_escaped(everyone):
    url = edit(everyone.mensa)
    texts = dict.fromkeys(TEXT_FIELDS, SCRIPT)
    data = form_of(everyone, url, **texts, **{"hours-0-label": SCRIPT[:60]})
    assert everyone.client("administrator").post(url, data).status_code == 302
    mensa = Service.objects.get(pk=everyone.mensa.pk)
    for name in TEXT_FIELDS[:9]:
        assert getattr(mensa, name) == SCRIPT, name
    assert mensa.locations.get().address == SCRIPT
    assert mensa.schedule.original_text == SCRIPT
    assert mensa.schedule.hours.get().label == SCRIPT[:60]
    assert ServiceVersion.objects.get(service=mensa, number=1).note == SCRIPT
    for page_url in (url, close(mensa), f"/it/services/{mensa.code}/"):
        page = everyone.client("administrator").get(page_url).content.decode()
        assert "<script>alert" not in page and "<b>grassetto" not in page, page_url
        assert "&lt;script&gt;" in page, page_url
    preview = everyone.client("administrator").get(url).context["preview"]
    assert preview.shows_original_text  # the preview shows the text too, escaped above


def test_html_in_an_editor_s_change_is_kept_as_text_in_the_revision(everyone):
    url = edit(everyone.mensa)
    data = form_of(everyone, url, who="editor", description=SCRIPT, note=SCRIPT)
    everyone.client("editor").post(url, data)
    revision = ServiceRevision.objects.get(service=everyone.mensa)
    assert revision.data["service"]["description"] == SCRIPT and revision.note == SCRIPT
    page = everyone.client("editor").get(url).content.decode()
    assert "<script>alert" not in page and ESCAPED in page


def test_phone_numbers_are_validated(everyone):
    url = edit(everyone.mensa)
    data = form_of(everyone, url, phone_1="0371 40911 int. 2", phone_2="abc")
    response = everyone.client("editor").post(url, data)
    form = response.context["form"]
    assert form.has_error("phone_1") and form.has_error("phone_2")
    assert "0371 40911 int. 2" in response.content.decode()
    nothing_changed(everyone)
    data = form_of(everyone, url, phone_1="0371/409111", phone_2="112", phone_3="+39 333 1234567")
    everyone.client("administrator").post(url, data)
    assert service_snapshot(Service.objects.get(pk=everyone.mensa.pk))["phones"] == [
        ["+390371409111", False],
        ["112", True],
        ["+393331234567", False],
    ]


def test_the_preview_shows_the_new_hours_and_saves_nothing(everyone):
    url = edit(everyone.mensa)
    opened = everyone.client("editor").get(url)
    assert "09:00" in opened.content.decode().split('id="preview"')[1]
    data = monday_afternoon(posted(opened, preview="1"))
    response = everyone.client("editor").post(url, data)
    assert response.status_code == 200 and response.context["previewing"]
    shown = response.content.decode().split('id="preview"')[1]
    assert "14:00" in shown and "09:00" not in shown
    # Without JavaScript, a preview is how one gets more empty rows.
    assert response.context["hours"].total_form_count() >= 3
    nothing_changed(everyone)


def test_a_closed_service_stays_closed_unless_reopened(everyone):
    Service.objects.filter(pk=everyone.mensa.pk).update(status=ServiceStatus.INACTIVE)
    url = edit(everyone.mensa)
    everyone.client("administrator").post(url, form_of(everyone, url, name="Mensa chiusa"))
    mensa = Service.objects.get(pk=everyone.mensa.pk)
    assert (mensa.name, mensa.status) == ("Mensa chiusa", "inactive")
    everyone.client("administrator").post(url, form_of(everyone, url, reopen="on"))
    assert Service.objects.get(pk=everyone.mensa.pk).status == "active"


def test_a_damaged_version_field_saves_nothing(everyone):
    url = edit(everyone.mensa)
    response = everyone.client("editor").post(url, form_of(everyone, url, base_version="-1"))
    assert response.status_code == 200 and response.context["form"].has_error("base_version")
    nothing_changed(everyone)


# --- Edit and approve ------------------------------------------------------------------------


def pending_change(everyone) -> ServiceRevision:
    url = edit(everyone.mensa)
    everyone.client("editor").post(url, form_of(everyone, url, who="editor", name="Mensa nuova"))
    return ServiceRevision.objects.get(service=everyone.mensa, status=RevisionStatus.PENDING)


def test_a_reviewer_corrects_a_change_and_publishes_it(everyone):
    revision = pending_change(everyone)
    url = f"{edit(everyone.mensa)}?revision={revision.pk}"
    page = everyone.client("reviewer").get(url)
    assert page.context["form"]["name"].value() == "Mensa nuova"  # the editor's change
    data = posted(page, name="Mensa nuova della Caritas")
    assert data["revision"] == str(revision.pk)
    response = everyone.client("reviewer").post(edit(everyone.mensa), data)
    assert response.status_code == 302
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.APPROVED
    assert revision.reviewer == everyone.people["reviewer"]
    assert Service.objects.get(pk=everyone.mensa.pk).name == "Mensa nuova della Caritas"


def test_only_reviewers_edit_a_change_under_review(everyone):
    revision = pending_change(everyone)
    url = f"{edit(everyone.mensa)}?revision={revision.pk}"
    assert everyone.client("editor").get(url).status_code == 403
    assert (
        everyone.client("reviewer")
        .get(f"{edit(everyone.anagrafe)}?revision={revision.pk}")
        .status_code
        == 404
    )
    assert (
        everyone.client("reviewer").get(f"{edit(everyone.mensa)}?revision=abc").status_code == 404
    )
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.PENDING
