"""The core of the editorial loop: snapshots round-trip, publishing makes versions, stale
edits are refused, revisions wait for review, restore is a new version."""

import pytest
from django.core.exceptions import ObjectDoesNotExist

from pertutti.directory.models import Service
from pertutti.directory.snapshots import service_apply, service_snapshot
from pertutti.editorial.models import RevisionStatus, ServiceVersion, VersionSource
from pertutti.editorial.services import (
    EditorialError,
    StaleEdit,
    revision_approve,
    revision_return,
    revision_submit,
    service_publish,
    service_restore,
    service_verify,
)
from pertutti.importing.services import services_import_file
from tests.conftest import service_row


@pytest.fixture
def service(lodi, write_csv):
    services_import_file(territory=lodi, path=write_csv([service_row(telefono="0371 409111")]))
    return Service.objects.get(code="TST-001")


def with_hours(data, *rows):
    data = {**data, "schedule": {**data["schedule"], "hours": [list(r) for r in rows]}}
    return data


def test_a_snapshot_applied_gives_the_same_snapshot(service):
    data = service_snapshot(service)
    service_apply(service=service, data=data)
    assert service_snapshot(Service.objects.get(pk=service.pk)) == data
    assert data["phones"] == [["+390371409111", False]]
    assert data["location"]["municipality"] == "098031"


def test_publishing_makes_a_version_and_changes_the_service(service, django_user_model):
    editor = django_user_model.objects.create_user("ed")
    data = with_hours(service_snapshot(service), (0, "14:00", "17:00", ""))
    version = service_publish(
        service=service, data=data, base_version=service.version, source="editor", author=editor
    )
    assert service.version == version.number == 2  # the import made version 1
    assert version.data == service_snapshot(service) and version.author == editor
    assert [(h.weekday, h.opens.hour) for h in service.schedule.hours.all()] == [(0, 14)]


def test_a_stale_edit_is_refused_and_changes_nothing(service):
    data = service_snapshot(service)
    assert service.version == 1  # written by the import
    service_publish(service=service, data=data, base_version=1, source="editor", author=None)
    changed = {**data, "service": {**data["service"], "name": "Nuovo nome"}}
    with pytest.raises(StaleEdit) as refused:
        service_publish(service=service, data=changed, base_version=1, source="editor", author=None)
    assert refused.value.current.version == 2
    assert Service.objects.get(pk=service.pk).name == "Segretariato sociale"
    assert ServiceVersion.objects.count() == 2


def test_a_revision_waits_then_is_approved(service, django_user_model):
    editor = django_user_model.objects.create_user("ed")
    reviewer = django_user_model.objects.create_user("rev")
    data = service_snapshot(service)
    data["service"]["name"] = "Segretariato sociale del Comune"
    revision = revision_submit(
        organization=service.organization,
        service=service,
        data=data,
        author=editor,
        base_version=service.version,
    )
    assert Service.objects.get(pk=service.pk).name == "Segretariato sociale"  # public unchanged
    revision_approve(revision=revision, reviewer=reviewer)
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.APPROVED
    assert Service.objects.get(pk=service.pk).name == "Segretariato sociale del Comune"
    assert revision.published.source == VersionSource.REVIEW
    with pytest.raises(EditorialError):
        revision_approve(revision=revision, reviewer=reviewer)  # not twice


def test_approving_after_the_service_was_closed_is_refused(service, django_user_model):
    editor = django_user_model.objects.create_user("ed")
    data = service_snapshot(service)
    revision = revision_submit(
        organization=service.organization,
        service=service,
        data=data,
        author=editor,
        base_version=service.version,
    )
    closed = service_snapshot(service)
    closed["service"]["status"] = "inactive"
    service_publish(service=service, data=closed, base_version=1, source="editor", author=None)
    with pytest.raises(StaleEdit):
        revision_approve(revision=revision, reviewer=editor)
    assert Service.objects.get(pk=service.pk).status == "inactive"


def test_sent_back_with_a_comment(service, django_user_model):
    editor = django_user_model.objects.create_user("ed")
    revision = revision_submit(
        organization=service.organization, service=service, data=service_snapshot(service),
        author=editor, base_version=service.version,
    )  # fmt: skip
    with pytest.raises(EditorialError):
        revision_return(revision=revision, reviewer=editor, comment="  ")
    revision_return(revision=revision, reviewer=editor, comment="Manca il sabato")
    revision.refresh_from_db()
    assert (revision.status, revision.review_comment) == ("returned", "Manca il sabato")


def test_a_new_service_is_created_on_approval(service, django_user_model):
    editor = django_user_model.objects.create_user("ed")
    data = service_snapshot(service)
    data["service"]["name"] = "Sportello nuovo"
    revision = revision_submit(organization=service.organization, data=data, author=editor)
    with pytest.raises(ObjectDoesNotExist):
        Service.objects.get(name="Sportello nuovo")
    revision_approve(revision=revision, reviewer=editor)
    created = Service.objects.get(name="Sportello nuovo")
    assert created.code == "NEW-0001" and created.version == 1


def test_restore_is_a_new_version(service):
    first = service_snapshot(service)
    changed = {**first, "service": {**first["service"], "name": "Altro"}}
    service_publish(service=service, data=changed, base_version=1, source="editor", author=None)
    old = ServiceVersion.objects.get(service=service, number=1)  # the import's
    with pytest.raises(StaleEdit):
        service_restore(service=service, version=old, author=None, base_version=1)
    restored = service_restore(service=service, version=old, author=None, base_version=2)
    assert restored.number == 3
    assert Service.objects.get(pk=service.pk).name == "Segretariato sociale"


def test_still_correct_is_a_version_with_todays_date(service):
    from django.utils import timezone

    version = service_verify(service=service, author=None, base_version=service.version)
    assert version.source == VersionSource.VERIFIED
    assert Service.objects.get(pk=service.pk).assured_date == timezone.localdate()
