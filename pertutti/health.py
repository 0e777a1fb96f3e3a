"""`GET /healthz`: may a load balancer send this process traffic?

"ok" when the database answers, every migration is applied and the search index of the
territory is loaded in this process. Otherwise 503 with one word (no exception text: the
probe is public); the cause goes to the log.

The index: gunicorn workers load it before their first request (search/warmup.py), so for
them the probe only reads the index token (one primary-key query). A process that has not
loaded it (the development server, a worker whose warm-up failed) loads it here, as its
first search would: a probe that only answered "starting" would keep such a process out of
rotation forever, since nothing else would ever load the index.
"""

import logging

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from pertutti.search.index import loaded_index
from pertutti.territories.selectors import current_territory

logger = logging.getLogger(__name__)

# Migrations are not unapplied by a running process: once all are applied, checking again
# (reading every migration file) would only make each probe slower.
_migrations_applied = False


def migrations_applied() -> bool:
    global _migrations_applied
    if not _migrations_applied:
        executor = MigrationExecutor(connection)
        _migrations_applied = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrations_applied


def _answer(word: str, status: int) -> HttpResponse:
    response = HttpResponse(word, content_type="text/plain; charset=utf-8", status=status)
    add_never_cache_headers(response)  # a cached "ok" would hide an outage
    return response


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        if not migrations_applied():
            return _answer("migrating", 503)
        territory = current_territory()
    except DatabaseError:
        logger.warning("health: the database does not answer", exc_info=True)
        return _answer("unavailable", 503)
    if territory is None:
        logger.warning("health: territory not loaded (manage.py load_territory)")
        return _answer("unconfigured", 503)
    try:
        loaded_index(territory)
    except DatabaseError:
        logger.warning("health: the database does not answer", exc_info=True)
        return _answer("unavailable", 503)
    except Exception:  # the index can fail in many ways; the probe must still answer
        logger.warning("health: the search index cannot be loaded", exc_info=True)
        return _answer("starting", 503)
    return _answer("ok", 200)
