"""Sharing one record with an external user or an agency, revoking it, and reading it back.

Every grant is for exactly one record. What that record points at (a case's incidents and
subjects, an incident's evidence) stays hidden from the recipient unless it was shared too:
the portal asks :func:`shared_links` for the linked records that have their own live grant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone

from vigil.core import audit
from vigil.core.models import AccessGrant, Agency, AuditAction, Role, User
from vigil.core.roles import Capability, require
from vigil.core.scoping import store_id_of
from vigil.sharing.shareables import Kind, kind_for_content_type, kind_of, linked_records


@dataclass(frozen=True)
class SharedRecord:
    """One record as its recipient sees it: the grant that reaches them, its kind, itself."""

    grant: AccessGrant
    kind: Kind
    record: models.Model


def max_days() -> int:
    return int(getattr(settings, "VIGIL_SHARE_MAX_DAYS", 365))


def recipients() -> tuple[list[User], list[Agency]]:
    """Who may be shared with: active external users, and agencies."""
    users = list(
        User.objects.filter(role=Role.EXTERNAL, is_active=True)
        .select_related("agency")
        .order_by("organisation_name", "last_name", "username")
    )
    return users, list(Agency.objects.all())


def share(
    by: User,
    record: models.Model,
    *,
    until: datetime,
    reason: str,
    grantee: User | None = None,
    agency: Agency | None = None,
) -> AccessGrant:
    """Share ``record`` (which ``by`` can see) read-only with one external user or agency."""
    require(by, Capability.INVESTIGATE)
    kind = kind_of(record)
    errors: dict[str, str] = {}
    if (grantee is None) == (agency is None):
        errors["recipient"] = "Choose one external user or one agency to share with."
    elif grantee is not None and (grantee.role != Role.EXTERNAL or not grantee.is_active):
        errors["recipient"] = (
            f"{grantee.username} is not an active external user; only police, legal and "
            "insurers are shared with (colleagues see records through their store scope)."
        )
    reason = reason.strip()
    if not reason:
        errors["reason"] = "Say why it is shared, e.g. the police report or subpoena number."
    now = timezone.now()
    if until <= now:
        errors["until"] = "The end of sharing must be in the future."
    elif until > now + timedelta(days=max_days()):
        errors["until"] = f"Share for at most {max_days()} days; extend later if still needed."
    if errors:
        raise ValidationError(errors)
    content_type = ContentType.objects.get_for_model(record)
    with transaction.atomic():
        already = AccessGrant.objects.live().filter(
            content_type=content_type,
            object_id=str(record.pk),
            grantee=grantee,
            agency=agency,
        )
        if already.exists():
            raise ValidationError(
                {"recipient": f"This {kind.label.lower()} is already shared with them."}
            )
        return AccessGrant.objects.create(
            grantee=grantee,
            agency=agency,
            content_type=content_type,
            object_id=str(record.pk),
            store_id=store_id_of(record),
            reason=reason[:300],
            granted_by=by,
            expires_at=until,
        )


def revoke(by: User, grant: AccessGrant, reason: str) -> AccessGrant:
    """End a grant now; it stays on record with who ended it and why."""
    require(by, Capability.INVESTIGATE)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why sharing ends."})
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.revoked_by = by
        grant.revoke_reason = reason[:300]
        grant.save()
    return grant


def grants_for(record: models.Model) -> models.QuerySet[AccessGrant]:
    """Every grant ever made for ``record``, newest first."""
    return AccessGrant.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk)
    ).select_related("grantee__agency", "agency", "granted_by", "revoked_by")


def shared_with(user: User) -> list[SharedRecord]:
    """What ``user`` can read now: one entry per record, through the grant that ends last."""
    grants = (
        AccessGrant.objects.live()
        .reaching(user)
        .select_related("content_type", "granted_by", "agency", "store")
        .order_by("-granted_at")
    )
    best: dict[tuple[int, str], AccessGrant] = {}
    for grant in grants:
        key = (grant.content_type_id, grant.object_id)
        held = best.get(key)
        if held is None or _ends_later(grant, held):
            best[key] = grant
    records = _records_of(list(best.values()))
    shared = []
    for grant in best.values():
        kind = kind_for_content_type(grant.content_type)
        record = records.get((grant.content_type_id, grant.object_id))
        if kind is not None and record is not None:
            shared.append(SharedRecord(grant, kind, record))
    return sorted(shared, key=lambda item: item.grant.granted_at, reverse=True)


def _records_of(grants: list[AccessGrant]) -> dict[tuple[int, str], models.Model]:
    """The records behind ``grants``, by (content type, object id): one query per kind of
    record, with its store (the portal names it on every row), however many are shared."""
    wanted: dict[int, tuple[Kind, set[str]]] = {}
    for grant in grants:
        kind = kind_for_content_type(grant.content_type)
        if kind is not None:
            wanted.setdefault(grant.content_type_id, (kind, set()))[1].add(grant.object_id)
    found: dict[tuple[int, str], models.Model] = {}
    for content_type_id, (kind, object_ids) in wanted.items():
        for record in kind.queryset().filter(pk__in=object_ids).select_related("store"):
            found[(content_type_id, str(record.pk))] = record
    return found


def _ends_later(grant: AccessGrant, other: AccessGrant) -> bool:
    if grant.expires_at is None:
        return other.expires_at is not None
    return other.expires_at is not None and grant.expires_at > other.expires_at


def _record_of(grant: AccessGrant, kind: Kind | None) -> models.Model | None:
    if kind is None:
        return None
    return kind.queryset().filter(pk=grant.object_id).first()


def open_shared(user: User, grant_id: int) -> SharedRecord:
    """The record behind one of ``user``'s live grants, or Http404 (ended, not theirs)."""
    grant = (
        AccessGrant.objects.live()
        .reaching(user)
        .select_related("content_type", "granted_by", "agency", "store")
        .filter(pk=grant_id)
        .first()
    )
    kind = kind_for_content_type(grant.content_type) if grant is not None else None
    record = _record_of(grant, kind) if grant is not None else None
    if grant is None or kind is None or record is None:
        raise Http404("Nothing is shared with you under that number.")
    return SharedRecord(grant, kind, record)


def shared_links(user: User, record: models.Model) -> list[SharedRecord]:
    """The records linked to ``record`` that are shared with ``user`` in their own right."""
    linked = linked_records(record)
    if not linked:
        return []
    reachable = {
        (item.grant.content_type_id, item.grant.object_id): item for item in shared_with(user)
    }
    found: list[SharedRecord] = []
    for other in linked:
        key = (ContentType.objects.get_for_model(other).pk, str(other.pk))
        item = reachable.get(key)
        if item is not None and item not in found:
            found.append(item)
    return found


def record_opened(item: SharedRecord, what: str) -> None:
    """The recipient opened or downloaded a shared record: on the audit log, with the grant."""
    AccessGrant.objects.filter(pk=item.grant.pk).update(last_opened_at=timezone.now())
    action = AuditAction.SHARED_DOWNLOAD if what == "download" else AuditAction.SHARED_OPEN
    audit.record(
        action,
        obj=item.record,
        store_id=store_id_of(item.record),
        changes={"grant": item.grant.pk, "what": what, "reason": item.grant.reason},
    )
