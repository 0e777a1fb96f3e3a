"""Forms of the people pages and of the invitation page. They parse and show choices; the
rules (a translator needs a language, an editor an organisation) are checked by the services."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import (
    password_validators_help_text_html,
    validate_password,
)
from django.utils.translation import gettext_lazy as _

from pertutti.accounts.models import Invitation, Role
from pertutti.accounts.selectors import interface_languages, target_languages
from pertutti.directory.models import Organization
from pertutti.territories.languages import language_choices
from pertutti.territories.models import Territory


class OrganizationChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return obj.name


class RolesForm(forms.Form):
    """Roles, a translator's languages, an editor's organisations, all of this territory."""

    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages (for translators)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organizations = OrganizationChoices(
        label=_("Organisations (for organisation editors)"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Unknown organisation.")},
    )

    def __init__(self, *args: Any, territory: Territory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = language_choices(target_languages(territory))
        # Only this territory's organisations can be chosen: another id is "not a valid choice".
        self.fields["organizations"].queryset = Organization.objects.filter(
            territory=territory
        ).order_by("name")


class InviteForm(RolesForm):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    language = forms.ChoiceField(
        label=_("Language of the e-mail and of the account"),
        help_text=_("The person can change it later."),
    )

    field_order = ["email", "roles", "languages", "organizations", "language"]

    def __init__(self, *args: Any, territory: Territory, **kwargs: Any) -> None:
        super().__init__(*args, territory=territory, **kwargs)
        codes = interface_languages(territory)
        self.fields["language"].choices = language_choices(codes)
        self.fields["language"].initial = territory.source_language


class AcceptInvitationForm(forms.Form):
    """The invited person's name and password (twice), checked by Django's validators."""

    name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, invitation: Invitation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your name."))
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            email = self.invitation.email
            # Compared with the name and address, as the account will hold them.
            user = get_user_model()(username=email, email=email, first_name=cleaned.get("name", ""))
            try:
                validate_password(first, user=user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
