"""Sign-ins and sign-outs in the audit log, from Django's authentication signals."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from vigil.core.audit import record
from vigil.core.context import Actor, current_actor, switch_user
from vigil.core.models.audit import AuditAction


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    switch_user(user)
    record(AuditAction.LOGIN, obj=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    record(AuditAction.LOGOUT, obj=user)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    now = current_actor()
    # The username tried is recorded (it is what throttling counts), never the password.
    tried = Actor(username=username, via=now.via, request_id=now.request_id, ip=now.ip)
    record(AuditAction.LOGIN_FAILED, object_type="core.user", object_repr=username, actor=tried)
