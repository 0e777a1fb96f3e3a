"""Reads for staff: the needs report for the territorial council — what people searched for
and did not find, what they asked for most, in which languages, what they said was wrong,
and which services they cannot read in their language. Only daily counts (`UsageCount`) and
counts of error reports: nothing that names or traces a person."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, Max, OuterRef, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language

from pertutti.directory.models import Service, ServiceStatus
from pertutti.editorial.models import ErrorReport, ReportKind
from pertutti.search.models import UsageCount, UsageKind
from pertutti.taxonomy.models import Category
from pertutti.territories.languages import language_name
from pertutti.territories.models import Municipality, Territory
from pertutti.translations.models import SourceText, Translation, TranslationStatus

# A service without an up-to-date translation of one of these cannot be found or understood.
TRANSLATED_FIELDS = ("name", "description")
LANGUAGES_CHECKED = 3  # the most used languages whose missing translations are listed


@dataclass(frozen=True)
class UnmetNeed:
    text: str
    language: str
    count: int
    last_seen: date


@dataclass(frozen=True)
class Asked:
    """Something asked for (a category, a municipality, a language, a kind of error) and how
    many times; `code` is what is counted, `name` how a reader knows it."""

    code: str
    name: str
    count: int


@dataclass(frozen=True)
class Untranslated:
    language: str
    name: str
    services: list[tuple[str, str]]  # (code, Italian name), by code


@dataclass(frozen=True)
class NeedsReport:
    start: date
    end: date
    unmet: list[UnmetNeed]
    categories: list[Asked]
    municipalities: list[Asked]
    languages: list[Asked]
    error_reports: list[Asked]
    untranslated: list[Untranslated]


def _day(value: date | datetime) -> date:
    return timezone.localdate(value) if isinstance(value, datetime) else value


def _counts(
    territory: Territory, kind: str, start: date | None, end: date | None
) -> QuerySet[UsageCount, dict[str, Any]]:
    """Totals per key over the days, most counted first (the database groups and sorts)."""
    rows = UsageCount.objects.filter(territory=territory, kind=kind)
    if start is not None:
        rows = rows.filter(day__gte=start)
    if end is not None:
        rows = rows.filter(day__lte=end)
    return (
        rows.values("key")
        .annotate(total=Sum("count"), last_seen=Max("day"))
        .order_by("-total", "-last_seen", "key")
    )


def unmet_needs(
    territory: Territory,
    limit: int | None = 200,
    *,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
) -> list[UnmetNeed]:
    """Searches that found nothing, grouped by language and normalised text, most frequent
    first; `since` and `until` are days (a datetime stands for its local day), inclusive."""
    rows = _counts(
        territory,
        UsageKind.ZERO_RESULT,
        _day(since) if since is not None else None,
        _day(until) if until is not None else None,
    )
    needs = []
    for row in rows[:limit] if limit is not None else rows.iterator():
        language, _, text = row["key"].partition("\t")
        needs.append(UnmetNeed(text, language, row["total"], row["last_seen"]))
    return needs


def _asked(
    territory: Territory, kind: str, start: date, end: date, names: dict[str, str]
) -> list[Asked]:
    """Codes no longer known (a category renamed away) keep their code as name."""
    return [
        Asked(r["key"], names.get(r["key"], r["key"]), r["total"])
        for r in _counts(territory, kind, start, end)
    ]


def error_reports_by_kind(territory: Territory, start: date, end: date) -> list[Asked]:
    """Every kind, the ones never reported with 0, most reported first."""
    counts = dict(
        ErrorReport.objects.filter(
            territory=territory, created_at__date__gte=start, created_at__date__lte=end
        )
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    kinds = [Asked(k.value, str(k.label), counts.get(k.value, 0)) for k in ReportKind]
    return sorted(kinds, key=lambda a: -a.count)


def untranslated_services(territory: Territory, language: str) -> list[tuple[str, str]]:
    """Active services whose name or description has no translation into `language` that
    the public would see (made from the current Italian; drafts only where published)."""
    statuses = [TranslationStatus.TRANSLATED, TranslationStatus.REVIEWED]
    if settings.PERTUTTI_PUBLISH_DRAFTS:
        statuses.append(TranslationStatus.DRAFT)
    current = Translation.objects.filter(
        source=OuterRef("pk"),
        language=language,
        status__in=statuses,
        source_fingerprint=OuterRef("fingerprint"),
    )
    lacking = (
        SourceText.objects.filter(
            content_type=ContentType.objects.get_for_model(Service),
            object_id=OuterRef("pk"),
            field__in=TRANSLATED_FIELDS,
        )
        .exclude(text="")
        .filter(~Exists(current))
    )
    services = Service.objects.filter(territory=territory, status=ServiceStatus.ACTIVE)
    return list(services.filter(Exists(lacking)).order_by("code").values_list("code", "name"))


def needs_report(territory: Territory, start: date, end: date) -> NeedsReport:
    """The whole report for the days from `start` to `end`, inclusive; nothing is cut."""
    ui = get_language() or "en"
    categories = dict(Category.objects.values_list("code", "name"))
    municipalities = dict(
        Municipality.objects.filter(territory=territory).values_list("istat_code", "name")
    )
    used = [
        Asked(a.code, language_name(a.code, ui), a.count)
        for a in _asked(territory, UsageKind.LANGUAGE, start, end, {})
    ]
    targets = [
        a.code
        for a in used
        if a.code != territory.source_language and a.code in territory.offered_languages
    ][:LANGUAGES_CHECKED]
    return NeedsReport(
        start=start,
        end=end,
        unmet=unmet_needs(territory, None, since=start, until=end),
        categories=_asked(territory, UsageKind.CATEGORY, start, end, categories),
        municipalities=_asked(territory, UsageKind.MUNICIPALITY, start, end, municipalities),
        languages=used,
        error_reports=error_reports_by_kind(territory, start, end),
        untranslated=[
            Untranslated(code, language_name(code, ui), untranslated_services(territory, code))
            for code in targets
        ],
    )
