"""Usage counts of a page answered from the cache: the same counts its rendering made.

The needs report counts page views per language, the categories and municipalities asked
for, services read and searches with no result (`search.usage`), all from inside the views
and the search. A cached answer runs neither, so while a page is rendered the counts it
makes are recorded (`search.usage.usage_recorded`) and stored with it, and each answer from
the cache counts them again. The day is the day of each answer.
"""

from collections.abc import Iterable

from pertutti.search.usage import UsageRecord, usage_count, usage_recorded

recording = usage_recorded


def replay(records: Iterable[UsageRecord]) -> None:
    for territory_id, kind, key, n in records:
        usage_count(territory_id=territory_id, kind=kind, key=key, n=n)
