"""The translators' workspace: thin views over the translations services and selectors."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pertutti.public.presenters import language_choices
from pertutti.public.selectors import request_territory_or_404
from pertutti.territories.models import Territory
from pertutti.translations import permissions
from pertutti.translations.diff import word_diff
from pertutti.translations.exchange import export_language, import_xliff, sources_to_translate
from pertutti.translations.glossary import highlight
from pertutti.translations.memory import suggestions
from pertutti.translations.models import (
    GlossaryTerm,
    SourceText,
    Translation,
    TranslationStatus,
)
from pertutti.translations.selectors import language_progress
from pertutti.translations.services import TranslationError, translation_review, translation_save
from pertutti.translations.units import unit_keys
from pertutti.translations.xliff import MAX_BYTES, VERSIONS, XliffError

QUEUE_LENGTH = 100


def _allowed(request: HttpRequest, language: str) -> Territory:
    territory = request_territory_or_404(request)
    if not permissions.can_translate(request.user, territory, language):
        raise PermissionDenied
    return territory


def _name(language: str) -> str:
    return language_choices([language])[0][1]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    territory = request_territory_or_404(request)
    languages = permissions.translatable_languages(request.user, territory)
    rows = [(_name(code), language_progress(territory, code)) for code in languages]
    return render(request, "translations/dashboard.html", {"rows": rows})


@login_required
def queue(request: HttpRequest, language: str) -> HttpResponse:
    territory = _allowed(request, language)
    sources = list(sources_to_translate(territory, language)[:QUEUE_LENGTH])
    existing = {
        t.source_id: t for t in Translation.objects.filter(source__in=sources, language=language)
    }
    keys = unit_keys(sources)
    items = [{"source": s, "key": keys.get(s.pk), "outdated": s.pk in existing} for s in sources]
    to_review = (
        Translation.objects.filter(
            source__territory=territory, language=language, status=TranslationStatus.TRANSLATED
        )
        .exclude(translator=request.user)
        .select_related("source")
        .order_by("-source__reads")[:QUEUE_LENGTH]
    )
    drafts = [
        t
        for t in Translation.objects.filter(
            source__territory=territory, language=language, status=TranslationStatus.DRAFT
        )
        .select_related("source")
        .order_by("-source__reads", "source_id")[:QUEUE_LENGTH]
        if not t.is_outdated
    ]
    context = {
        "language": language,
        "language_name": _name(language),
        "items": items,
        "drafts": drafts,
        "to_review": [t for t in to_review if not t.is_outdated],
        "progress": language_progress(territory, language),
    }
    return render(request, "translations/queue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def editor(request: HttpRequest, language: str, source_id: int) -> HttpResponse:
    territory = _allowed(request, language)
    source = get_object_or_404(SourceText, pk=source_id, territory=territory)
    translation = Translation.objects.filter(source=source, language=language).first()
    text = translation.text if translation else ""
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "review":
                if translation is None or not permissions.can_review(request.user, translation):
                    raise PermissionDenied
                translation_review(translation=translation, user=request.user)
                messages.success(request, _("Marked as reviewed."))
                return redirect("translations:queue", language=language)
            status = {
                "draft": TranslationStatus.DRAFT,
                "translated": TranslationStatus.TRANSLATED,
            }.get(action)
            if status is None:
                raise TranslationError(_("Unknown action."))
            text = request.POST.get("text", "")
            translation_save(
                source=source,
                language=language,
                text=text,
                status=status,
                user=request.user,
                expected_fingerprint=request.POST.get("fingerprint", ""),
            )
            messages.success(request, _("Saved."))
            following = sources_to_translate(territory, language).exclude(pk=source.pk).first()
            if following is not None and status == TranslationStatus.TRANSLATED:
                return redirect("translations:editor", language=language, source_id=following.pk)
            return redirect("translations:editor", language=language, source_id=source.pk)
        except TranslationError as exc:
            error = str(exc)
    terms = list(GlossaryTerm.objects.filter(territory=territory))
    highlighted, hits = highlight(source.text, terms, language)
    context: dict[str, Any] = {
        "language": language,
        "language_name": _name(language),
        "language_bidi": language in ("ar", "ur"),
        "source": source,
        "key": unit_keys([source]).get(source.pk),
        "highlighted": highlighted,
        "glossary_hits": hits,
        "translation": translation,
        "outdated": translation is not None and translation.is_outdated,
        "diff": word_diff(translation.source_text, source.text) if translation else "",
        "suggestions": suggestions(
            territory=territory, language=language, text=source.text, exclude_source_id=source.pk
        ),
        "text": text,
        "error": error,
        "can_review": translation is not None
        and not translation.is_outdated
        and translation.status == TranslationStatus.TRANSLATED
        and permissions.can_review(request.user, translation),
    }
    return render(request, "translations/editor.html", context, status=400 if error else 200)


@login_required
def xliff_export(request: HttpRequest, language: str) -> HttpResponse:
    territory = _allowed(request, language)
    version = request.GET.get("version", "2.0")
    if version not in VERSIONS:
        version = "2.0"
    data = export_language(territory, language, version=version)
    response = HttpResponse(data, content_type="application/xliff+xml; charset=utf-8")
    filename = f"{territory.slug}-{language}-xliff{version}.xlf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def xliff_import(request: HttpRequest, language: str) -> HttpResponse:
    territory = _allowed(request, language)
    context: dict[str, Any] = {"language": language, "language_name": _name(language)}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"], status = _("Choose a file."), 400
        elif upload.size is not None and upload.size > MAX_BYTES:
            context["error"] = _("The file is too large: at most 50 MB.")
            status = 400
        else:
            try:
                report = import_xliff(
                    territory=territory, language=language, data=upload.read(), user=request.user
                )
                context["report"] = report.lines()
            except XliffError as exc:
                context["error"], status = (
                    _("Nothing was imported: %(reason)s") % {"reason": exc},
                    400,
                )
    return render(request, "translations/xliff_import.html", context, status=status)


@login_required
def glossary(request: HttpRequest) -> HttpResponse:
    territory = request_territory_or_404(request)
    languages = permissions.translatable_languages(request.user, territory)
    if not languages:
        raise PermissionDenied
    terms = GlossaryTerm.objects.filter(territory=territory)
    rows = [(t, [(code, t.translations.get(code, "")) for code in languages]) for t in terms]
    return render(
        request,
        "translations/glossary.html",
        {"rows": rows, "languages": [(code, _name(code)) for code in languages]},
    )
