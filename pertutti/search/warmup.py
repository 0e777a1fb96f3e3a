"""Loading what a search needs before the first person searches.

A production worker (gunicorn, see gunicorn.conf.py) calls `search_warm_up` once after it
starts: it maps the territory's index file (or builds it, under a lock, if the indexer has
not) and loads the embedding model (a second), which would otherwise fall on the first
visitor of each worker.
It also asks the background worker to compare the documents with the services (and repair
them): an import killed after its commit may have left them stale.
"""

import gc
import logging
import time
from datetime import timedelta

from django.db import connections

from pertutti.search.embeddings import get_embedder
from pertutti.search.index import loaded_index
from pertutti.search.ranking import rank
from pertutti.search.tasks import search_index_check_schedule
from pertutti.territories.selectors import current_territory

logger = logging.getLogger(__name__)


def search_warm_up() -> None:
    """Build the index of the configured territory, load the embedding model, the language
    detector and the vocabulary with one search, then set what was loaded apart from the
    garbage collector. Never fails: a worker that cannot warm up still serves, and builds
    the index at its first search."""
    started = time.perf_counter()
    try:
        territory = current_territory()
        documents = 0
        if territory is not None:
            index = loaded_index(territory)
            documents = index.size
            rank(
                index,
                "medico lavoro casa",
                ui_language=territory.source_language,
                source_language=territory.source_language,
            )
        embedder = get_embedder()
        if territory is not None:
            # Enqueued, not done here: the check reads every service (8 s at 50,000).
            search_index_check_schedule(territory=territory, delay=timedelta(0))
    except Exception:
        logger.warning(
            "search warm-up failed; the first search will build the index", exc_info=True
        )
        return
    finally:
        # This thread serves no request: keep no connection (but never end a caller's
        # transaction by closing it).
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                connection.close()
    # Everything loaded so far lives as long as the worker. Frozen, it is no longer walked
    # by every full collection: those took 90 ms in a search at 50,000 services, 16 after.
    gc.collect()
    gc.freeze()
    logger.info(
        "search warm-up: %d documents indexed, embeddings %s, %.1f s",
        documents,
        embedder.name if embedder else "off",
        time.perf_counter() - started,
    )
