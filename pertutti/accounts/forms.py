"""Forms of sign-in, passwords, second factor and the person's own account."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.models import AbstractUser
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from pertutti.accounts.profiles import email_language, is_translator, profile_of


class SignInForm(AuthenticationForm):
    """Django's form: it passes the request to authenticate(), which django-axes needs to
    refuse a locked-out account or client before any password is hashed."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong user name or password."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("User name")
        self.fields["password"].label = _("Password")


class PasswordResetRequestForm(PasswordResetForm):
    """Sends the link in the recipient's own language, whatever the language of the page."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # The link is reversed inside the template, so it opens the site in that language too.
        with translation.override(email_language(context["user"])):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    language = forms.ChoiceField(
        label=_("Language of the pages and e-mails"), choices=settings.LANGUAGES
    )

    def __init__(self, *args: Any, user: AbstractUser | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only translators get the weekly digest, so only they see its opt-out.
        if user is not None and is_translator(user):
            self.fields["translation_digest"] = forms.BooleanField(
                label=_("Weekly e-mail of texts to translate"),
                help_text=_("New and outdated texts in your languages, at most once a week."),
                required=False,
                initial=profile_of(user).translation_digest,
            )
