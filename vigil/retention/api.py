"""Retention API: the policies (administrators), a dry-run preview, and legal holds."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from vigil.cases import lookups
from vigil.core.apiauth import may
from vigil.core.pages import api_user
from vigil.core.roles import Capability
from vigil.core.scoping import get_visible_or_404
from vigil.retention import holds, policies, purge
from vigil.retention.models import HoldTarget, LegalHold
from vigil.retention.schemas import HoldIn, HoldOut, PoliciesIn, PolicyOut, PreviewOut, ReleaseIn

router = Router(tags=["retention"])


def _policy(kind: str, days: int) -> dict[str, Any]:
    rule = policies.rule_for(kind)
    return {
        "kind": kind,
        "label": rule.label,
        "days": days,
        "min_days": rule.min_days,
        "max_days": rule.max_days,
        "default_days": rule.default_days,
        "reference_time": rule.reference_time,
        "kept_while": rule.kept_while,
    }


def _require_admin(request: HttpRequest) -> Any:
    user = api_user(request)
    if not policies.may_set(user):
        raise PermissionDenied("Only an administrator may see or set retention.")
    return user


@router.get("/retention/policies", response=list[PolicyOut])
def list_policies(request: HttpRequest) -> list[dict[str, Any]]:
    _require_admin(request)
    return [_policy(kind, days) for kind, days in policies.periods().items()]


@router.patch(
    "/retention/policies",
    response=list[PolicyOut],
    auth=may(Capability.MANAGE_ORGANISATION),
)
def set_policies(request: HttpRequest, payload: PoliciesIn) -> list[dict[str, Any]]:
    """Change the periods named (``{"periods": {"alerts": 60}}``), all or none: a period
    outside its kind's bounds, or an unknown kind, is refused (422) and nothing changes."""
    user = _require_admin(request)
    with transaction.atomic():
        for kind, days in payload.periods.items():
            policies.set_period(user, kind, days)
    return [_policy(kind, days) for kind, days in policies.periods().items()]


@router.get("/retention/preview", response=PreviewOut)
def preview(request: HttpRequest) -> dict[str, Any]:
    """What a purge would remove now (a dry run: nothing changes)."""
    _require_admin(request)
    found = purge.plan()
    return {
        "summary": found.summary(),
        "due": found.counts(),
        "kept": found.kept(),
        "locked": found.locked,
    }


@router.get("/legal-holds", response=list[HoldOut])
@paginate
def list_holds(request: HttpRequest) -> QuerySet[LegalHold]:
    return LegalHold.objects.visible_to(api_user(request)).select_related("store", "placed_by")


@router.post("/legal-holds", response={201: HoldOut}, auth=may(Capability.INVESTIGATE))
def place_hold(request: HttpRequest, payload: HoldIn) -> Status[Any]:
    user = api_user(request)
    record: Any
    if payload.target == HoldTarget.CASE:
        record = lookups.case(user, payload.ref)
    elif payload.target == HoldTarget.INCIDENT:
        record = lookups.incident(user, payload.ref)
    else:
        record = lookups.subject(user, int(payload.ref) if payload.ref.isdigit() else 0)
    hold = holds.place(user, record, reason=payload.reason, until=payload.until)
    return Status(201, hold)


@router.post("/legal-holds/{hold_id}/release", response=HoldOut, auth=may(Capability.INVESTIGATE))
def release_hold(request: HttpRequest, hold_id: int, payload: ReleaseIn) -> LegalHold:
    user = api_user(request)
    hold = get_visible_or_404(LegalHold.objects.all(), user, pk=hold_id)
    return holds.release(user, hold, reason=payload.reason)
