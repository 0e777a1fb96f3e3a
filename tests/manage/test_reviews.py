"""Reviews in the back office: who sees which changes, who decides, the diff as text, and the
bad inputs (a service closed meanwhile, forged ids, no CSRF token, HTML in the texts). Also
trusted organisations and the dashboard's review blocks."""

import copy
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from pertutti.accounts.models import AuditAction, AuditEvent, Role
from pertutti.directory.models import Organization, Service
from pertutti.directory.snapshots import service_snapshot
from pertutti.editorial.models import RevisionStatus, ServiceRevision, ServiceVersion
from pertutti.editorial.services import revision_approve, revision_return, revision_submit
from tests.manage.cast import VISITORS, cast, login_redirect, service
from tests.staff import make_person, sign_in

LIST = "/it/manage/reviews/"
SCRIPT = '<script>alert("x")</script>'
HOURS = {
    "original_text": "", "always_open": False, "by_appointment": False, "closed_months": [],
    "unparsed_text": "", "valid_from": None, "valid_to": None,
    "hours": [[0, "09:00", "12:00", ""], [0, "14:00", "17:00", ""]],
}  # fmt: skip


def detail(revision, language: str = "it") -> str:
    return f"/{language}/manage/reviews/{revision.pk}/"


def proposal(svc: Service, **service_fields) -> dict:
    data = copy.deepcopy(service_snapshot(svc))
    data["service"].update(service_fields)
    return data


@pytest.fixture
def everyone(lodi):
    c = cast(lodi)
    c.mensa = service(c.caritas, code="CAR-001", name="Mensa")
    c.people["other_editor"] = make_person(
        "other_editor", lodi, Role.EDITOR, organizations=[c.comune]
    )
    data = proposal(c.mensa, name="Mensa serale", description=f"Cena {SCRIPT}")
    data["schedule"] = HOURS
    c.revision = revision_submit(
        organization=c.caritas, service=c.mensa, data=data, author=c.people["editor"],
        note=f"Nuovi orari {SCRIPT}", minor=False,
    )  # fmt: skip
    foreign_service = service(c.foreign, code="CRE-001", name="Mensa di Cremona")
    c.foreign_revision = revision_submit(
        organization=c.foreign, service=foreign_service, data=proposal(foreign_service),
        author=c.people["stranger"],
    )  # fmt: skip
    return c


def unchanged(c) -> bool:
    revision = ServiceRevision.objects.get(pk=c.revision.pk)
    mensa = Service.objects.get(pk=c.mensa.pk)
    return (
        revision.status == RevisionStatus.PENDING
        and revision.review_comment == ""
        and mensa.name == "Mensa"
        and mensa.version == 0
        and not ServiceVersion.objects.filter(service=mensa).exists()
    )


# --- the list ------------------------------------------------------------------------------

LIST_SEES = {
    "anonymous": "login",
    "administrator": "pending",
    "reviewer": "pending",
    "editor": "own",
    "translator": "own",
    "operator": "own",
    "stranger": 403,
    "superuser": "pending",
}


@pytest.mark.parametrize("who", VISITORS)
def test_who_sees_which_changes(everyone, who):
    response = everyone.client(who).get(LIST)
    expected = LIST_SEES[who]
    if expected == "login":
        assert login_redirect(response, LIST)
        return
    if isinstance(expected, int):
        assert response.status_code == expected
        return
    assert response.status_code == 200
    assert response.context["reviewer"] is (expected == "pending")
    shown = [revision.pk for revision, _name, _outcome in response.context["rows"]]
    page = response.content.decode()
    assert "Mensa di Cremona" not in page  # another territory's change, never
    if expected == "pending" or who == "editor":
        assert shown == [everyone.revision.pk]
        assert "CAR-001" in page and "Mensa" in page
    else:
        assert shown == []


def test_an_editor_sees_the_outcome_of_their_changes(everyone):
    revision_return(
        revision=everyone.revision, reviewer=everyone.people["reviewer"], comment=SCRIPT
    )
    response = everyone.client("editor").get(LIST)
    page = response.content.decode()
    assert response.context["rows"][0][2] == str(RevisionStatus.RETURNED.label)
    assert SCRIPT not in page and "&lt;script&gt;" in page


def test_the_list_names_a_new_service(everyone):
    revision_submit(
        organization=everyone.caritas, data=proposal(everyone.mensa, name="Sportello nuovo"),
        author=everyone.people["editor"], minor=True,
    )  # fmt: skip
    response = everyone.client("reviewer").get(LIST)
    names = [(revision.service_id, name) for revision, name, _o in response.context["rows"]]
    assert (None, "Sportello nuovo") in names


# --- the page of one change ----------------------------------------------------------------

# (the change of Caritas, the change of another territory)
DETAIL = {
    "anonymous": ("login", "login"),
    "administrator": (200, 404),
    "reviewer": (200, 404),
    "editor": (200, 404),  # its author: may follow it, not decide
    "other_editor": (403, 404),
    "translator": (403, 404),
    "operator": (403, 404),
    "stranger": (403, 403),  # no role in Lodi: stopped at the gate
    "superuser": (200, 404),
}


@pytest.mark.parametrize("who", [*VISITORS, "other_editor"])
def test_who_opens_which_change(everyone, who):
    client = everyone.client(who)
    for revision, expected in zip(
        [everyone.revision, everyone.foreign_revision], DETAIL[who], strict=True
    ):
        response = client.get(detail(revision))
        if expected == "login":
            assert login_redirect(response, detail(revision))
        else:
            assert response.status_code == expected
            if expected == 200:
                may_decide = who in ("administrator", "reviewer", "superuser")
                assert response.context["may_review"] is may_decide
                assert ('name="decision"' in response.content.decode()) is may_decide


def test_the_diff_shows_old_and_new_as_escaped_text(everyone):
    response = everyone.client("reviewer").get(detail(everyone.revision))
    page = response.content.decode()
    changes = {c.label: (c.old_text, c.new_text) for c in response.context["changes"]}
    assert changes["Nome"] == ("Mensa", "Mensa serale")
    assert changes["Orari di apertura"][1] == "Lunedì 09:00–12:00, 14:00–17:00"
    assert "Lunedì 09:00–12:00, 14:00–17:00" in page
    assert SCRIPT not in page  # neither the description nor the author's note
    assert page.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") == 2


def test_a_new_service_is_all_new(everyone):
    revision = revision_submit(
        organization=everyone.caritas, data=proposal(everyone.mensa, name="Sportello nuovo"),
        author=everyone.people["editor"],
    )  # fmt: skip
    response = everyone.client("reviewer").get(detail(revision))
    assert response.status_code == 200
    assert all(c.old_text == "" for c in response.context["changes"])
    assert "Sportello nuovo" in response.content.decode()


def test_approving_a_new_service_creates_it(everyone):
    revision = revision_submit(
        organization=everyone.caritas, data=proposal(everyone.mensa, name="Sportello nuovo"),
        author=everyone.people["editor"],
    )  # fmt: skip
    client = everyone.client("reviewer")
    assert client.get(detail(revision)).context["edit_link"] == ""  # no service to edit yet
    response = client.post(detail(revision), {"decision": "approve"})
    assert response.status_code == 302
    created = Service.objects.get(name="Sportello nuovo")
    assert ServiceRevision.objects.get(pk=revision.pk).service == created


def test_edit_and_approve_links_the_service_form_when_there_is_one(everyone):
    response = everyone.client("reviewer").get(detail(everyone.revision))
    try:
        form = reverse("manage:service_edit", args=[everyone.mensa.code])
    except NoReverseMatch:
        assert response.context["edit_link"] == ""
    else:
        assert response.context["edit_link"] == f"{form}?revision={everyone.revision.pk}"
        assert form == "/it/manage/services/CAR-001/edit/"


# --- deciding ------------------------------------------------------------------------------

DECIDES = {
    "anonymous": "login",
    "administrator": 302,
    "reviewer": 302,
    "editor": 403,
    "other_editor": 403,
    "translator": 403,
    "operator": 403,
    "stranger": 403,
    "superuser": 302,
}


@pytest.mark.parametrize("who", [*VISITORS, "other_editor"])
def test_who_may_approve(everyone, who):
    url = detail(everyone.revision)
    response = everyone.client(who).post(url, {"decision": "approve", "approve-comment": "Ok"})
    expected = DECIDES[who]
    if expected == "login":
        assert login_redirect(response, url)
        assert unchanged(everyone)
    elif expected == 403:
        assert response.status_code == 403
        assert unchanged(everyone)
    else:
        assert response.status_code == 302 and response["Location"] == LIST
        revision = ServiceRevision.objects.get(pk=everyone.revision.pk)
        assert (revision.status, revision.review_comment) == ("approved", "Ok")
        mensa = Service.objects.get(pk=everyone.mensa.pk)
        assert mensa.name == "Mensa serale" and mensa.schedule.hours.count() == 2


@pytest.mark.parametrize("who", ["editor", "operator", "translator", "stranger"])
def test_who_may_not_send_back(everyone, who):
    response = everyone.client(who).post(
        detail(everyone.revision), {"decision": "return", "return-comment": "No"}
    )
    assert response.status_code == 403
    assert unchanged(everyone)


def test_sent_back_with_a_comment(everyone):
    client = everyone.client("reviewer")
    response = client.post(
        detail(everyone.revision), {"decision": "return", "return-comment": SCRIPT}, follow=True
    )
    assert response.redirect_chain[-1][0] == LIST
    revision = ServiceRevision.objects.get(pk=everyone.revision.pk)
    assert (revision.status, revision.review_comment) == ("returned", SCRIPT)
    assert Service.objects.get(pk=everyone.mensa.pk).name == "Mensa"  # the public sees no change
    page = client.get(detail(everyone.revision)).content.decode()
    assert SCRIPT not in page and "&lt;script&gt;" in page
    assert 'name="decision"' not in page  # decided: nothing more to decide


def test_sending_back_needs_a_comment(everyone):
    response = everyone.client("reviewer").post(
        detail(everyone.revision, "en"), {"decision": "return", "return-comment": "   "}
    )
    assert response.status_code == 400
    assert "Say what should change." in response.content.decode()
    assert unchanged(everyone)


def test_an_unknown_decision_is_refused(everyone):
    response = everyone.client("reviewer").post(detail(everyone.revision), {"decision": "delete"})
    assert response.status_code == 400 and response.context["error"]
    assert unchanged(everyone)


def test_a_comment_too_long_is_refused(everyone):
    response = everyone.client("reviewer").post(
        detail(everyone.revision), {"decision": "approve", "approve-comment": "x" * 5000}
    )
    assert response.status_code == 400 and response.context["approve_form"].errors
    assert unchanged(everyone)


def close(svc: Service) -> None:
    from pertutti.editorial.services import service_publish

    data = service_snapshot(svc)
    data["service"]["status"] = "inactive"
    service_publish(service=svc, data=data, base_version=svc.version, source="editor", author=None)


def test_approving_a_change_to_a_service_closed_meanwhile_is_refused(everyone):
    close(everyone.mensa)
    client = everyone.client("reviewer")
    page = client.get(detail(everyone.revision))
    assert page.context["changed_since"] and page.context["closed"]
    assert 'value="approve"' not in page.content.decode()  # not offered...
    response = client.post(detail(everyone.revision, "en"), {"decision": "approve"})  # nor done
    assert response.status_code == 409
    assert "The service was closed after this change was proposed" in response.context["error"]
    revision = ServiceRevision.objects.get(pk=everyone.revision.pk)
    assert revision.status == RevisionStatus.PENDING
    mensa = Service.objects.get(pk=everyone.mensa.pk)
    assert (mensa.status, mensa.name, mensa.version) == ("inactive", "Mensa", 1)
    # The comparison is with the service as it is now: it shows the closing too.
    changes = {c.label: c.new_text for c in response.context["changes"]}
    assert changes["Status"] == "Active"  # what the change would bring back


def test_approving_a_change_to_a_service_changed_meanwhile_is_refused(everyone):
    from pertutti.editorial.services import service_publish

    data = proposal(everyone.mensa, name="Mensa dei poveri")
    service_publish(service=everyone.mensa, data=data, base_version=0, source="editor", author=None)
    url = detail(everyone.revision, "en")
    response = everyone.client("reviewer").post(url, {"decision": "approve"})
    assert response.status_code == 409
    assert "The service was changed after this change was proposed" in response.context["error"]
    assert Service.objects.get(pk=everyone.mensa.pk).name == "Mensa dei poveri"
    changes = {c.label: c for c in response.context["changes"]}
    assert (changes["Name"].old_text, changes["Name"].new_text) == (
        "Mensa dei poveri", "Mensa serale"
    )  # fmt: skip


def test_a_change_already_decided_is_not_decided_again(everyone):
    revision_approve(revision=everyone.revision, reviewer=everyone.people["administrator"])
    response = everyone.client("reviewer").post(
        detail(everyone.revision, "en"), {"decision": "return", "return-comment": "No"}
    )
    assert response.status_code == 409
    assert response.context["error"] == "This change is no longer waiting for review."
    revision = ServiceRevision.objects.get(pk=everyone.revision.pk)
    assert revision.status == RevisionStatus.APPROVED and revision.review_comment == ""


def test_forged_revision_ids_are_not_found(everyone):
    client = everyone.client("reviewer")
    for pk in [everyone.foreign_revision.pk, 999_999]:
        response = client.post(f"/it/manage/reviews/{pk}/", {"decision": "approve"})
        assert response.status_code == 404
    foreign = ServiceRevision.objects.get(pk=everyone.foreign_revision.pk)
    assert foreign.status == RevisionStatus.PENDING
    assert client.get("/it/manage/reviews/abc/").status_code == 404


def test_a_post_without_csrf_token_changes_nothing(everyone):
    client = sign_in(Client(enforce_csrf_checks=True), everyone.people["reviewer"])
    response = client.post(detail(everyone.revision), {"decision": "approve"})
    assert response.status_code == 403
    assert unchanged(everyone)


# --- trusted organisations -----------------------------------------------------------------

TRUST = {
    "anonymous": "login",
    "administrator": 302,
    "reviewer": 403,
    "editor": 403,
    "translator": 403,
    "operator": 403,
    "stranger": 403,
    "superuser": 302,
}


def trust_url(org: Organization) -> str:
    return f"/it/manage/organizations/{org.pk}/trust/"


@pytest.mark.parametrize("who", VISITORS)
def test_who_may_trust_an_organisation(everyone, who):
    url = trust_url(everyone.caritas)
    response = everyone.client(who).post(url, {"trusted": "1"})
    expected = TRUST[who]
    trusted = Organization.objects.get(pk=everyone.caritas.pk).trusted
    events = AuditEvent.objects.filter(action=AuditAction.SETTINGS_CHANGED)
    if expected == "login":
        assert login_redirect(response, url) and not trusted
    elif expected == 403:
        assert response.status_code == 403 and not trusted and not events.exists()
    else:
        assert response.status_code == 302
        assert response["Location"] == f"/it/manage/organizations/{everyone.caritas.pk}/"
        assert trusted
        [event] = events
        assert event.detail == {"organization": everyone.caritas.pk, "trusted": True}
        assert event.territory == everyone.lodi


def test_trust_then_untrust(everyone):
    client = everyone.client("administrator")
    page = client.get(f"/it/manage/organizations/{everyone.caritas.pk}/").content.decode()
    assert trust_url(everyone.caritas) in page
    client.post(trust_url(everyone.caritas), {"trusted": "1"})
    client.post(trust_url(everyone.caritas), {"trusted": "1"})  # again: nothing more recorded
    client.post(trust_url(everyone.caritas), {"trusted": "0"})
    assert not Organization.objects.get(pk=everyone.caritas.pk).trusted
    details = [
        e.detail["trusted"]
        for e in AuditEvent.objects.filter(action=AuditAction.SETTINGS_CHANGED).order_by("pk")
    ]
    assert details == [True, False]
    # Its editors now publish directly.
    editor = everyone.people["editor"]
    client.post(trust_url(everyone.caritas), {"trusted": "1"})
    assert editor.has_perm(
        "editorial.publish_directly", Organization.objects.get(pk=everyone.caritas.pk)
    )


def test_the_trust_button_is_for_administrators_only(everyone):
    page = everyone.client("reviewer").get(f"/it/manage/organizations/{everyone.caritas.pk}/")
    assert trust_url(everyone.caritas) not in page.content.decode()


def test_trust_bad_inputs(everyone):
    client = everyone.client("administrator")
    assert client.post(trust_url(everyone.foreign), {"trusted": "1"}).status_code == 404
    assert (
        client.post("/it/manage/organizations/999999/trust/", {"trusted": "1"}).status_code == 404
    )
    assert client.get(trust_url(everyone.caritas)).status_code == 405
    response = client.post(trust_url(everyone.caritas), {"trusted": "yes please"}, follow=True)
    assert response.status_code == 200 and list(response.context["messages"])
    assert not Organization.objects.get(pk=everyone.caritas.pk).trusted
    assert not Organization.objects.get(pk=everyone.foreign.pk).trusted
    no_csrf = sign_in(Client(enforce_csrf_checks=True), everyone.people["administrator"])
    assert no_csrf.post(trust_url(everyone.caritas), {"trusted": "1"}).status_code == 403
    assert not Organization.objects.get(pk=everyone.caritas.pk).trusted
    assert not AuditEvent.objects.filter(action=AuditAction.SETTINGS_CHANGED).exists()


# --- the dashboard -------------------------------------------------------------------------

DASHBOARD = "/it/manage/"


@pytest.mark.parametrize("who", ["administrator", "reviewer", "superuser"])
def test_reviewers_see_how_many_changes_wait(everyone, who):
    response = everyone.client(who).get(DASHBOARD)
    assert response.context["blocks"]["changes_to_review"] == 1
    assert LIST in response.content.decode()


@pytest.mark.parametrize("who", ["editor", "translator", "operator"])
def test_others_do_not_see_the_count(everyone, who):
    assert "changes_to_review" not in everyone.client(who).get(DASHBOARD).context["blocks"]


def test_an_editor_sees_what_was_sent_back_and_approved(everyone):
    reviewer, editor = everyone.people["reviewer"], everyone.people["editor"]
    revision_return(revision=everyone.revision, reviewer=reviewer, comment=f"Manca {SCRIPT}")
    other = service(everyone.caritas, code="CAR-002", name="Dormitorio")
    approved = revision_submit(
        organization=everyone.caritas, service=other, data=proposal(other, name="Dormitorio 2"),
        author=editor,
    )  # fmt: skip
    revision_approve(revision=approved, reviewer=reviewer)
    old = revision_submit(
        organization=everyone.caritas, service=other,
        data=proposal(Service.objects.get(pk=other.pk), name="Dormitorio 3"), author=editor,
        base_version=1,
    )  # fmt: skip
    revision_approve(revision=old, reviewer=reviewer)
    ServiceRevision.objects.filter(pk=old.pk).update(
        reviewed_at=timezone.now() - timedelta(days=15)
    )
    response = everyone.client("editor").get(DASHBOARD)
    mine = response.context["blocks"]["my_changes"]
    assert [r.pk for r in mine["returned"]] == [everyone.revision.pk]
    assert [r.pk for r in mine["approved"]] == [approved.pk]  # the older one is not news
    page = response.content.decode()
    assert "Manca &lt;script&gt;" in page and SCRIPT not in page

    # Once the editor sends a new change, the one sent back no longer asks for attention.
    revision_submit(
        organization=everyone.caritas, service=everyone.mensa,
        data=proposal(everyone.mensa, name="Mensa serale bis"), author=editor,
    )  # fmt: skip
    mine = everyone.client("editor").get(DASHBOARD).context["blocks"]["my_changes"]
    assert list(mine["returned"]) == []


def test_a_reviewer_without_editor_role_has_no_own_changes_block(everyone):
    assert "my_changes" not in everyone.client("reviewer").get(DASHBOARD).context["blocks"]
