"""Public throughput while wrong passwords flood the sign-in page, on the production server.

The probe of issue 9: 8 parallel wrong-password loops cut public throughput from 36 to 7
requests/s, because every attempt hashed a password (PBKDF2, about half a second of CPU) on
the web workers. django-axes now refuses an attempt before it is hashed once the account or
the client is locked (10 failures, 15 minutes), so the flood should cost little.

What it does: a fresh SQLite database in a temporary folder (migrate, `load_territory lodi`,
the demo spreadsheet, one account with a real PBKDF2 password), then gunicorn with the
repository's gunicorn.conf.py (2 workers x 4 threads, DEBUG off, plain http on loopback).
Three phases of `--seconds` each, side by side in one run:
  1. public traffic alone: `--clients` keep-alive clients requesting service pages;
  2. control: the same, while `--flood` loops only read the sign-in page (what any tight
     request loop costs on two cores, the load client's own threads included);
  3. the same public traffic while `--flood` clients post wrong passwords in a loop (each
     with its own session and CSRF token, all from 127.0.0.1, as a script would).
Reported: public requests/s and median latency in each phase and their ratio, the sign-in
attempts made and how they were answered (200: checked and refused, 429: locked, refused
before hashing). Nothing is asserted; the figures go in the closing note.

Usage: .venv/bin/python bench/signin_flood.py [--seconds 10] [--clients 2] [--flood 8]
"""

from __future__ import annotations

import argparse
import http.client
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_latency import REPO, Client, bench_env, free_port, manage

DEMO_CSV = REPO / "demo" / "lodi" / "mappatura-servizi-lodi.csv"
PAGES = [f"/it/services/LPT-{n:03d}/" for n in range(1, 71)]
USER = "olga"
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def public_loop(port: int, stop: threading.Event, latencies: list[float], errors: list[str]):
    client, i = Client(port), 0
    while not stop.is_set():
        started = time.perf_counter()
        try:
            status, _ = client.get(PAGES[i % len(PAGES)])
        except OSError as error:
            errors.append(str(error))
            client.close()
            continue
        if status == 200:
            latencies.append(time.perf_counter() - started)
        else:
            errors.append(f"HTTP {status}")
        i += 1
    client.close()


def flood_loop(port: int, stop: threading.Event, answers: Counter[int]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", "/it/accounts/login/")
    response = connection.getresponse()
    body = response.read()
    cookie = response.getheader("Set-Cookie", "").split(";", 1)[0]
    token = CSRF_FIELD.search(body).group(1).decode()
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": USER, "password": "not the password"}
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookie,
        "Referer": f"http://127.0.0.1:{port}/it/accounts/login/",
    }
    while not stop.is_set():
        try:
            connection.request("POST", "/it/accounts/login/", body=form, headers=headers)
            response = connection.getresponse()
            response.read()
            answers[response.status] += 1
            if response.will_close:
                connection.close()
        except OSError:
            connection.close()
            answers[0] += 1
    connection.close()


def control_loop(port: int, stop: threading.Event, answers: Counter[int]) -> None:
    """The same number of loops, asking for the sign-in page instead: any tight request loop
    competes with the public for the two cores; this is what that alone costs."""
    client = Client(port)
    while not stop.is_set():
        try:
            answers[client.get("/it/accounts/login/")[0]] += 1
        except OSError:
            client.close()
            answers[0] += 1
    client.close()


def phase(
    port: int, seconds: float, clients: int, flood: int, loop=flood_loop
) -> dict[str, object]:
    stop, latencies, errors, answers = threading.Event(), [], [], Counter()
    threads = [
        threading.Thread(target=public_loop, args=(port, stop, latencies, errors))
        for _ in range(clients)
    ] + [threading.Thread(target=loop, args=(port, stop, answers)) for _ in range(flood)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)  # the phase's length: the loops stop themselves on the event
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    return {
        "requests_per_second": len(latencies) / seconds,
        "median_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:3],
        "attempts": dict(answers),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--flood", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(f"sqlite:///{tmp}/bench.sqlite3", tmp)
        env["PERTUTTI_EMBEDDINGS"] = "none"  # pages only: no model to load
        env["PERTUTTI_HASHED_STATIC"] = "0"  # no collectstatic for a throw-away server
        manage(env, "migrate", "--noinput")
        manage(env, "load_territory", "lodi")
        manage(env, "import_services", str(DEMO_CSV), "--territory", "lodi")
        manage(
            env, "shell", "-c",
            "from django.contrib.auth import get_user_model as g; "
            f"g().objects.create_user('{USER}', password='a real and long passphrase')",
        )  # fmt: skip
        port, log = free_port(), Path(tmp) / "server.log"
        with log.open("wb") as output:
            server = subprocess.Popen(  # noqa: S603 - this interpreter and gunicorn, loopback
                [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
                 "--bind", f"127.0.0.1:{port}", "pertutti.wsgi"],
                cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    if Client(port).get("/healthz")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            else:
                raise SystemExit(log.read_text(errors="replace")[-2000:])
            phase(port, 2, args.clients, 0)  # warm-up: caches, connections
            alone = phase(port, args.seconds, args.clients, 0)
            control = phase(port, args.seconds, args.clients, args.flood, control_loop)
            flooded = phase(port, args.seconds, args.clients, args.flood)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"gunicorn 2 workers x 4 threads, SQLite, {args.clients} public clients, "
          f"{args.seconds:.0f} s per phase")  # fmt: skip
    print("| phase | public req/s | public median | errors | sign-in attempts (status: count) |")
    print("| --- | ---: | ---: | ---: | --- |")
    phases = (
        ("public alone", alone),
        (f"with {args.flood} loops reading the sign-in page (control)", control),
        (f"with {args.flood} wrong-password loops", flooded),
    )
    for name, result in phases:
        print(
            f"| {name} | {result['requests_per_second']:.1f} | {result['median_ms']:.1f} ms"
            f" | {result['errors']} | {result['attempts'] or '-'} |"
        )
    for result in (alone, control, flooded):
        if result["error_examples"]:
            print("errors, e.g.:", result["error_examples"])
    if alone["requests_per_second"]:
        for name, result in phases[1:]:
            ratio = result["requests_per_second"] / alone["requests_per_second"]
            print(f"public throughput {name}: {ratio:.0%} of the throughput alone")


if __name__ == "__main__":
    main()
