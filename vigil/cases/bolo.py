"""Pushing a BOLO: when a subject's or a vehicle's BOLO becomes active, its region is told.

Every LP user (LP officer, LP investigator / manager) whose stores include a store of the
record's region gets an in-app notice (listed in their My work) and an e-mail, with the
photo's link and the instructions. Store associates (store managers), directors,
executives, auditors and external users are never sent one: a BOLO names a person of
interest, which is LP's to act on.

The push is caught on save (whatever saved it: a page, the API, an import), only on the
change to active, and sent once the save is committed.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse

from vigil.cases.models import BoloStatus, Subject, Vehicle
from vigil.core.models import Role, ScopeKind, Store, User

logger = logging.getLogger(__name__)

LP_ROLES = (Role.LP_OFFICER, Role.LP_MANAGER)
EVENT = "bolo.active"


def recipients(store: Store) -> QuerySet[User]:
    """Active LP users whose scope takes in a store of ``store``'s region."""
    region = store.region_id
    in_region = (
        Q(scope_kind=ScopeKind.EVERYTHING)
        | Q(scope_kind=ScopeKind.REGIONS, regions=region)
        | Q(scope_kind=ScopeKind.STORES, stores__region=region)
    )
    return User.objects.filter(in_region, is_active=True, role__in=LP_ROLES).distinct()


def photo_url(record: Subject | Vehicle) -> str:
    """The link to the record's latest photo in the evidence vault; "" when it has none."""
    if not isinstance(record, Subject):
        return ""
    from vigil.evidence.models import EvidenceItem

    photo = (
        EvidenceItem.objects.filter(subject=record, deleted_at__isnull=True).order_by("-pk").first()
    )
    return reverse("evidence:evidence-download", args=[photo.number]) if photo else ""


def title_of(record: Subject | Vehicle) -> str:
    kind = "person" if isinstance(record, Subject) else "vehicle"
    return f"BOLO ({kind}) from {record.store.name}: {record}"[:300]


def push(record: Subject | Vehicle) -> int:
    """Notify the LP users of the record's region; the number of people told."""
    from vigil.cases.notifications import notify
    from vigil.video.models import BoloNotice

    title, photo = title_of(record), photo_url(record)
    page = reverse(
        "cases:subject-detail" if isinstance(record, Subject) else "cases:vehicle-detail",
        args=[record.pk],
    )
    told = 0
    for user in recipients(record.store):
        BoloNotice.objects.create(
            recipient=user,
            subject=record if isinstance(record, Subject) else None,
            vehicle=record if isinstance(record, Vehicle) else None,
            store=record.store,
            title=title,
            instructions=record.bolo_instructions,
            photo_url=photo,
        )
        payload = {"store": record.store.code, "instructions": record.bolo_instructions}
        notify(user, EVENT, title, {**payload, "photo": photo, "page": page})
        told += 1
    logger.info("BOLO on %s pushed to %s LP user(s)", record, told)
    return told


def _became_active(record: Subject | Vehicle, created: bool) -> bool:
    if record.bolo_status != BoloStatus.ACTIVE:
        return False
    # AuditedModel keeps the values as loaded; after save it holds the new ones, so the
    # change is read before (the signal fires inside AuditedModel.save, before the refresh).
    before = {} if created else getattr(record, "_audit_snapshot", {})
    return bool(before.get("bolo_status") != BoloStatus.ACTIVE)


@receiver(post_save, sender=Subject, dispatch_uid="bolo-push-subject")
@receiver(post_save, sender=Vehicle, dispatch_uid="bolo-push-vehicle")
def _on_save(sender: Any, instance: Subject | Vehicle, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw") or not _became_active(instance, created):
        return
    pk, model = instance.pk, type(instance)
    transaction.on_commit(lambda: push(model.objects.select_related("store").get(pk=pk)))
