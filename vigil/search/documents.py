"""What each kind of record puts into the search index.

A document reads only the record's own concrete fields (and its fields' choice labels), so
the same function indexes a live model instance and a migration's historical one. A record
that search must not find (evidence deleted with a reason) has no document.

An incident's or a case's type is not among its words: "shoplifting" would match most of
the table, and the lists filter by type already.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vigil.search import plates, text
from vigil.search.models import SearchKind


@dataclass(frozen=True)
class Document:
    store_id: int
    happened_at: datetime | None
    words: str
    keys: str = ""
    plate: str = ""
    digest: str = ""


def label(record: Any, field: str) -> str:
    """The human label of a choice field's value ("Shoplifting" for ``shoplifting``)."""
    value = getattr(record, field)
    choices = dict(type(record)._meta.get_field(field).flatchoices)
    return str(choices.get(value, value or ""))


def incident(record: Any) -> Document:
    return Document(
        store_id=record.store_id,
        happened_at=record.occurred_at,
        words=text.words(
            [
                record.summary,
                record.location,
                record.narrative,
                record.police_agency,
                record.police_officer,
                record.police_report_number,
            ]
        ),
        keys=text.keys([record.number, record.police_report_number]),
    )


def case(record: Any) -> Document:
    return Document(
        store_id=record.store_id,
        happened_at=record.opened_at,
        words=text.words([record.title, record.summary, record.outcome]),
        keys=text.keys([record.number]),
    )


def subject(record: Any) -> Document:
    return Document(
        store_id=record.store_id,
        happened_at=record.created_at,
        words=text.words(
            [
                record.name,
                record.aliases,
                record.description,
                record.identifying_marks,
                record.clothing,
                record.hair,
                record.build,
                record.eyes,
                record.bolo_instructions,
            ]
        ),
    )


def vehicle(record: Any) -> Document:
    return Document(
        store_id=record.store_id,
        happened_at=None,
        words=text.words(
            [
                record.colour,
                record.make,
                record.model,
                record.year,
                record.plate_state,
                record.description,
            ]
        ),
        keys=text.keys([record.plate]),
        plate=plates.key(record.plate),
    )


def evidence(record: Any) -> Document | None:
    if record.deleted_at is not None:
        return None  # deleted with a reason: its page stays, search no longer offers it
    return Document(
        store_id=record.store_id,
        happened_at=record.acquired_at,
        words=text.words(
            [
                record.original_filename,
                record.description,
                record.camera,
                record.acquired_by,
                label(record, "source"),
            ]
        ),
        keys=text.keys([record.number, record.original_filename]),
        digest=record.sha256.lower(),
    )


def person(record: Any) -> Document:
    return Document(
        store_id=record.home_store_id,
        happened_at=None,
        words=text.words([record.name, label(record, "role")]),
        keys=text.keys([record.employee_id]),
    )


Builder = Callable[[Any], Document | None]

# Model label -> (kind, document builder): every indexed kind, and nothing else.
INDEXED: dict[str, tuple[SearchKind, Builder]] = {
    "cases.Incident": (SearchKind.INCIDENT, incident),
    "cases.Case": (SearchKind.CASE, case),
    "cases.Subject": (SearchKind.SUBJECT, subject),
    "cases.Vehicle": (SearchKind.VEHICLE, vehicle),
    "evidence.EvidenceItem": (SearchKind.EVIDENCE, evidence),
    "core.Person": (SearchKind.PERSON, person),
}
