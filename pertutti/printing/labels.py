"""Headings of printed entries. Each prints in the reader's language with the Italian
beside it, so the person and the desk read the same sheet; same words as the service page."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "what": _("What it is"),
    "who": _("Who it is for"),
    "bring": _("What to bring"),
    "cost": _("Cost"),
    "how": _("How to access"),
    "where": _("Where"),
    "when": _("When"),
    "contacts": _("Contacts"),
    "languages": _("Languages spoken"),
    "accessibility": _("Accessibility"),
    "code": _("Code"),
    "free": _("Free of charge"),
    "closed_in": _("Closed in:"),
    "always_open": _("Always open: 24 hours a day, 7 days a week"),
    "appointment_only": _("By appointment only"),
    "as_written": _("As written by the service"),
    "scan": _("Scan for the up-to-date page"),
    "untranslated": _("Not yet translated: in Italian"),
    "approximate": _("Exact address to be confirmed with the service"),
    "emergency": _("Emergency numbers"),
    "contents": _("Contents"),
    "services_for_you": _("Services for you"),
    "verified": _("Information last verified on"),
}
