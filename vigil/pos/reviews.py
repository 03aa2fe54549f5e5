"""Reviewing leads: explained (with a reason from the LP manager's list, and a note),
coaching, or escalated into an investigation case; one at a time or many with one note.

Every review is kept: the lead shows its latest outcome, :class:`LeadReview` keeps each step
(who, when, what), and each step goes into the audit log. Escalating opens a case at the
lead's store and attaches the transaction's journal (as a CSV export from the POS data) to it
as evidence, hashed and with its custody log started, so the investigator starts with the
facts, not a screenshot.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from vigil.cases import casework
from vigil.cases.models import Case
from vigil.core import audit
from vigil.core.exports import SafeWriter
from vigil.core.models import AuditAction, User
from vigil.core.roles import Capability, require
from vigil.pos import casefile, journal
from vigil.pos.imports import folder_of
from vigil.pos.models import ExplanationReason, LeadReview, PosException, ReviewStatus

REVIEWABLE = {ReviewStatus.EXPLAINED, ReviewStatus.COACHING, ReviewStatus.NEW}
MAX_BULK = 500


def review(
    user: User,
    exception: PosException,
    status: str,
    note: str,
    reason: ExplanationReason | None = None,
) -> PosException:
    """Record the outcome of looking at a lead (explained or coaching) with a note."""
    return review_many(user, [exception], status, note, reason, together=False)[0]


def review_many(
    user: User,
    leads: Iterable[PosException],
    status: str,
    note: str,
    reason: ExplanationReason | None = None,
    *,
    together: bool = True,
) -> list[PosException]:
    """One outcome and one note for many leads, all or none: an escalated lead in the
    selection is refused (it has its case), not quietly changed.

    The leads are locked and read afresh, so a review never undoes an escalation or a scan
    that committed a moment before."""
    require(user, Capability.INVESTIGATE)
    ids = [lead.pk for lead in leads]
    if not ids:
        raise ValidationError({"leads": "Select the leads to review."})
    if len(ids) > MAX_BULK:
        raise ValidationError({"leads": f"Review at most {MAX_BULK:,} leads at once."})
    batch = uuid.uuid4() if together else None
    with transaction.atomic():
        fresh = list(
            PosException.objects.select_for_update(of=("self",))
            .filter(pk__in=ids)
            .select_related("case")
        )
        for lead in fresh:
            _check(lead, status, note, reason)
        for lead in fresh:
            _apply(user, lead, status, note, reason, batch=batch)
    return fresh


def _check(lead: PosException, status: str, note: str, reason: ExplanationReason | None) -> None:
    if status not in REVIEWABLE:
        raise ValidationError({"status": "Choose explained, coaching or new."})
    if lead.status == ReviewStatus.ESCALATED:
        raise ValidationError(
            {"status": f"{lead.transaction_id} is escalated to case {lead.case}; "
             "work it in the case."}
        )  # fmt: skip
    if status == ReviewStatus.EXPLAINED and reason is None and not note.strip():
        raise ValidationError({"note": "Choose a reason or say what explains it."})
    if status == ReviewStatus.COACHING and not note.strip():
        raise ValidationError({"note": "Say what the coaching covers."})
    if reason is not None and (status != ReviewStatus.EXPLAINED or not reason.active):
        raise ValidationError({"reason": "A reason goes with explained, from the list offered."})


def _apply(
    user: User,
    lead: PosException,
    status: str,
    note: str,
    reason: ExplanationReason | None,
    batch: uuid.UUID | None,
) -> None:
    now = timezone.now()
    lead.status = status
    lead.reason = reason if status == ReviewStatus.EXPLAINED else None
    lead.review_note = note.strip()
    lead.reviewed_by = user
    lead.reviewed_at = now
    lead.save(update_fields=["status", "reason", "review_note", "reviewed_by", "reviewed_at"])
    _remember(user, lead, batch, now)


def _remember(user: User, lead: PosException, batch: uuid.UUID | None, at: Any) -> None:
    """The step in the lead's history, and in the audit log."""
    LeadReview.objects.create(
        lead=lead,
        status=lead.status,
        reason=lead.reason,
        note=lead.review_note,
        case=lead.case,
        reviewed_by=user,
        reviewed_at=at,
        batch=batch,
    )
    changes: dict[str, Any] = {"status": lead.status, "note": lead.review_note}
    if lead.reason is not None:
        changes["reason"] = lead.reason.label
    if lead.case_id is not None:
        changes["case"] = str(lead.case)
    if batch is not None:
        changes["bulk_review"] = str(batch)
    audit.record(AuditAction.LEAD_REVIEW, obj=lead, store_id=lead.store_id, changes=changes)


def escalate(user: User, exception: PosException, note: str = "") -> Case:
    """Open a case for the lead, with its transaction journal attached as evidence, its
    employee as a subject and its camera window as tasks (:mod:`vigil.pos.casefile`)."""
    require(user, Capability.INVESTIGATE)
    with transaction.atomic():
        # Locked and read afresh: a double click opens one case, and a scan that committed
        # meanwhile keeps what it wrote (only the review's fields are saved below).
        exception = PosException.objects.select_for_update().get(pk=exception.pk)
        if exception.case_id is not None:
            return exception.case  # type: ignore[return-value]
        case = casework.open_case(
            user,
            {
                "store": exception.store,
                "title": f"{exception.rule_title}: {exception.employee_id or 'unattended'} "
                f"({exception.transaction_id})",
                "kind": "internal_theft",
                "summary": f"{exception.detail}. Raised by the POS rule {exception.rule} on "
                f"{exception.business_date}. {note}".strip(),
            },
        )
        _bring(user, exception, case, note)
    return case


def link_to_case(user: User, lead: PosException, case: Case) -> PosException:
    """Work the lead in an open case (linked from the case page): it arrives as an escalated
    lead does, with its journal, its employee and its camera window. A lead escalated to
    another case stays there."""
    require(user, Capability.INVESTIGATE)
    with transaction.atomic():
        lead = PosException.objects.select_for_update().get(pk=lead.pk)
        if lead.case_id == case.pk:
            return lead
        if lead.case_id is not None:
            raise ValidationError(
                {"ref": f"Lead {lead.transaction_id} is escalated to case {lead.case}; "
                 "work it there."}
            )  # fmt: skip
        _bring(user, lead, case, f"Linked from case {case.number}.")
    return lead


def _bring(user: User, exception: PosException, case: Case, note: str) -> None:
    """The lead into ``case``: journal, employee, camera window, and its review step."""
    found = _attach_journal(user, exception, case)
    casefile.arrive(user, exception, case, found)
    exception.status = ReviewStatus.ESCALATED
    exception.reason = None
    exception.review_note = note.strip()
    exception.reviewed_by = user
    exception.reviewed_at = timezone.now()
    exception.case = case
    exception.save(
        update_fields=["status", "reason", "review_note", "reviewed_by", "reviewed_at", "case"]
    )
    _remember(user, exception, None, exception.reviewed_at)


def reasons_offered() -> list[ExplanationReason]:
    return list(ExplanationReason.objects.filter(active=True))


def add_reason(user: User, label: str) -> ExplanationReason:
    """A new reason on the list reviewers choose from (or an old one offered again)."""
    require(user, Capability.SET_REVIEW_CHOICES)
    label = " ".join(label.split())
    if not label or len(label) > 120:
        raise ValidationError({"label": "Give the reason in 1 to 120 characters."})
    reason, created = ExplanationReason.objects.get_or_create(label=label)
    if not created and not reason.active:
        reason.active = True
        reason.save(update_fields=["active"])
    audit.record(
        AuditAction.CREATE if created else AuditAction.UPDATE, obj=reason, changes={"label": label}
    )
    return reason


def withdraw_reason(user: User, reason: ExplanationReason) -> None:
    """Stop offering a reason; the leads explained by it keep it."""
    require(user, Capability.SET_REVIEW_CHOICES)
    reason.active = False
    reason.save(update_fields=["active"])
    audit.record(AuditAction.UPDATE, obj=reason, changes={"active": False})


def _attach_journal(user: User, exception: PosException, case: Case) -> journal.Journal | None:
    """The lead's journal, attached to the case as evidence (None when it cannot be read)."""
    from vigil.evidence import intake

    found = journal.read(folder_of(exception.data_set), exception.transaction_id)
    if found is None:
        return None
    data = journal_csv(found)
    fields: dict[str, Any] = {
        "filename": f"journal-{_safe(exception.transaction_id)}.csv",
        "source": "pos",
        "acquired_by": user.get_full_name() or user.get_username(),
        "acquired_at": timezone.now(),
        "case": case.number,
        "store": exception.store.code,
        "description": f"POS journal of {exception.transaction_id} and its register "
        f"neighbours; video window {found.video_from} to {found.video_to}",
    }
    item = intake.describe_item(user, intake.item_fields(user, fields, "text/csv"))
    intake.receive(item, io.BytesIO(data), len(data))
    return found


def journal_csv(found: journal.Journal) -> bytes:
    """The journal as one CSV: the transaction, its lines, its tenders, its neighbours."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    for title, rows in (
        ("transaction", [found.transaction]),
        ("lines", found.lines),
        ("tenders", found.tenders),
        ("register neighbours", found.neighbours),
    ):
        writer.writerow([f"# {title}"])
        if rows:
            writer.writerow(list(rows[0]))
            writer.writerows([["" if v is None else v for v in row.values()] for row in rows])
    return buffer.getvalue().encode("utf-8")


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in text)[:80]
