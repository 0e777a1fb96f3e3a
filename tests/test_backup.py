"""`manage.py backup` and `restore`: a backup restores to the same services, translations and
accounts; a bad file or a database that is not empty is refused and nothing changes."""

import gzip
import json
import stat
from datetime import date

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import CommandError, call_command
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from pertutti.accounts.models import AuditEvent, Role, RoleAssignment
from pertutti.directory.models import Organization, Service
from pertutti.importing.services import services_import_file
from pertutti.search.index import loaded_index
from pertutti.search.models import SearchDocument, UsageCount
from pertutti.territories.models import Territory
from pertutti.translations.models import SourceText, Translation
from pertutti.translations.services import translation_save
from tests.conftest import service_row
from tests.staff import PASSWORD, make_person


@pytest.fixture(autouse=True)
def fresh_content_type_cache():
    """`flush` recreates content types with new ids, then the test's rollback removes them:
    forget them, or later tests would use ids that no longer exist."""
    yield
    ContentType.objects.clear_cache()


@pytest.fixture
def filled(lodi, write_csv):
    """A territory with services, hours, translations, people with roles and a TOTP device."""
    services_import_file(
        territory=lodi,
        path=write_csv(
            [
                service_row(orari="lun-ven 9-12; mar 14-17"),
                service_row(codice="TST-002", servizio="Sportello lavoro", orari="gio 9-13"),
            ]
        ),
    )
    service = Service.objects.get(code="TST-001")
    source = SourceText.objects.get(
        content_type=ContentType.objects.get_for_model(Service), object_id=service.pk, field="name"
    )
    translator = make_person("tariq", lodi, Role.TRANSLATOR, languages=["ar"])
    translation_save(
        source=source, language="ar", text="أمانة اجتماعية", status="translated", user=translator
    )
    editor = make_person(
        "eva", lodi, Role.EDITOR, organizations=[Organization.objects.get(services=service)]
    )
    admin = make_person("ada", lodi, Role.ADMINISTRATOR)
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    AuditEvent.objects.create(
        territory=lodi,
        actor=admin,
        actor_name="ada",
        action="imported",
        created_at=service.created_at,
    )
    UsageCount.objects.create(
        territory=lodi, day=date(2026, 11, 2), kind="zero_result", key="it\tdentista", count=3
    )
    SessionStore().create()  # not worth keeping, as the sign-in attempts
    AccessAttempt.objects.create(
        username="ada", ip_address="192.0.2.1", user_agent="x", http_accept="*/*",
        path_info="/it/accounts/login/", failures_since_start=1,
    )  # fmt: skip
    return {"translator": translator, "editor": editor, "admin": admin}


def flush() -> None:
    """`manage.py flush`, inside the test's transaction: on PostgreSQL the foreign keys
    checked at commit must be checked now, or TRUNCATE refuses to run."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False)


def snapshot() -> dict:
    return {
        "services": sorted(
            (
                s.territory.slug,
                s.code,
                s.name,
                s.organization.name,
                s.category.code,
                tuple((h.weekday, h.opens, h.closes) for h in s.schedule.hours.all()),
            )
            for s in Service.objects.all()
        ),
        "translations": sorted(
            (
                t.source.content_type.model,
                t.source.object_id,
                t.source.field,
                t.language,
                t.text,
                t.status,
                t.translator.username,
            )
            for t in Translation.objects.all()
        ),
        "people": sorted(
            (
                a.user.username,
                a.user.email,
                a.user.password,
                a.territory.slug,
                a.role,
                tuple(a.languages),
                tuple(m.organization.name for m in a.user.organization_memberships.all()),
            )
            for a in RoleAssignment.objects.all()
        ),
        "devices": sorted((d.user.username, d.key) for d in TOTPDevice.objects.all()),
        "audit": sorted((e.actor.username, e.action) for e in AuditEvent.objects.all()),
        "searches": list(UsageCount.objects.values_list("day", "kind", "key", "count")),
    }


def read_backup(path) -> list[dict]:
    opener = gzip.open if path.read_bytes()[:2] == b"\x1f\x8b" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


@pytest.mark.parametrize("name", ["backup.json", "backup.json.gz", "nightly.gz"])
def test_a_backup_restores_to_the_same_services_translations_and_accounts(
    filled, tmp_path, name, capsys
):
    before = snapshot()
    assert len(before["services"]) == 2 and before["translations"] and len(before["people"]) == 3
    path = tmp_path / name

    call_command("backup", str(path))

    assert (path.read_bytes()[:2] == b"\x1f\x8b") == name.endswith(".gz")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # password hashes and TOTP secrets
    assert not list(tmp_path.glob(".backup-*"))
    models = {row["model"] for row in read_backup(path)}
    assert {
        "directory.service",
        "translations.translation",
        "auth.user",
        "otp_totp.totpdevice",
    } <= models
    left_out = {
        "sessions.session",
        "contenttypes.contenttype",
        "auth.permission",
        "search.searchdocument",
        "search.searchindexstate",
        "axes.accessattempt",
    }
    assert not models & left_out

    flush()
    assert not Service.objects.exists() and not get_user_model().objects.exists()

    call_command("restore", str(path))

    assert snapshot() == before
    assert "restored 1 territories, 2 services, 1 translations, 3 people" in capsys.readouterr().out
    for user in filled.values():
        restored = get_user_model().objects.get(username=user.username)
        assert restored.check_password(PASSWORD)
    lodi = Territory.objects.get(slug="lodi")
    assert get_user_model().objects.get(username="ada").has_perm("accounts.manage_people", lodi)
    # The search index was rebuilt, in Italian and in the translated language.
    assert set(SearchDocument.objects.values_list("language", flat=True)) == {"it", "ar"}
    assert loaded_index(lodi).size == SearchDocument.objects.count()


def test_a_restore_can_sign_in_with_the_same_password(filled, tmp_path, client):
    path = tmp_path / "b.json"
    call_command("backup", str(path))
    flush()
    call_command("restore", str(path))
    response = client.post("/it/accounts/login/", {"username": "tariq", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(get_user_model().objects.get(username="tariq").pk)


def test_restore_refuses_a_database_that_is_not_empty(filled, tmp_path):
    path = tmp_path / "b.json"
    call_command("backup", str(path))
    before = snapshot()
    Service.objects.filter(code="TST-002").update(name="Changed since the backup")
    changed = snapshot()
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path))
    assert snapshot() == changed != before


def test_restore_refuses_an_existing_person_alone(db, tmp_path, lodi):
    """A `createsuperuser` before the restore is a database that is not empty either."""
    path = tmp_path / "b.json"
    call_command("backup", str(path))
    Territory.objects.all().delete()
    get_user_model().objects.create_user("owner", password=PASSWORD)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path))


@pytest.mark.parametrize(
    "content, message",
    [
        (b"this is not json", "not a backup"),
        (b"[]", "holds no territory and no person"),
        (b'[{"model": "nowhere.thing", "pk": 1, "fields": {}}]', "not a backup"),
        (
            b'[{"model": "directory.service", "pk": 1, "fields": {"territory": 999}}]',
            "not a backup",
        ),
        (gzip.compress(b'[{"model": "territories.territory"')[:20], "cannot be read"),
    ],
    ids=["not-json", "empty", "unknown-model", "broken-rows", "truncated-gzip"],
)
def test_restore_refuses_a_bad_file_and_changes_nothing(db, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(path))
    assert not Territory.objects.exists() and not Service.objects.exists()


def test_restore_of_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "missing.json"))


def test_backup_into_a_missing_folder(db, tmp_path):
    with pytest.raises(CommandError, match="is not a directory"):
        call_command("backup", str(tmp_path / "no" / "such" / "b.json"))
