"""The CAT-tool round trip: export what a language needs, import what came back."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from pertutti.directory.models import Service
from pertutti.search import tasks
from pertutti.search.indexing import Progress as VectorsProgress
from pertutti.search.indexing import search_documents_write, search_vectors_update
from pertutti.territories.models import Territory
from pertutti.translations.models import SourceText, Translation, TranslationStatus
from pertutti.translations.services import (
    TranslationError,
    TranslationTooLong,
    translation_save,
)
from pertutti.translations.units import find_source, parse_unit_id, unit_keys
from pertutti.translations.xliff import ExportUnit, XliffError, export_xliff, parse_xliff


def sources_to_translate(territory: Territory, language: str) -> QuerySet[SourceText]:
    """Texts with no up-to-date translation in `language`, the most read first."""
    up_to_date = Translation.objects.filter(
        source=OuterRef("pk"), language=language, source_fingerprint=OuterRef("fingerprint")
    )
    return (
        SourceText.objects.filter(territory=territory)
        .exclude(text="")
        .exclude(Exists(up_to_date))
        .select_related("content_type")
        .order_by("-reads", "pk")
    )


def export_units(
    territory: Territory, language: str, *, everything: bool = False
) -> list[ExportUnit]:
    sources = list(
        SourceText.objects.filter(territory=territory).exclude(text="").order_by("-reads", "pk")
        if everything
        else sources_to_translate(territory, language)
    )
    previous = dict(
        Translation.objects.filter(source__in=sources, language=language).values_list(
            "source_id", "text"
        )
    )
    keys = unit_keys(sources)
    return [
        ExportUnit(
            id=keys[s.pk].id(),
            name=f"{keys[s.pk].kind} {keys[s.pk].key} {s.field}",
            source=s.text,
            previous=previous.get(s.pk, ""),
        )
        for s in sources
        if s.pk in keys
    ]


def export_language(
    territory: Territory, language: str, *, version: str = "2.0", everything: bool = False
) -> bytes:
    return export_xliff(
        units=export_units(territory, language, everything=everything),
        source_language=territory.source_language,
        target_language=language,
        file_id=f"{territory.slug}-{language}",
        version=version,
    )


@dataclass
class XliffImportReport:
    imported: int = 0
    unchanged: int = 0
    source_changed: list[str] = field(default_factory=list)  # rejected: Italian changed
    unknown: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    too_long: list[str] = field(default_factory=list)  # rejected: target out of proportion

    def lines(self) -> list[str]:
        """For the command's output (English, for logs and scripts); the workspace page
        renders the same report with translated strings."""
        out = [
            f"{self.imported} imported, {self.unchanged} unchanged, "
            f"{len(self.source_changed)} rejected (Italian changed since export), "
            f"{len(self.too_long)} rejected (target too long), "
            f"{len(self.unknown)} unknown ids, {len(self.empty)} empty targets skipped"
        ]
        out += [
            f"rejected, the Italian text changed since export: {i}" for i in self.source_changed
        ]
        out += [f"rejected, the target is too long for its source: {i}" for i in self.too_long]
        out += [f"unknown id: {i}" for i in self.unknown]
        out += [f"empty target skipped: {i}" for i in self.empty]
        return out


def _same_language(a: str, b: str) -> bool:
    return a.replace("_", "-").lower() == b.replace("_", "-").lower()


@transaction.atomic
def import_xliff(
    *,
    territory: Territory,
    language: str,
    data: bytes,
    status: str = TranslationStatus.TRANSLATED,
    user: AbstractBaseUser | None = None,
    translator_name: str = "",
    reindex_in_background: bool = False,
    vectors_progress: VectorsProgress | None = None,
) -> XliffImportReport:
    """Import the targets of a translated XLIFF file, all in one transaction.

    A unit is matched by its id, which carries the fingerprint of the Italian it was made
    from: if the Italian changed since export the unit is rejected and reported; so is a
    target too long for its source (the editor's rule, `translation_save`); nothing else
    is touched. Targets are stored as plain text (escaped wherever shown).

    The search documents of the services concerned get their new texts in the same
    transaction, so lexical search has them as soon as it commits. Their vectors (0.13 s
    per text) are computed after the commit: right away by default (commands, which wait
    anyway; `vectors_progress` is told how far), or by the background worker with
    `reindex_in_background` (the workspace: a page must not spend seconds on them).
    """
    parsed = parse_xliff(data)
    if not _same_language(parsed.target_language, language):
        raise XliffError(
            f"the file's target language is {parsed.target_language!r}, not {language!r}"
        )
    if parsed.source_language and not _same_language(
        parsed.source_language, territory.source_language
    ):
        raise XliffError(f"the file's source language is {parsed.source_language!r}")
    report = XliffImportReport()
    searchable: dict[str, set[int]] = {"service": set(), "category": set()}
    for unit in parsed.units:
        key = parse_unit_id(unit.id)
        source = find_source(territory, key) if key else None
        if key is None or source is None:
            report.unknown.append(unit.id or "(no id)")
            continue
        if not source.fingerprint.startswith(key.fingerprint):
            report.source_changed.append(unit.id)
            continue
        if not unit.target.strip():
            report.empty.append(unit.id)
            continue
        existing = Translation.objects.filter(source=source, language=language).first()
        if (
            existing
            and existing.text == unit.target.strip()
            and existing.source_fingerprint == source.fingerprint
        ):
            report.unchanged += 1
            continue
        try:
            translation_save(
                source=source,
                language=language,
                text=unit.target,
                status=status,
                user=user,
                translator_name=translator_name,
            )
        except TranslationTooLong:
            report.too_long.append(unit.id)
            continue
        except TranslationError as exc:
            raise XliffError(str(exc)) from exc
        report.imported += 1
        if key.kind in searchable:
            searchable[key.kind].add(source.object_id)
    if report.imported:
        services = Service.objects.filter(territory=territory).filter(
            Q(pk__in=searchable["service"]) | Q(category_id__in=searchable["category"])
        )
        search_documents_write(
            territory=territory, service_ids=list(services.values_list("pk", flat=True))
        )
        if reindex_in_background:
            tasks.search_vectors_later(territory=territory)
        else:
            transaction.on_commit(
                lambda: search_vectors_update(territory=territory, progress=vectors_progress)
            )
    return report
