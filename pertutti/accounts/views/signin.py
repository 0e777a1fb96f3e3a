"""Sign-in, sign-out, passwords, second factor and the person's own account page.

Django's auth views do the work (so django-axes sees every sign-in: it refuses a locked
account or client before any password is hashed); these subclasses add the namespaced
URLs, the activity log, the second factor and e-mails in the recipient's language.
Every page here is `Cache-Control: private, no-store` and CSRF protected.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from axes.helpers import get_cool_off
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import path, reverse, reverse_lazy
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from pertutti.accounts import second_factor
from pertutti.accounts.audit import audit_record
from pertutti.accounts.decorators import is_verified, second_factor_pending, staff_view
from pertutti.accounts.forms import CodeForm, PasswordResetRequestForm, ProfileForm, SignInForm
from pertutti.accounts.models import AuditAction
from pertutti.accounts.profiles import chosen_language, profile_of, profile_update
from pertutti.territories.selectors import request_territory

View = Callable[..., HttpResponse]


def account_view(view: View) -> View:
    """A page of one's own account: signed in, second factor confirmed where needed."""
    return staff_view()(view)


def _safe_next(request: HttpRequest) -> str:
    """`?next=` only to a page of this site (same host; https stays https)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _home_after_sign_in(request: HttpRequest) -> str:
    """The back office, in the language the person chose (if they did)."""
    with translation.override(chosen_language(request.user) or translation.get_language()):
        return resolve_url(settings.LOGIN_REDIRECT_URL)


def _two_factor_url(next_url: str) -> str:
    return f"{reverse('accounts:two_factor')}?{urlencode({'next': next_url})}"


# --- sign-in and sign-out -------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"

    def get_default_redirect_url(self) -> str:
        return _home_after_sign_in(self.request)

    def form_valid(self, form: SignInForm) -> HttpResponse:
        response = super().form_valid(form)  # signs in; the redirect is to a checked `next`
        if second_factor_pending(self.request):
            return HttpResponseRedirect(_two_factor_url(response["Location"]))
        return response


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """What django-axes answers once an account or a client is locked (AXES_LOCKOUT_CALLABLE):
    a page saying for how long, with the way out (a password reset), never cached."""
    if getattr(request, "axes_failures_since_start", None) is not None:
        # This very failure reached the limit (later refusals are not counted): log it once.
        name = str((credentials or {}).get("username") or request.POST.get("username", ""))
        audit_record(
            action=AuditAction.LOCKED_OUT,
            actor_name=name[:150],
            territory=request_territory(request),
            target=name,
        )
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else 0
    response = render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {"minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    add_never_cache_headers(response)
    return response


# Django's LogoutView: POST only (GET is 405), CSRF protected, never cached; then home.
sign_out = auth_views.LogoutView.as_view()


# --- passwords ------------------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django keeps this session and ends every other one (update_session_auth_hash)."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: Form) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(
            action=AuditAction.PASSWORD_CHANGED,
            actor=self.request.user,
            territory=request_territory(self.request),
            target=self.request.user.get_username(),
        )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer whether or not the address has an account (no enumeration)."""

    form_class = PasswordResetRequestForm
    template_name = "registration/password_reset_form.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset_body.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Form) -> HttpResponse:
        territory = request_territory(self.request)
        self.extra_email_context = {"site_name": territory.name if territory else "Per tutti"}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Form) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user  # type: ignore[attr-defined]
        # The person proved they hold the mailbox: their account's sign-in lock (if any)
        # ends now; a lock on a client address still runs its course.
        axes_reset(username=user.get_username())
        audit_record(
            action=AuditAction.PASSWORD_RESET,
            actor=user,
            territory=request_territory(self.request),
            target=user.get_username(),
        )
        return response


# --- second factor --------------------------------------------------------------------------


def _code_error(check: second_factor.CodeCheck) -> str:
    if check.outcome is second_factor.Outcome.THROTTLED:
        return _("Too many wrong codes. Wait a few minutes and try again.")
    return _("This code is not right. Try again.")


@never_cache
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator (no device yet) or confirm this sign-in with a code."""
    user = request.user
    next_url = _safe_next(request)
    if not second_factor.has_second_factor(user):
        return _two_factor_setup(request, next_url)
    if is_verified(request):
        return redirect(next_url or "accounts:profile")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = second_factor.check_code(user=user, code=form.cleaned_data["code"])
        if check.accepted:
            otp_login(request, check.device)
            if check.used_recovery_code:
                left = second_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code: %(count)d is left. Make new ones from "
                        "your account page.",
                        "You used a recovery code: %(count)d are left. Make new ones from "
                        "your account page.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(next_url or _home_after_sign_in(request))
        form.add_error("code", _code_error(check))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": next_url},
    )


def _two_factor_setup(request: HttpRequest, next_url: str) -> HttpResponse:
    user, territory = request.user, request_territory(request)
    device = second_factor.pending_authenticator(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check, codes = second_factor.second_factor_confirm(
            user=user, code=form.cleaned_data["code"], territory=territory
        )
        if check.accepted:
            otp_login(request, check.device)
            return _show_recovery_codes(request, codes, next_url or _home_after_sign_in(request))
        form.add_error("code", _code_error(check))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "setup": second_factor.provisioning(device),
            "required": second_factor.required_by_role(user, territory),
        },
    )


def _show_recovery_codes(request: HttpRequest, codes: list[str], continue_url: str) -> HttpResponse:
    """Shown once, in the answer to the POST that made them; never stored in a page cache."""
    response = render(
        request, "accounts/recovery_codes.html", {"codes": codes, "continue_url": continue_url}
    )
    add_never_cache_headers(response)
    return response


@require_POST
@account_view
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if not second_factor.has_second_factor(request.user):
        return redirect("accounts:two_factor")
    codes = second_factor.recovery_codes_renew(
        user=request.user, territory=request_territory(request)
    )
    return _show_recovery_codes(request, codes, reverse("accounts:profile"))


@account_view
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    user, territory = request.user, request_territory(request)
    if not second_factor.has_second_factor(user):
        return redirect("accounts:profile")
    required = second_factor.required_by_role(user, territory)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and not required and form.is_valid():
        check = second_factor.second_factor_disable(
            user=user, code=form.cleaned_data["code"], territory=territory
        )
        if check.accepted:
            messages.success(request, _("The second factor is off."))
            return redirect("accounts:profile")
        form.add_error("code", _code_error(check))
    status = 403 if required and request.method == "POST" else 200
    return render(
        request,
        "accounts/two_factor_disable.html",
        {"form": form, "required": required},
        status=status,
    )


# --- the person's own account ---------------------------------------------------------------


@account_view
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    current = profile_of(user)
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": current.language,
    }
    form = ProfileForm(request.POST or None, initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        saved = profile_update(user=user, **form.cleaned_data)
        # Open the page again in the chosen language.
        with translation.override(saved.language):
            messages.success(request, _("Your account has been saved."))
            return redirect(reverse("accounts:profile"))
    territory = request_territory(request)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "has_second_factor": second_factor.has_second_factor(user),
            "second_factor_required": second_factor.required_by_role(user, territory),
            "recovery_codes_left": second_factor.recovery_codes_left(user),
            "back_office_url": resolve_url(settings.LOGIN_REDIRECT_URL),
        },
    )


def _never_cached(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapper


urlpatterns = [
    path("login/", never_cache(SignInView.as_view()), name="login"),
    path("logout/", sign_out, name="logout"),
    path(
        "password/",
        account_view(PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "password/done/",
        account_view(
            auth_views.PasswordChangeDoneView.as_view(
                template_name="registration/password_change_done.html"
            )
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        _never_cached(PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        _never_cached(
            auth_views.PasswordResetDoneView.as_view(
                template_name="registration/password_reset_done.html"
            )
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),  # never cached by Django
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        _never_cached(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="registration/password_reset_complete.html"
            )
        ),
        name="password_reset_complete",
    ),
    path("two-factor/", two_factor, name="two_factor"),
    path("two-factor/recovery-codes/", recovery_codes, name="recovery_codes"),
    path("two-factor/disable/", two_factor_disable, name="two_factor_disable"),
    path("profile/", profile, name="profile"),
]
