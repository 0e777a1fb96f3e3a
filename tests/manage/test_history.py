"""One service in the back office: its page with "still correct" and its history, a version
with its diff, and restoring it. Each view once per role; every refusal changes nothing."""

from datetime import date

import pytest
from django.utils import timezone

from pertutti.directory.models import Service
from pertutti.directory.snapshots import service_snapshot
from pertutti.editorial.models import ServiceVersion, VersionSource
from pertutti.editorial.services import service_publish
from tests.manage.cast import VISITORS, cast, login_redirect, service


def publish(svc: Service, *, author=None, note: str = "", **fields) -> ServiceVersion:
    """A new published version of `svc` with some of its fields changed."""
    data = service_snapshot(svc)
    data["service"].update(fields)
    return service_publish(
        service=svc,
        data=data,
        base_version=svc.version,
        source=VersionSource.EDITOR,
        author=author,
        note=note,
    )


@pytest.fixture
def everyone(lodi):
    c = cast(lodi)
    c.mensa = service(c.caritas, code="CAR-001", name="Mensa", assured_date=date(2020, 1, 1))
    publish(c.mensa, author=c.people["editor"], note="Prima versione")
    publish(c.mensa, name="Mensa serale", note="Nuovo nome")
    c.anagrafe = service(c.comune, code="COM-001", name="Anagrafe")
    publish(c.anagrafe)
    c.foreign_service = service(c.foreign, code="FOR-001", name="Mensa di Cremona")
    return c


def page(code: str, language: str = "it") -> str:
    return f"/{language}/manage/services/{code}/"


# Messages are checked on the English pages (the msgids): the catalogues may word them freely.


def versions(svc: Service) -> list[int]:
    return list(svc.versions.order_by("number").values_list("number", flat=True))


# Caritas' service (the editor's organisation), the Comune's, another territory's.
SEES = {
    "anonymous": ("login", "login", "login"),
    "administrator": (200, 200, 404),
    "reviewer": (200, 200, 404),
    "editor": (200, 403, 404),
    "translator": (403, 403, 404),
    "operator": (200, 200, 404),
    "stranger": (403, 403, 403),
    "superuser": (200, 200, 404),
}


@pytest.mark.parametrize("who", VISITORS)
def test_who_sees_a_service_and_its_history(everyone, who):
    client = everyone.client(who)
    for code, expected in zip(["CAR-001", "COM-001", "FOR-001"], SEES[who], strict=True):
        for url in (page(code), f"{page(code)}versions/1/"):
            response = client.get(url)
            if expected == "login":
                assert login_redirect(response, url)
            else:
                assert response.status_code == expected, (code, url)
                assert "no-store" in response.get("Cache-Control", "") or expected == 404


def test_the_page_shows_the_service_its_verification_and_every_version(everyone):
    response = everyone.client("editor").get(page("car-001"))  # codes in any case
    html = response.content.decode()
    assert "Mensa serale" in html
    assert "Informazioni verificate il" in html and "1 gennaio 2020" in html
    assert 'class="note stale-notice"' in html  # over a year: the public is warned
    assert 'action="/it/manage/services/CAR-001/verify/"' in html
    assert 'name="base_version" value="2"' in html
    rows = response.context["versions"]
    assert [(v.number, author, v.note) for v, author in rows] == [
        (2, "", "Nuovo nome"),
        (1, "editor", "Prima versione"),
    ]
    assert 'href="/it/manage/services/CAR-001/versions/1/"' in html
    english = everyone.client("editor").get(page("CAR-001", "en")).content.decode()
    assert "Edited" in english and "Not verified for a year or more" in english


def test_an_operator_sees_the_history_but_no_buttons(everyone):
    html = everyone.client("operator").get(page("CAR-001")).content.decode()
    assert "Nuovo nome" in html
    assert "/verify/" not in html
    html = everyone.client("operator").get(page("CAR-001") + "versions/1/").content.decode()
    assert "/restore/" not in html


def test_a_service_without_versions_says_so(everyone, lodi):
    service(everyone.caritas, code="CAR-009", name="Nuovo")
    html = everyone.client("administrator").get(page("CAR-009", "en")).content.decode()
    assert "Information last verified on" in html  # the cast's services are verified
    assert "No version is recorded yet" in html
    assert everyone.client("administrator").get(page("CAR-009")).context["versions"] == []


def test_unknown_codes_and_versions_are_not_found(everyone):
    client = everyone.client("administrator")
    assert client.get(page("NOPE-1")).status_code == 404
    assert client.get(page("CAR-001") + "versions/9/").status_code == 404
    assert client.get(page("CAR-001") + "versions/0/").status_code == 404


# --- "still correct" ------------------------------------------------------------------------


VERIFY = {  # directory.change_service on Caritas' service
    "anonymous": "login",
    "administrator": 302,
    "reviewer": 302,
    "editor": 302,
    "translator": 403,
    "operator": 403,
    "stranger": 403,
    "superuser": 302,
}


@pytest.mark.parametrize("who", VISITORS)
def test_who_may_confirm_still_correct(everyone, who):
    url = page("CAR-001") + "verify/"
    response = everyone.client(who).post(url, {"base_version": "2"})
    mensa = Service.objects.get(pk=everyone.mensa.pk)
    if VERIFY[who] == "login":
        assert login_redirect(response, url)
    else:
        assert response.status_code == VERIFY[who]
    if VERIFY[who] == 302:
        assert response["Location"] == page("CAR-001")
        assert mensa.assured_date == timezone.localdate() and mensa.version == 3
        latest = mensa.versions.first()
        assert latest.source == VersionSource.VERIFIED and latest.minor
    else:
        assert mensa.assured_date == date(2020, 1, 1) and versions(mensa) == [1, 2]


def test_still_correct_changes_only_the_date_and_the_page_says_thanks(everyone):
    client = everyone.client("editor")
    before = service_snapshot(everyone.mensa)
    response = client.post(page("CAR-001", "en") + "verify/", {"base_version": "2"}, follow=True)
    html = response.content.decode()
    assert "Thank you: the information is confirmed as still correct." in html
    assert 'class="note stale-notice"' not in html  # verified today
    mensa = Service.objects.get(pk=everyone.mensa.pk)
    after = service_snapshot(mensa)
    assert after["service"].pop("assured_date") == timezone.localdate().isoformat()
    before["service"].pop("assured_date")
    assert after == before
    assert mensa.versions.first().author == everyone.people["editor"]


@pytest.mark.parametrize("posted", ["1", "", "due", "-5"])
def test_a_stale_or_garbled_still_correct_is_refused(everyone, posted):
    client = everyone.client("editor")
    url = page("CAR-001", "en") + "verify/"
    response = client.post(url, {"base_version": posted}, follow=True)
    assert response.status_code == 200
    assert "nothing was confirmed" in response.content.decode()
    mensa = Service.objects.get(pk=everyone.mensa.pk)
    assert mensa.assured_date == date(2020, 1, 1) and versions(mensa) == [1, 2]


def test_an_editor_may_not_confirm_another_organisations_service(everyone):
    response = everyone.client("editor").post(page("COM-001") + "verify/", {"base_version": "1"})
    assert response.status_code == 403
    assert versions(everyone.anagrafe) == [1]


def test_another_territorys_service_is_not_found_for_a_write(everyone):
    response = everyone.client("administrator").post(
        page("FOR-001") + "verify/", {"base_version": "0"}
    )
    assert response.status_code == 404
    assert not ServiceVersion.objects.filter(service=everyone.foreign_service).exists()


def test_confirming_is_a_post(everyone):
    assert everyone.client("editor").get(page("CAR-001") + "verify/").status_code == 405


# --- a version and restoring it -------------------------------------------------------------


def test_a_version_shows_its_data_and_what_it_changed(everyone):
    client = everyone.client("reviewer")
    html = client.get(page("CAR-001") + "versions/2/").content.decode()
    changes = client.get(page("CAR-001") + "versions/2/").context["changes"]
    assert [(c.old_text, c.new_text) for c in changes] == [("Mensa", "Mensa serale")]
    assert "Nuovo nome" in html and "Mensa serale" in html
    assert "/restore/" not in html  # the current version
    first = client.get(page("CAR-001") + "versions/1/")
    assert first.context["changes"] is None  # nothing before it
    assert 'action="/it/manage/services/CAR-001/versions/1/restore/"' in first.content.decode()
    assert any(f.new_text == "Mensa" for f in first.context["fields"])


RESTORE = {  # editorial.restore
    "anonymous": "login",
    "administrator": 302,
    "reviewer": 302,
    "editor": 403,
    "translator": 403,
    "operator": 403,
    "stranger": 403,
    "superuser": 302,
}


@pytest.mark.parametrize("who", VISITORS)
def test_who_may_restore(everyone, who):
    url = page("CAR-001") + "versions/1/restore/"
    response = everyone.client(who).post(url, {"base_version": "2"})
    mensa = Service.objects.get(pk=everyone.mensa.pk)
    if RESTORE[who] == "login":
        assert login_redirect(response, url)
    else:
        assert response.status_code == RESTORE[who]
    if RESTORE[who] == 302:
        assert mensa.name == "Mensa" and versions(mensa) == [1, 2, 3]
    else:
        assert mensa.name == "Mensa serale" and versions(mensa) == [1, 2]


def test_restoring_makes_a_new_version_the_public_sees_and_the_history_keeps_all(everyone):
    client = everyone.client("reviewer")
    assert everyone.client("anonymous").get("/it/services/CAR-001/").status_code == 200
    response = client.post(page("CAR-001", "en") + "versions/1/restore/", {"base_version": "2"})
    assert response["Location"] == page("CAR-001", "en")
    message = client.get(response["Location"]).content.decode()
    assert "Version 1 restored: it is now published as version 3." in message
    mensa = Service.objects.get(pk=everyone.mensa.pk)
    latest = mensa.versions.first()
    assert (latest.number, latest.source, latest.author) == (
        3,
        VersionSource.RESTORE,
        everyone.people["reviewer"],
    )
    assert latest.data["service"]["name"] == "Mensa"
    public = everyone.client("anonymous").get("/it/services/CAR-001/").content.decode()
    assert '<h1 lang="it">Mensa</h1>' in public
    html = client.get(page("CAR-001")).content.decode()
    for number in (1, 2, 3):
        assert f'href="/it/manage/services/CAR-001/versions/{number}/"' in html


def test_a_stale_restore_is_refused_and_changes_nothing(everyone):
    publish(everyone.mensa, name="Cambiata nel frattempo")  # version 3, after the page opened
    client = everyone.client("administrator")
    response = client.post(
        page("CAR-001", "en") + "versions/1/restore/", {"base_version": "2"}, follow=True
    )
    assert "nothing was restored" in response.content.decode()
    mensa = Service.objects.get(pk=everyone.mensa.pk)
    assert mensa.name == "Cambiata nel frattempo" and versions(mensa) == [1, 2, 3]


@pytest.mark.parametrize("posted", [{}, {"base_version": "x"}])
def test_a_restore_without_the_shown_version_is_refused(everyone, posted):
    everyone.client("administrator").post(page("CAR-001") + "versions/1/restore/", posted)
    assert versions(everyone.mensa) == [1, 2]


def test_restoring_the_current_version_is_refused(everyone):
    client = everyone.client("administrator")
    response = client.post(
        page("CAR-001", "en") + "versions/2/restore/", {"base_version": "2"}, follow=True
    )
    assert "already the current version: nothing was restored" in response.content.decode()
    assert versions(everyone.mensa) == [1, 2]


def test_restoring_an_unknown_version_or_another_territorys_is_not_found(everyone):
    client = everyone.client("administrator")
    assert (
        client.post(page("CAR-001") + "versions/7/restore/", {"base_version": "2"}).status_code
        == 404
    )
    assert (
        client.post(page("FOR-001") + "versions/1/restore/", {"base_version": "0"}).status_code
        == 404
    )
    assert versions(everyone.mensa) == [1, 2]


def test_restore_is_a_post(everyone):
    assert (
        everyone.client("reviewer").get(page("CAR-001") + "versions/1/restore/").status_code == 405
    )


def test_html_in_every_field_is_shown_as_text(everyone):
    evil = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    publish(everyone.mensa, name=evil, description=evil, note=evil)
    client = everyone.client("administrator")
    for url in (page("CAR-001"), page("CAR-001") + "versions/3/", page("CAR-001") + "versions/1/"):
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html, url
    html = client.get(page("CAR-001") + "versions/3/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_page_links_to_the_service_form_and_closing_where_they_exist(everyone):
    from django.urls import NoReverseMatch, reverse

    html = everyone.client("editor").get(page("CAR-001")).content.decode()
    for name in ("manage:service_edit", "manage:service_close"):
        try:
            url = reverse(name, kwargs={"code": "CAR-001"})
        except NoReverseMatch:
            continue
        assert f'href="{url}"' in html
        assert (
            f'href="{url}"' not in everyone.client("operator").get(page("CAR-001")).content.decode()
        )
