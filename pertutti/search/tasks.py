"""Background work of the search index (django-tasks; `make run` starts the worker).

- `search_vectors_task`: an import or an upload wrote its documents' texts in its own
  transaction (lexical search has them at once) and enqueues this once it commits: the
  vectors, 0.13 s per text, are computed here, one process per core.
- `search_index_update_task`: everything of a territory, texts and vectors (an edit saved
  in the back office enqueues it after its transaction).
- `search_index_check_task`: compares every document with its service and repairs what
  differs (an import killed between its commit and its indexing left its documents
  stale); then enqueues itself again PERTUTTI_SEARCH_CHECK_MINUTES later. Started by each
  gunicorn worker's warm-up and by the import commands, so `make run` has it too.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task, task_backends
from django_tasks_db.backend import DatabaseBackend

from pertutti.search.indexing import (
    search_documents_write,
    search_index_check,
    search_index_update,
    search_vectors_update,
)
from pertutti.territories.models import Territory

logger = logging.getLogger(__name__)


@task()
def search_index_update_task(territory_id: int) -> int:
    """Returns how many documents were written (0 if the territory is gone meanwhile)."""
    territory = Territory.objects.filter(pk=territory_id).first()
    if territory is None:
        return 0
    return search_index_update(territory=territory).written


@task()
def search_vectors_task(territory_id: int) -> int:
    """Returns how many vectors were written (0 if the territory is gone meanwhile)."""
    territory = Territory.objects.filter(pk=territory_id).first()
    if territory is None:
        return 0
    return search_vectors_update(territory=territory)


@task()
def search_index_check_task(territory_id: int) -> int:
    """Repair the territory's documents if they differ from the services; returns how many
    documents were rewritten or removed. Schedules the next check."""
    territory = Territory.objects.filter(pk=territory_id).first()
    if territory is None:
        return 0
    check = search_index_check(territory=territory)
    repaired = 0
    if check.stale or check.missing or check.orphans:
        logger.warning(
            "search index of %s out of date: %d stale, %d missing, %d orphan documents; repairing",
            territory.slug,
            len(check.stale),
            len(check.missing),
            len(check.orphans),
        )
        update = search_documents_write(territory=territory)
        repaired = update.written + update.removed
    search_vectors_update(territory=territory)
    search_index_check_schedule(territory=territory, delay=check_interval())
    return repaired


def search_vectors_later(*, territory: Territory) -> None:
    """Once the current transaction commits, have the worker compute the missing vectors."""
    transaction.on_commit(lambda: search_vectors_task.enqueue(territory_id=territory.pk))


def check_interval() -> timedelta | None:
    minutes = settings.PERTUTTI_SEARCH_CHECK_MINUTES
    return timedelta(minutes=minutes) if minutes > 0 else None


def search_index_check_schedule(*, territory: Territory, delay: timedelta | None) -> bool:
    """Enqueue a check of the territory's documents in `delay` (None: never), unless one
    already waits to run by then: a worker's start, an import command and the check itself
    all call this, and one chain of checks is enough. Only with the database backend, the
    one that keeps a task for later; returns whether a check was enqueued."""
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if delay is None or not isinstance(backend, DatabaseBackend):
        return False
    from django_tasks_db.models import DBTaskResult

    run_after = timezone.now() + delay
    waiting = DBTaskResult.objects.filter(
        task_path=search_index_check_task.module_path,
        status="READY",
        run_after__lte=run_after,
        args_kwargs__kwargs__territory_id=territory.pk,
    )
    if waiting.exists():
        return False
    search_index_check_task.using(run_after=run_after).enqueue(territory_id=territory.pk)
    return True
