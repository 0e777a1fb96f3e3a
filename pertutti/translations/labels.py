"""What the workspace calls kinds of objects, fields and statuses, in the reader's language.

Unit ids (`service.LPT-013.name.…`) stay in English for CAT tools; people read these labels.
The field labels are the ones editors read in the back office (editorial/diff.py).
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pertutti.translations.models import TranslationStatus
from pertutti.translations.units import UnitKey

KINDS: dict[str, Promise] = {
    "service": _("Service"),
    "organization": _("Organisation"),
    "category": _("Category"),
    "schedule": _("Opening hours"),
}

FIELDS: dict[str, Promise] = {
    "name": _("Name"),
    "description": _("Description"),
    "eligibility": _("Who it is for"),
    "required_documents": _("Documents to bring"),
    "cost": _("Cost"),
    "application_process": _("How to access"),
    "accessibility": _("Accessibility"),
    "languages_note": _("About the languages"),
    "original_text": _("Opening hours as written"),
}

STATUSES: dict[str, Promise] = {
    TranslationStatus.DRAFT: _("Draft"),
    TranslationStatus.TRANSLATED: _("Translated, waiting for review"),
    TranslationStatus.REVIEWED: _("Reviewed"),
}


def kind_label(kind: str) -> str:
    return str(KINDS.get(kind, kind))


def field_label(field: str) -> str:
    return str(FIELDS.get(field, field))


def status_label(status: str) -> str:
    return str(STATUSES.get(status, status))


def unit_label(key: UnitKey | None, field: str) -> dict[str, str]:
    """The parts of a text's heading: kind, natural key (a code, shown left to right), field."""
    return {
        "kind": kind_label(key.kind) if key else "",
        "key": key.key if key else "",
        "field": field_label(field),
    }
