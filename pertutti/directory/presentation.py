"""How a service's stored fields read to a person, shared by the public pages and print."""

from django.utils.translation import gettext as _

from pertutti.directory.models import Service


def documents(text: str) -> list[str]:
    """The spreadsheet lists documents separated by semicolons; one bullet each."""
    return [part.strip() for part in text.replace("\n", ";").split(";") if part.strip()]


def access_labels(service: Service) -> list[str]:
    """The ways in, in the active language."""
    flags = [
        (service.walk_in, _("No appointment needed")),
        (service.by_appointment, _("By appointment")),
        (service.by_referral, _("Through another service")),
        (service.online, _("Online")),
        (service.by_phone, _("By phone")),
    ]
    return [label for on, label in flags if on]
