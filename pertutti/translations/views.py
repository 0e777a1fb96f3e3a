"""The translators' workspace: thin views over the translations services and selectors.

Every view passes the one gate of signed-in pages (`staff_view`: sign-in, second factor
where needed, never cached), then asks the rules whether this person translates the
language (`translations.translate` on a LanguageTarget); there is no other check here.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from pertutti.accounts.decorators import staff_view
from pertutti.territories.languages import language_choices
from pertutti.territories.models import Territory
from pertutti.territories.selectors import request_territory_or_404
from pertutti.translations import permissions
from pertutti.translations.diff import word_diff
from pertutti.translations.exchange import export_language, import_xliff, sources_to_translate
from pertutti.translations.glossary import highlight
from pertutti.translations.labels import status_label, unit_label
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
from pertutti.translations.xliff import VERSIONS, XliffError, max_bytes
from pertutti.uploads import limit_uploads

QUEUE_LENGTH = 100


def _allowed(request: HttpRequest, language: str, *, translate: bool = False) -> Territory:
    """The territory, if this person may open `language` (or translate it) here (else 403)."""
    territory = request_territory_or_404(request)
    check = permissions.can_translate if translate else permissions.can_view
    if not check(request.user, territory, language):
        raise PermissionDenied
    return territory


def _languages(request: HttpRequest) -> list[str]:
    """The languages this person may open here; none at all is a 403."""
    languages = permissions.viewable_languages(request.user, request_territory_or_404(request))
    if not languages:
        raise PermissionDenied
    return languages


def _name(language: str) -> str:
    return language_choices([language])[0][1]


@staff_view()
def dashboard(request: HttpRequest) -> HttpResponse:
    territory = request_territory_or_404(request)
    languages = _languages(request)
    rows = [(_name(code), language_progress(territory, code)) for code in languages]
    return render(request, "translations/dashboard.html", {"rows": rows})


@staff_view()
def queue(request: HttpRequest, language: str) -> HttpResponse:
    territory = _allowed(request, language)
    sources = list(sources_to_translate(territory, language)[:QUEUE_LENGTH])
    existing = {
        t.source_id: t for t in Translation.objects.filter(source__in=sources, language=language)
    }
    keys = unit_keys(sources)
    items = [
        {
            "source": s,
            "label": unit_label(keys.get(s.pk), s.field),
            "outdated": s.pk in existing,
        }
        for s in sources
    ]
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
        "can_translate": permissions.can_translate(request.user, territory, language),
    }
    return render(request, "translations/queue.html", context)


@staff_view()
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
            if not permissions.can_translate(request.user, territory, language):
                raise PermissionDenied  # a reviewer reviews, never rewrites
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
        "label": unit_label(unit_keys([source]).get(source.pk), source.field),
        "status": status_label(translation.status) if translation else "",
        "translated_by": _translated_by(translation),
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
        "can_translate": permissions.can_translate(request.user, territory, language),
        "can_review": translation is not None
        and not translation.is_outdated
        and translation.status == TranslationStatus.TRANSLATED
        and permissions.can_review(request.user, translation),
    }
    return render(request, "translations/editor.html", context, status=400 if error else 200)


def _translated_by(translation: Translation | None) -> str:
    """Who made a translation: the person who saved it, by their name rather than the user
    name the save recorded, else the name an import gave ("demo translation, not reviewed")."""
    if translation is None:
        return ""
    person = translation.translator
    if person is not None and translation.translator_name in ("", person.get_username()):
        return person.get_full_name() or person.get_username()
    return translation.translator_name


@staff_view()
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


# CSRF is checked by `_xliff_import_form`, after the upload limit is in place: the CSRF
# middleware would otherwise read (and spool to disk) the whole body to find its token.
@csrf_exempt
@staff_view()
@require_http_methods(["GET", "POST"])
def xliff_import(request: HttpRequest, language: str) -> HttpResponse:
    territory = _allowed(request, language, translate=True)
    limit = max_bytes()
    context: dict[str, Any] = {
        "language": language,
        "language_name": _name(language),
        "max_size": limit,
    }
    if request.method == "POST" and not limit_uploads(request, limit):
        # Refused on its declared length, before a byte of the body is read.
        context["error"] = _too_large(limit)
        return render(request, "translations/xliff_import.html", context, status=413)
    return _xliff_import_form(request, territory, language, context)


def _too_large(limit: int) -> str:
    return _("The file is too large: at most %(size)s.") % {"size": filesizeformat(limit)}


@csrf_protect
def _xliff_import_form(
    request: HttpRequest, territory: Territory, language: str, context: dict[str, Any]
) -> HttpResponse:
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if getattr(request, "upload_too_large", False):
            context["error"], status = _too_large(max_bytes()), 413
        elif upload is None:
            context["error"], status = _("Choose a file."), 400
        else:
            try:
                context["report"] = import_xliff(
                    territory=territory,
                    language=language,
                    data=upload.read(),
                    user=request.user,
                    reindex_in_background=True,
                )
            except XliffError as exc:
                context["error"], status = (
                    _("Nothing was imported: %(reason)s") % {"reason": exc},
                    400,
                )
    return render(request, "translations/xliff_import.html", context, status=status)


@staff_view()
def glossary(request: HttpRequest) -> HttpResponse:
    territory = request_territory_or_404(request)
    languages = _languages(request)
    terms = GlossaryTerm.objects.filter(territory=territory)
    names = [(code, _name(code)) for code in languages]
    rows = [
        (term, [(code, name, term.translations.get(code, "")) for code, name in names])
        for term in terms
    ]
    return render(request, "translations/glossary.html", {"rows": rows, "languages": names})
