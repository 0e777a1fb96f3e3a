"""Translatable labels for the kinds of emergency number a territory lists (public strip,
printed covers and posters)."""

from django.utils.translation import gettext as _


def emergency_short_label(kind: str) -> str:
    """One or two words: the strip must fit a phone screen in one or two lines."""
    labels = {
        "general": _("Emergency"),
        "violence": _("Anti-violence"),
        "trafficking": _("Anti-trafficking"),
        "health": _("Medical emergency"),
        "children": _("Children"),
    }
    return labels.get(kind, _("Emergency"))


def emergency_label(kind: str) -> str:
    labels = {
        "general": _("Emergency: ambulance, police, fire brigade"),
        "violence": _("Violence and stalking: help for women"),
        "trafficking": _("Trafficking and exploitation"),
        "health": _("Medical emergency"),
        "children": _("Help for children and teenagers"),
    }
    return labels.get(kind, _("Emergency"))
