"""Sign-ins, failed sign-ins and sign-outs go to the activity log."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from pertutti.accounts.audit import audit_record
from pertutti.accounts.models import AuditAction
from pertutti.territories.selectors import current_territory


@receiver(user_logged_in)
def _signed_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(action=AuditAction.SIGN_IN, actor=user, territory=current_territory())


@receiver(user_logged_out)
def _signed_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action=AuditAction.SIGN_OUT, actor=user, territory=current_territory())


@receiver(user_login_failed)
def _failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # A locked-out flood is one LOCKED_OUT event (accounts/views/signin.py), not a row per try.
    if request is not None and getattr(request, "axes_locked_out", False):
        return
    # Django has already replaced the password with stars; only the user name is kept.
    name = str(credentials.get("username", ""))[:150]
    audit_record(
        action=AuditAction.SIGN_IN_FAILED,
        actor_name=name,
        territory=current_territory(),
        target=name,
    )
