"""Back office: territory settings (languages, emergency numbers, map, contact, sample data)."""

import logging
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from pertutti.accounts.decorators import staff_view
from pertutti.directory.phones import parse_phone
from pertutti.territories.languages import language_choices
from pertutti.territories.models import Territory
from pertutti.territories.selectors import request_territory_or_404
from pertutti.territories.services import (
    EMERGENCY_KINDS,
    MAX_ZOOM,
    TerritorySettingsError,
    territory_settings_update,
)

logger = logging.getLogger(__name__)

EMERGENCY_KIND_LABELS = {
    "general": gettext_lazy("Emergency: ambulance, police, fire brigade"),
    "violence": gettext_lazy("Violence and stalking: help for women"),
    "trafficking": gettext_lazy("Trafficking and exploitation"),
    "health": gettext_lazy("Medical emergency"),
    "children": gettext_lazy("Help for children and teenagers"),
}
MAX_EMERGENCY_NUMBERS = 10


def _order_field(code: str) -> str:
    return f"order_{code}"


class TerritorySettingsForm(forms.Form):
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Offered languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one language.")},
    )
    map_centre_latitude = forms.DecimalField(
        label=gettext_lazy("Latitude of the map centre"), max_digits=9, decimal_places=6
    )
    map_centre_longitude = forms.DecimalField(
        label=gettext_lazy("Longitude of the map centre"), max_digits=9, decimal_places=6
    )
    map_zoom = forms.IntegerField(
        label=gettext_lazy("Map zoom"),
        min_value=1,
        max_value=MAX_ZOOM,
        help_text=gettext_lazy("From 1 (the whole world) to 18 (a street); 10 shows a province."),
    )
    contact_email = forms.EmailField(
        label=gettext_lazy("Contact e-mail address of the project"), required=False
    )
    sample_data = forms.BooleanField(
        label=gettext_lazy("The site shows sample data (every page says so)"), required=False
    )

    def __init__(self, *args: Any, territory: Territory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.territory = territory
        for code, _name in settings.LANGUAGES:
            self.fields[_order_field(code)] = forms.IntegerField(
                label=gettext_lazy("Position in the menu"),
                min_value=1,
                max_value=99,
                required=False,
            )

    @classmethod
    def initial_for(cls, territory: Territory) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "languages": list(territory.offered_languages),
            "map_centre_latitude": territory.map_centre_latitude,
            "map_centre_longitude": territory.map_centre_longitude,
            "map_zoom": territory.map_zoom,
            "contact_email": territory.contact_email,
            "sample_data": territory.sample_data,
        }
        for position, code in enumerate(territory.offered_languages, start=1):
            initial[_order_field(code)] = position
        return initial

    def language_rows(self) -> list[dict[str, Any]]:
        """One row per known language: its checkbox state, names and position field."""
        chosen = set(self["languages"].value() or [])
        names = dict(language_choices([code for code, _name in settings.LANGUAGES]))
        return [
            {
                "code": code,
                "own_name": own_name,
                "name": names[code],
                "checked": code in chosen,
                "order": self[_order_field(code)],
                "index": index,
            }
            for index, (code, own_name) in enumerate(settings.LANGUAGES)
        ]

    def clean_languages(self) -> list[str]:
        codes: list[str] = self.cleaned_data["languages"]
        source = self.territory.source_language
        if source not in codes:
            name = dict(language_choices([source]))[source]
            raise forms.ValidationError(
                _("%(language)s is the language the services are written in: it must stay offered.")
                % {"language": name}
            )
        return codes

    def _check_bound(self, field: str, low: Decimal, high: Decimal) -> None:
        value = self.cleaned_data.get(field)
        if value is not None and not low <= value <= high:
            self.add_error(
                field,
                _("Must be between %(low)s and %(high)s, the bounds of %(territory)s.")
                % {"low": low, "high": high, "territory": self.territory.name},
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        t = self.territory
        self._check_bound("map_centre_latitude", t.bound_south, t.bound_north)
        self._check_bound("map_centre_longitude", t.bound_west, t.bound_east)
        return cleaned

    def offered_in_order(self) -> list[str]:
        """The chosen codes by their position; without one, after the others, as they were."""
        codes = self.cleaned_data["languages"]
        before = {code: n for n, code in enumerate(self.territory.offered_languages)}
        known = {code: n for n, (code, _name) in enumerate(settings.LANGUAGES)}

        def key(code: str) -> tuple[int, int, int]:
            position = self.cleaned_data.get(_order_field(code))
            return (position or 100, before.get(code, 100), known[code])

        return sorted(codes, key=key)


class EmergencyNumberForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Number"),
        max_length=20,
        # Digits read left to right in Arabic and Urdu too ("800 290 290", not reversed).
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[("", "—"), *((kind, EMERGENCY_KIND_LABELS[kind]) for kind in EMERGENCY_KINDS)],
    )

    def __init__(self, *args: Any, region: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region = region

    def clean_number(self) -> str:
        text = self.cleaned_data["number"]
        try:
            return parse_phone(text, self.region).number
        except ValueError:
            raise forms.ValidationError(
                _("“%(number)s” is not a telephone number that can be called.") % {"number": text}
            ) from None


EmergencyNumberFormSet = forms.formset_factory(
    EmergencyNumberForm,
    extra=2,
    can_delete=True,
    max_num=MAX_EMERGENCY_NUMBERS,
    validate_max=True,
)


def _numbers_initial(territory: Territory) -> list[dict[str, str]]:
    """As people write them ("800 290 290"), not as stored ("+39800290290")."""
    region = territory.phone_region
    return [
        {"number": parse_phone(n["number"], region).national(region), "kind": n["kind"]}
        for n in territory.emergency_numbers
    ]


def _numbers(formset: forms.BaseFormSet) -> list[dict[str, str]]:
    return [
        {"number": form.cleaned_data["number"], "kind": form.cleaned_data["kind"]}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


@staff_view("territories.change_settings")
@require_http_methods(["GET", "POST"])
def territory_settings(request: HttpRequest) -> HttpResponse:
    territory = request_territory_or_404(request)
    region = {"region": territory.phone_region}
    if request.method == "POST":
        form = TerritorySettingsForm(request.POST, territory=territory)
        numbers = EmergencyNumberFormSet(request.POST, prefix="numbers", form_kwargs=region)
        if form.is_valid() and numbers.is_valid():
            data = form.cleaned_data
            try:
                changed = territory_settings_update(
                    territory=territory,
                    actor=request.user,
                    offered_languages=form.offered_in_order(),
                    emergency_numbers=_numbers(numbers),
                    map_centre_latitude=data["map_centre_latitude"],
                    map_centre_longitude=data["map_centre_longitude"],
                    map_zoom=data["map_zoom"],
                    contact_email=data["contact_email"],
                    sample_data=data["sample_data"],
                )
            except TerritorySettingsError:
                # The form checks what the service checks: reaching this is a bug, not input.
                logger.exception("territory settings refused after the form accepted them")
                form.add_error(None, _("The settings could not be saved. Nothing was changed."))
            else:
                messages.success(
                    request, _("Settings saved.") if changed else _("Nothing changed.")
                )
                return redirect("manage:settings")
    else:
        form = TerritorySettingsForm(
            initial=TerritorySettingsForm.initial_for(territory), territory=territory
        )
        numbers = EmergencyNumberFormSet(
            initial=_numbers_initial(territory), prefix="numbers", form_kwargs=region
        )
    return render(request, "manage/settings.html", {"form": form, "numbers": numbers})


urlpatterns = [path("settings/", territory_settings, name="settings")]
