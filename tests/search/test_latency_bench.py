"""The latency benchmark runs end to end (a tiny territory, a few requests): generation,
the production server with its warm-up, sequential and concurrent clients. No figure is
asserted; the benchmark itself reports them (bench/search_latency.py)."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_latency_benchmark_runs_on_sqlite():
    run = subprocess.run(
        [sys.executable, "bench/search_latency.py", "--services", "300", "--databases", "sqlite",
         "--requests", "5", "--concurrent-requests", "8", "--concurrency", "2",
         "--workers", "1", "--threads", "2"],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "generated 300 services" in run.stdout
    assert "gunicorn, 1 workers x 2 threads" in run.stdout
    rows = [line.split() for line in run.stdout.splitlines() if line.startswith("sqlite ")]
    modes = {" ".join(row[1:-7]): row for row in rows}
    assert set(modes) == {"warm-up (distinct)", "sequential", "concurrent x2"}, rows
    for row in rows:
        assert row[-2] == "0", row  # no errors


def test_the_latency_benchmark_measures_searches_not_the_response_cache(tmp_path):
    """Its queries repeat: with the response cache on, it would time cache hits."""
    import runpy

    bench_env = runpy.run_path(str(REPO / "bench" / "search_latency.py"))["bench_env"]
    assert bench_env("sqlite:///x", str(tmp_path))["PERTUTTI_RESPONSE_CACHE"] == "0"
    # Every search embeds its query unless asked otherwise.
    assert bench_env("sqlite:///x", str(tmp_path))["PERTUTTI_QUERY_VECTORS_CACHED"] == "0"
    assert bench_env("sqlite:///x", str(tmp_path), 2000)["PERTUTTI_QUERY_VECTORS_CACHED"] == "2000"
