"""Sign-in throttling against password guessing.

Failed sign-ins are already in the audit log, so the log is the counter: it is shared by
every web process and survives restarts, with no cache server to run. A username is
locked after too many failures in the window (counted since its last successful sign-in),
and so is an address that tries many usernames.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from vigil.core.models.audit import AuditAction, AuditEvent


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after_seconds: int = 0


def check(username: str, ip: str | None) -> Verdict:
    """Whether a sign-in attempt for ``username`` from ``ip`` may be checked at all."""
    window = timedelta(seconds=settings.VIGIL_LOGIN_WINDOW_SECONDS)
    since = timezone.now() - window
    failures = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, occurred_at__gte=since)
    last_success = (
        AuditEvent.objects.filter(
            action=AuditAction.LOGIN, actor_username=username, occurred_at__gte=since
        )
        .values_list("occurred_at", flat=True)
        .order_by("-seq")
        .first()
    )
    by_user = failures.filter(actor_username=username)
    if last_success is not None:
        by_user = by_user.filter(occurred_at__gt=last_success)
    for counted, limit in (
        (by_user, settings.VIGIL_LOGIN_MAX_FAILURES_PER_USER),
        (
            failures.filter(ip=ip) if ip else failures.none(),
            settings.VIGIL_LOGIN_MAX_FAILURES_PER_IP,
        ),
    ):
        times = list(counted.order_by("-seq").values_list("occurred_at", flat=True)[:limit])
        if len(times) >= limit:
            oldest = times[-1]
            retry = int((oldest + window - timezone.now()).total_seconds()) + 1
            return Verdict(allowed=False, retry_after_seconds=max(retry, 1))
    return Verdict(allowed=True)
