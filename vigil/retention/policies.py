"""What each retention policy covers, its bounds, and what "past its time" means for it.

The bounds are deliberately wide enough for any retailer's schedule and narrow enough that a
slip of the keyboard cannot erase last week's alerts (a minimum) or keep personal data for
decades (a maximum). ``docs/retention.md`` and the retention page show the same table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from vigil.core.roles import Capability, can
from vigil.retention.models import RecordKind, RetentionPolicy


@dataclass(frozen=True)
class KindRule:
    kind: RecordKind
    default_days: int
    min_days: int
    max_days: int
    reference_time: str  # what the period counts from, in words
    kept_while: str  # what keeps a record past its period, in words

    @property
    def label(self) -> str:
        return str(self.kind.label)


RULES: dict[str, KindRule] = {
    rule.kind: rule
    for rule in (
        KindRule(
            RecordKind.ALERTS,
            default_days=30,
            min_days=7,
            max_days=365,
            reference_time="when the alert started (the recording time of its clip)",
            kept_while="it was escalated to an incident (the incident's evidence keeps it)",
        ),
        KindRule(
            RecordKind.POS_DATA,
            default_days=400,
            min_days=90,
            max_days=2555,
            reference_time="when the data set was imported",
            kept_while="one of its leads is part of a case that still exists",
        ),
        KindRule(
            RecordKind.STATEMENTS,
            default_days=2555,
            min_days=365,
            max_days=3650,
            reference_time="when it was taken, or when its case closed if that is later",
            kept_while="its case is still open",
        ),
        KindRule(
            RecordKind.CLOSED_CASES,
            default_days=2555,
            min_days=365,
            max_days=3650,
            reference_time="when the case was closed",
            kept_while="a statement of it is still kept, or a file of it is locked in S3",
        ),
        KindRule(
            RecordKind.SUBJECTS,
            default_days=730,
            min_days=180,
            max_days=3650,
            reference_time="the subject's last activity: recorded, or last in an incident",
            kept_while=(
                "a BOLO is active, a trespass notice is in force, or a case that still "
                "exists links the subject"
            ),
        ),
        KindRule(
            RecordKind.VEHICLES,
            default_days=730,
            min_days=180,
            max_days=3650,
            reference_time="the vehicle's last activity: recorded, or last in an incident",
            kept_while="a subject or a case that still exists links the vehicle",
        ),
    )
}


def rule_for(kind: str) -> KindRule:
    try:
        return RULES[kind]
    except KeyError:
        raise ValidationError({"kind": f"{kind!r} is not a kind of record."}) from None


def periods() -> dict[str, int]:
    """Days kept per kind: the administrator's setting, else the default."""
    chosen = dict(RetentionPolicy.objects.values_list("kind", "days"))
    return {kind: int(chosen.get(kind, rule.default_days)) for kind, rule in RULES.items()}


def cutoffs(now: dt.datetime) -> dict[str, dt.datetime]:
    """Per kind, the moment before which a record's reference time is past its period."""
    return {kind: now - dt.timedelta(days=days) for kind, days in periods().items()}


def check_days(kind: str, days: int) -> None:
    """Refuse a period outside the kind's bounds, saying what the bounds are."""
    rule = rule_for(kind)
    if not rule.min_days <= days <= rule.max_days:
        raise ValidationError(
            {
                "days": (
                    f"{rule.label}: keep between {rule.min_days:,} and {rule.max_days:,} days "
                    f"(not {days:,})."
                )
            }
        )


def may_set(user: object) -> bool:
    """Administrators set retention: those who manage users or the organisation."""
    return can(user, Capability.MANAGE_USERS) or can(user, Capability.MANAGE_ORGANISATION)


def set_period(user: object, kind: str, days: int) -> RetentionPolicy:
    """Set how long ``kind`` is kept; logged by the audit log like every change."""
    from django.core.exceptions import PermissionDenied

    if not may_set(user):
        raise PermissionDenied("Only an administrator may set retention periods.")
    check_days(kind, days)
    policy = RetentionPolicy.objects.filter(kind=kind).first()
    if policy is None:
        policy = RetentionPolicy(kind=kind)
    policy.days = days
    policy.updated_by = user if getattr(user, "pk", None) else None  # type: ignore[assignment]
    policy.save()
    return policy
