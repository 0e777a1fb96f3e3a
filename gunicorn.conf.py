"""The production server (gunicorn reads this file from the working directory):

    DJANGO_DEBUG=0 DJANGO_SECRET_KEY=... .venv/bin/gunicorn pertutti.wsgi

`make run` uses Django's development server instead. Threads let a worker answer while
another request waits on the database; two worker processes (one per core on the 2-core
reference machine) let the Python parts of two searches run at once. Each worker builds
its own in-memory search index before it accepts requests (see docs/search.md).
"""

import os

bind = os.environ.get("PERTUTTI_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("PERTUTTI_THREADS", "4"))
timeout = 120  # the index of a large territory is built before the first request
accesslog = None  # nothing personal logged: no access log with IPs and queries


def post_worker_init(worker: object) -> None:
    from pertutti.search.warmup import search_warm_up

    search_warm_up()
