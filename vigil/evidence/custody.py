"""Writing and checking the chain of custody.

:func:`log` appends one event to an item's chain under a lock on the item's row, so two
people opening the same clip at once never fork it. :func:`verify_item` recomputes each
event's hash and link and names the first one that does not fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from vigil.core.context import current_actor
from vigil.core.roles import Capability, require
from vigil.evidence.models import GENESIS_HASH, CustodyAction, CustodyEvent, EvidenceItem


def log(
    item: EvidenceItem,
    action: CustodyAction | str,
    *,
    purpose: str = "",
    location: str = "",
    from_party: str = "",
    to_party: str = "",
    details: dict[str, Any] | None = None,
    actor_name: str = "",
) -> CustodyEvent:
    """Append one custody event for ``item``, by whoever is acting now."""
    actor = current_actor()
    with transaction.atomic():
        # Locking the item's row serialises appends to its chain on PostgreSQL; on SQLite the
        # IMMEDIATE transaction already holds the write lock.
        EvidenceItem.objects.select_for_update().filter(pk=item.pk).exists()
        last = CustodyEvent.objects.filter(evidence=item).order_by("-seq").first()
        event = CustodyEvent(
            evidence=item,
            seq=(last.seq + 1) if last else 1,
            action=CustodyAction(action),
            occurred_at=timezone.now(),
            actor_id=actor.user_id,
            actor_name=(actor_name or actor.username or "system")[:200],
            location=location[:200],
            purpose=purpose,
            from_party=from_party[:200],
            to_party=to_party[:200],
            details=details or {},
            ip=actor.ip,
            request_id=actor.request_id,
            via=actor.via,
            prev_hash=last.hash if last else GENESIS_HASH,
        )
        event.hash = event.compute_hash()
        event.save()
        EvidenceItem.objects.filter(pk=item.pk).update(
            custody_seq=event.seq, custody_head=event.hash
        )
    item.custody_seq, item.custody_head = event.seq, event.hash
    return event


@dataclass(frozen=True)
class CustodyProblem:
    """Where an item's custody chain stops being the chain that was written."""

    evidence_number: str
    seq: int | None
    message: str

    def __str__(self) -> str:
        where = f" event #{self.seq}" if self.seq is not None else ""
        return f"{self.evidence_number}{where}: {self.message}"


def verify_item(item: EvidenceItem) -> CustodyProblem | None:
    """Check every custody event of ``item``; the first problem, or None."""
    expected_seq, prev_hash = 1, GENESIS_HASH
    for event in CustodyEvent.objects.filter(evidence=item).order_by("seq"):
        if event.seq != expected_seq:
            return CustodyProblem(
                item.number,
                expected_seq,
                f"event #{expected_seq} is missing (next is #{event.seq})",
            )
        if event.prev_hash != prev_hash:
            return CustodyProblem(item.number, event.seq, "does not link to the event before it")
        if event.compute_hash() != event.hash:
            return CustodyProblem(
                item.number, event.seq, f"was altered after it was written ({event.action})"
            )
        expected_seq, prev_hash = expected_seq + 1, event.hash
    if expected_seq == 1:
        return CustodyProblem(item.number, None, "has no custody events (not even 'collected')")
    last_seq = expected_seq - 1
    if (last_seq, prev_hash) != (item.custody_seq, item.custody_head):
        return CustodyProblem(
            item.number,
            last_seq,
            f"the chain ends at #{last_seq} but #{item.custody_seq} was the last one written",
        )
    return None


# --- what people do with evidence, each step logged -------------------------------------


def open_for(item: EvidenceItem, action: CustodyAction, store: Any = None) -> BinaryIO:
    """The item's bytes for viewing or downloading; the access is logged first."""
    from vigil.evidence.storage import store_from_settings

    if action not in {CustodyAction.VIEWED, CustodyAction.DOWNLOADED}:
        raise ValueError(f"open_for logs views and downloads, not {action}")
    stream = (store or store_from_settings()).open(item.sha256)
    log(item, action, details={"sha256": item.sha256})
    return stream


# A person watching a clip sends dozens of Range requests (every seek, every buffer refill)
# and reloads the page; the chain records that they viewed it, once per this long.
VIEWING_SESSION = timedelta(minutes=30)


def log_access(item: EvidenceItem, action: CustodyAction, *, new: bool) -> CustodyEvent | None:
    """Log a view or download of ``item``, once per person per viewing session.

    A view is logged unless the same person viewed the item within :data:`VIEWING_SESSION`.
    A download is logged when it is ``new`` (it asks for the first byte, or the whole file)
    and otherwise, a resumed download, only if that person has no download in the session.
    None when the event was already written.
    """
    if action not in {CustodyAction.VIEWED, CustodyAction.DOWNLOADED}:
        raise ValueError(f"log_access logs views and downloads, not {action}")
    actor = current_actor()
    with transaction.atomic():
        # The same lock as log(): two range requests at the same moment write one event.
        EvidenceItem.objects.select_for_update().filter(pk=item.pk).exists()
        repeat = action == CustodyAction.VIEWED or not new
        if repeat and _accessed_lately(item, action, actor.user_id, actor.username):
            return None
        return log(item, action, details={"sha256": item.sha256})


def _accessed_lately(
    item: EvidenceItem, action: CustodyAction, user_id: int | None, username: str
) -> bool:
    since = timezone.now() - VIEWING_SESSION
    recent = CustodyEvent.objects.filter(evidence=item, action=action, occurred_at__gte=since)
    if user_id is None:
        return recent.filter(actor_id__isnull=True, actor_name=username or "system").exists()
    return recent.filter(actor_id=user_id).exists()


def transfer(
    user: Any, item: EvidenceItem, *, from_party: str, to_party: str, purpose: str, location: str
) -> CustodyEvent:
    """Hand physical or digital custody from one party to another, for a stated purpose."""
    require(user, Capability.RECORD)
    _require_reason(purpose, "purpose", "Say why custody is being transferred.")
    if not (from_party.strip() and to_party.strip()):
        raise ValidationError("Name who hands the evidence over and who receives it.")
    return log(
        item,
        CustodyAction.TRANSFERRED,
        from_party=from_party,
        to_party=to_party,
        purpose=purpose,
        location=location,
    )


def release(user: Any, item: EvidenceItem, *, to_party: str, purpose: str) -> CustodyEvent:
    """Release evidence to someone outside the company (police, court, insurer)."""
    require(user, Capability.INVESTIGATE)
    _require_reason(purpose, "purpose", "Say why the evidence is released.")
    if not to_party.strip():
        raise ValidationError({"to_party": "Name who receives the evidence."})
    return log(item, CustodyAction.RELEASED, to_party=to_party, purpose=purpose)


def dispose(user: Any, item: EvidenceItem, *, reason: str) -> CustodyEvent:
    """Record that retention ended (case closed, hold lifted); the bytes stay until purged."""
    require(user, Capability.INVESTIGATE)
    _require_reason(reason, "reason", "Say why the evidence is disposed of.")
    _refuse_if_held(item)
    return log(item, CustodyAction.DISPOSED, purpose=reason)


def withdraw(user: Any, item: EvidenceItem, *, reason: str) -> EvidenceItem:
    """Soft-delete: the item leaves lists and packages, its bytes and history stay."""
    require(user, Capability.INVESTIGATE)
    _require_reason(reason, "reason", "Say why the evidence is deleted.")
    _refuse_if_held(item)
    if item.is_deleted:
        raise ValidationError("This evidence is already deleted.")
    with transaction.atomic():
        item.deleted_at = timezone.now()
        item.deleted_reason = reason.strip()
        item.save()
        log(item, CustodyAction.DELETED, purpose=reason.strip())
    return item


def mark_verified(item: EvidenceItem, found_sha256: str) -> CustodyEvent:
    """A person checked the stored bytes against the recorded hash; logged either way."""
    return log(
        item,
        CustodyAction.VERIFIED,
        purpose="Stored bytes re-hashed and compared",
        details={"expected": item.sha256, "found": found_sha256, "ok": found_sha256 == item.sha256},
    )


def _refuse_if_held(item: EvidenceItem) -> None:
    """Evidence under a legal hold is neither deleted nor disposed of, by anyone."""
    from vigil.retention.holds import refuse_if_held

    refuse_if_held(item)


def _require_reason(text: str, field: str, message: str) -> None:
    if not text.strip():
        raise ValidationError({field: message})
