"""Writing to and verifying the tamper-evident audit log.

:func:`record` appends one event under a lock on the chain head, so concurrent writers
(web workers, the task worker) never fork the chain. :func:`verify_chain` walks the whole
log and reports the first row that does not fit: altered, deleted or inserted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from vigil.core.context import Actor, current_actor
from vigil.core.models.audit import GENESIS_HASH, AuditChainHead, AuditEvent

logger = logging.getLogger(__name__)
VERIFY_BATCH = 2000
ProgressCallback = Callable[[int, int], None]


class AuditChainBroken(Exception):
    """The chain head is missing although events exist: someone removed it."""


def describe(obj: models.Model) -> tuple[str, str, str]:
    """``(object_type, object_id, object_repr)`` as the audit log names an object."""
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}", str(obj.pk), str(obj)[:200]


def record(
    action: str,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    store_id: int | None = None,
    changes: dict[str, Any] | None = None,
    actor: Actor | None = None,
) -> AuditEvent:
    """Append one event to the audit log and return it."""
    who = actor or current_actor()
    if obj is not None:
        object_type, object_id, object_repr = describe(obj)
    with transaction.atomic():
        head = _locked_head()
        event = AuditEvent(
            seq=head.seq + 1,
            occurred_at=timezone.now(),
            actor_id=who.user_id,
            actor_username=who.username[:150],
            action=action,
            object_type=object_type,
            object_id=object_id[:64],
            object_repr=object_repr[:200],
            store_id=store_id,
            request_id=who.request_id,
            ip=who.ip,
            via=who.via,
            changes=changes or {},
            prev_hash=head.hash,
        )
        event.hash = event.compute_hash()
        event.save()
        AuditChainHead.objects.filter(pk=head.pk).update(seq=event.seq, hash=event.hash)
    return event


def _locked_head() -> AuditChainHead:
    # On PostgreSQL the row lock serialises writers; on SQLite the IMMEDIATE transaction
    # already holds the database write lock.
    head = AuditChainHead.objects.select_for_update().order_by("pk").first()
    if head is not None:
        return head
    if AuditEvent.objects.exists():
        raise AuditChainBroken(
            "the audit chain head row is missing while events exist; run `vigil audit verify`"
        )
    return AuditChainHead.objects.create(seq=0, hash=GENESIS_HASH)


@dataclass(frozen=True)
class ChainProblem:
    """The first place where the log stops being the log that was written."""

    seq: int | None
    kind: str  # altered, deleted, inserted, head
    message: str


@dataclass
class VerifyReport:
    checked: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    problem: ChainProblem | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_chain(progress: ProgressCallback | None = None) -> VerifyReport:
    """Recompute every hash and link; stop at the first row that does not fit."""
    head = AuditChainHead.objects.order_by("pk").first()
    total = AuditEvent.objects.count()
    report = VerifyReport(
        head_seq=head.seq if head else 0, head_hash=head.hash if head else GENESIS_HASH
    )
    expected_seq, prev_hash = 1, GENESIS_HASH
    rows = AuditEvent.objects.order_by("seq").iterator(chunk_size=VERIFY_BATCH)
    for event in rows:
        problem = _check_row(event, expected_seq, prev_hash, report.head_seq)
        if problem is not None:
            report.problem = problem
            return report
        report.checked += 1
        expected_seq, prev_hash = event.seq + 1, event.hash
        if progress is not None and report.checked % VERIFY_BATCH == 0:
            progress(report.checked, total)
    report.problem = _check_end(head, expected_seq - 1, prev_hash)
    if progress is not None:
        progress(report.checked, total)
    return report


def _check_row(
    event: AuditEvent, expected_seq: int, prev_hash: str, head_seq: int
) -> ChainProblem | None:
    seq = event.seq
    if seq > head_seq:
        return ChainProblem(seq, "inserted", f"row {seq} lies past the chain head ({head_seq})")
    if seq != expected_seq:
        missing = (
            f"row {expected_seq}" if seq == expected_seq + 1 else f"rows {expected_seq}-{seq - 1}"
        )
        return ChainProblem(expected_seq, "deleted", f"{missing} deleted (next row is {seq})")
    if event.prev_hash != prev_hash:
        return ChainProblem(
            seq, "inserted", f"row {seq} does not link to row {seq - 1}: inserted or replaced"
        )
    if event.compute_hash() != event.hash:
        return ChainProblem(seq, "altered", f"row {seq} was altered (its content hash differs)")
    return None


def _check_end(head: AuditChainHead | None, last_seq: int, last_hash: str) -> ChainProblem | None:
    if head is None:
        if last_seq == 0:
            return None
        return ChainProblem(None, "head", "the chain head row is missing")
    if last_seq < head.seq:
        missing = (
            f"row {head.seq}" if last_seq + 1 == head.seq else f"rows {last_seq + 1}-{head.seq}"
        )
        return ChainProblem(last_seq + 1, "deleted", f"{missing} deleted from the end of the log")
    if head.hash != last_hash:
        return ChainProblem(head.seq, "head", "the chain head does not match the last row")
    return None
