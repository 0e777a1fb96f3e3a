"""Backup and restore of everything a deployment cannot rebuild, as one JSON file.

Django's own serialisation (`dumpdata`/`loaddata`), so a backup made on SQLite restores on
PostgreSQL and back. Left out: what Django or the software rebuilds (content types and
permissions, recreated by `migrate`; the search documents and their token, rebuilt by the
restore as `update_search_index` does) and what is worth nothing later (sessions, sign-in
attempts, background task results). Foreign keys to content types, permissions and users
are written by natural key, so they survive different ids in the target database; every
other row keeps its id, so links and ids in the activity log stay valid.

The file holds password hashes and second-factor secrets: it is written readable by its
owner only, and must be kept like the database itself.
"""

import gzip
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction

from pertutti.directory.models import Service
from pertutti.search.indexing import search_index_update
from pertutti.taxonomy.models import Category
from pertutti.territories.models import Territory
from pertutti.translations.models import Translation

EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
    "django_tasks_database",
    "search.searchdocument",
    "search.searchindexstate",
]


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Restored:
    territories: int
    services: int
    translations: int
    people: int


def backup_write(*, path: Path) -> None:
    """Write the backup to `path` (gzip-compressed when it ends in .gz). Written beside it
    and renamed, so an interrupted backup never leaves a half file under the final name."""
    path = path.resolve()
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a directory")
    suffix = ".json.gz" if path.suffix == ".gz" else ".json"
    fd, partial = tempfile.mkstemp(prefix=".backup-", suffix=suffix, dir=path.parent)
    os.close(fd)  # mkstemp made it 0600: password hashes and TOTP secrets are inside
    try:
        # One snapshot: rows written during the backup are all in it or all out of it.
        outermost = not connection.in_atomic_block  # else the snapshot is the caller's
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            call_command(
                "dumpdata",
                exclude=EXCLUDED,
                natural_foreign=True,
                use_base_manager=True,  # every row, whatever a default manager hides
                output=partial,
                verbosity=0,
            )
        os.replace(partial, path)
    finally:
        Path(partial).unlink(missing_ok=True)


def database_is_empty() -> bool:
    """No territory and no person: a new, migrated database (or one emptied by `flush`).
    The categories `migrate` loads do not count: the backup's replace them."""
    return not Territory.objects.exists() and not get_user_model().objects.exists()


def backup_restore(*, path: Path, embed: bool = True) -> Restored:
    """Load a backup into an empty, migrated database, all or nothing, then rebuild the
    search index of every territory (with embeddings unless `embed` is False)."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    if not database_is_empty():
        raise BackupError(
            "the database is not empty: restore into a new database after `manage.py migrate`, "
            "or empty this one first with `manage.py flush`"
        )
    with tempfile.TemporaryDirectory() as folder:
        # loaddata knows a fixture's format from its name: give it one it understands,
        # whatever the backup file is called, compressed or not.
        fixture = Path(folder) / "backup.json"
        try:
            with _open(path) as source, fixture.open("wb") as target:
                shutil.copyfileobj(source, target)
        except (OSError, EOFError) as error:
            raise BackupError(f"{path} cannot be read: {error}") from None
        with transaction.atomic():
            Category.objects.all().delete()  # loaded by `migrate`; the backup has its own
            try:
                with warnings.catch_warnings():  # an empty file: reported below, in words
                    warnings.filterwarnings("ignore", "No fixture data found", RuntimeWarning)
                    call_command("loaddata", str(fixture), verbosity=0)
            except Exception as error:  # deserialisation reports many kinds of errors
                raise BackupError(f"{path} is not a backup of this version: {error}") from None
            if database_is_empty():
                raise BackupError(f"{path} holds no territory and no person")
    territories = list(Territory.objects.all())
    for territory in territories:
        search_index_update(territory=territory, embed=embed)
    return Restored(
        territories=len(territories),
        services=Service.objects.count(),
        translations=Translation.objects.count(),
        people=get_user_model().objects.count(),
    )


def _open(path: Path) -> IO[bytes]:
    with path.open("rb") as probe:
        compressed = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if compressed else path.open("rb")
