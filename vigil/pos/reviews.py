"""Reviewing an exception: explained, coaching, or escalated into an investigation case.

Escalating opens a case at the exception's store and attaches the transaction's journal (as
a CSV export from the POS data) to it as evidence, hashed and with its custody log started,
so the investigator starts with the facts, not a screenshot.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from vigil.cases import casework
from vigil.cases.models import Case
from vigil.core.models import User
from vigil.core.roles import Capability, require
from vigil.pos import journal
from vigil.pos.imports import folder_of
from vigil.pos.models import PosException, ReviewStatus


def review(user: User, exception: PosException, status: str, note: str) -> PosException:
    """Record the outcome of looking at an exception (explained or coaching) with a note."""
    require(user, Capability.INVESTIGATE)
    if status not in {ReviewStatus.EXPLAINED, ReviewStatus.COACHING, ReviewStatus.NEW}:
        raise ValidationError({"status": "Choose explained, coaching or new."})
    if status != ReviewStatus.NEW and not note.strip():
        raise ValidationError({"note": "Say what explains it, or what the coaching covers."})
    exception.status = status
    exception.review_note = note.strip()
    exception.reviewed_by = user
    exception.reviewed_at = timezone.now()
    exception.save()
    return exception


def escalate(user: User, exception: PosException, note: str = "") -> Case:
    """Open a case for the exception, with its transaction journal attached as evidence."""
    require(user, Capability.INVESTIGATE)
    if exception.case_id is not None:
        return exception.case  # type: ignore[return-value]
    with transaction.atomic():
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
        _attach_journal(user, exception, case)
        exception.status = ReviewStatus.ESCALATED
        exception.review_note = note.strip()
        exception.reviewed_by = user
        exception.reviewed_at = timezone.now()
        exception.case = case
        exception.save()
    return case


def _attach_journal(user: User, exception: PosException, case: Case) -> None:
    from vigil.evidence import intake

    found = journal.read(folder_of(exception.scan.data_set), exception.transaction_id)
    if found is None:
        return
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


def journal_csv(found: journal.Journal) -> bytes:
    """The journal as one CSV: the transaction, its lines, its tenders, its neighbours."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
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
