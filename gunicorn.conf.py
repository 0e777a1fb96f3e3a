"""The production server (gunicorn reads this file from the working directory):

    DJANGO_DEBUG=0 DJANGO_SECRET_KEY=... .venv/bin/gunicorn pertutti.wsgi

`make run` uses Django's development server instead. Threads let a worker answer while
another request waits on the database; two worker processes (one per core on the 2-core
reference machine) let the Python parts of two searches run at once. Each worker maps the
territory's search index file (shared by the workers, built once by the indexer) and loads
the model before it accepts requests (see docs/search.md).
"""

import os

# One BLAS thread per search (set before the workers import numpy). OpenBLAS's own threads
# spin while they wait for work: with two workers on two cores they took the CPU from each
# other, and two concurrent clients got 34 searches/s at p95 83 ms instead of 57/s at 44 ms
# (bench/search_latency.py). One search alone pays 4 ms more for the vector product.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

bind = os.environ.get("PERTUTTI_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("PERTUTTI_THREADS", "4"))
timeout = 120  # a worker may have to build a missing index file before its first request
accesslog = None  # nothing personal logged: no access log with IPs and queries


def post_worker_init(worker: object) -> None:
    from pertutti.search.warmup import search_warm_up

    search_warm_up()
