"""How each kind of record reads as a search result: what it is called, a line of what an
LP officer needs to recognise it (in words and names, never codes), where and when.

Each kind reads its records back through its own model's ``visible_to``: the index says
which records match, the model says which the user may see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from vigil.core.charts import money_text
from vigil.core.models import Person, Store, User
from vigil.search.models import SearchKind


@dataclass(frozen=True)
class Hit:
    """One record found: a link, a line about it, its store and when it happened."""

    kind: str
    url: str
    title: str
    store: Store
    reference: str = ""  # its reference number, where it has one (INC-2026-000042)
    facts: list[str] = field(default_factory=list)
    at: datetime | None = None
    at_label: str = ""
    note: str = ""  # why it matched, where that is not plain to see
    object_id: int | None = None  # the record's primary key (what a "Link" button sends)

    @property
    def line(self) -> str:
        """Its facts, the empty ones left out: "Shoplifting · Open · Aisle 7"."""
        return " · ".join(fact for fact in self.facts if fact)


@dataclass(frozen=True)
class Source:
    """How to read one kind's records for a user, and how each reads as a result."""

    records: Callable[[User], QuerySet[Any]]
    hit: Callable[[Any], Hit]


def _incidents(user: User) -> QuerySet[Any]:
    from vigil.cases.models import Incident

    return Incident.objects.visible_to(user).select_related("store")


def _incident(record: Any) -> Hit:
    return Hit(
        kind=SearchKind.INCIDENT,
        url=reverse("cases:incident-detail", args=[record.number]),
        reference=record.number,
        title=record.summary,
        store=record.store,
        facts=[record.get_kind_display(), record.get_status_display(), record.location],
        at=record.occurred_at,
        at_label="Occurred",
    )


def _cases(user: User) -> QuerySet[Any]:
    from vigil.cases.models import Case

    return Case.objects.visible_to(user).select_related("store", "assignee")


def _case(record: Any) -> Hit:
    assignee = ""
    if record.assignee is not None:
        assignee = record.assignee.get_full_name() or record.assignee.username
    return Hit(
        kind=SearchKind.CASE,
        url=reverse("cases:case-detail", args=[record.number]),
        reference=record.number,
        title=record.title,
        store=record.store,
        facts=[
            record.get_kind_display(),
            record.get_status_display(),
            f"{record.get_priority_display()} priority",
            f"assigned to {assignee}" if assignee else "unassigned",
        ],
        at=record.opened_at,
        at_label="Opened",
    )


def _subjects(user: User) -> QuerySet[Any]:
    from vigil.cases.models import Subject

    return Subject.objects.visible_to(user).select_related("store")


def _subject(record: Any) -> Hit:
    from vigil.cases.models import BoloStatus

    facts = [f"also known as {record.aliases}" if record.aliases else ""]
    if record.bolo_status != BoloStatus.NONE:
        facts.append(record.get_bolo_status_display())
    facts.append(" ".join(p for p in (record.approximate_age, record.height, record.build) if p))
    return Hit(
        kind=SearchKind.SUBJECT,
        url=reverse("cases:subject-detail", args=[record.pk]),
        title=str(record),
        store=record.store,
        facts=facts,
        at=record.created_at,
        at_label="Recorded",
    )


def _vehicles(user: User) -> QuerySet[Any]:
    from vigil.cases.models import Vehicle

    return Vehicle.objects.visible_to(user).select_related("store")


def _vehicle(record: Any) -> Hit:
    return Hit(
        kind=SearchKind.VEHICLE,
        url=reverse("cases:vehicle-detail", args=[record.pk]),
        title=str(record),
        store=record.store,
        facts=[record.description],
    )


def _evidence_items(user: User) -> QuerySet[Any]:
    from vigil.evidence.models import EvidenceItem

    found = EvidenceItem.objects.visible_to(user).filter(deleted_at__isnull=True)
    return found.select_related("store")


def _evidence(record: Any) -> Hit:
    return Hit(
        kind=SearchKind.EVIDENCE,
        url=reverse("evidence:evidence-detail", args=[record.number]),
        reference=record.number,
        title=record.original_filename,
        store=record.store,
        facts=[record.get_source_display(), f"SHA-256 {record.sha256[:16]}…"],
        at=record.acquired_at,
        at_label="Acquired",
    )


def _people(user: User) -> QuerySet[Any]:
    return Person.objects.visible_to(user).select_related("home_store")


def _person(record: Any) -> Hit:
    facts = [record.get_role_display(), f"employee id {record.employee_id}"]
    if record.left_on is not None:
        facts.append(f"left {record.left_on:%Y-%m-%d}")
    return Hit(
        kind=SearchKind.PERSON,
        url=reverse("core:person-detail", args=[record.employee_id]),
        title=record.name,
        store=record.home_store,
        facts=facts,
    )


def lead(record: Any) -> Hit:
    """A POS lead: the rule's words, the transaction, who rang it and what it came to."""
    facts = [f"transaction {record.transaction_id}"]
    if record.person is not None:
        facts.append(record.person.name)
    if record.register_id:
        facts.append(f"register {record.register_id}")
    if record.amount is not None:
        facts.append(money_text(float(record.amount), cents=True))
    facts.append(record.get_status_display())
    if record.no_longer_raised_at is not None:
        facts.append("no longer raised")
    return Hit(
        kind=SearchKind.LEAD,
        url=reverse("pos:exception-detail", args=[record.pk]),
        title=record.rule_title,
        store=record.store,
        facts=facts,
        at=_parsed(record.at_text),
        at_label="Rung",
    )


def _parsed(at_text: str) -> datetime | None:
    """The lead's time as the data wrote it (with its offset), or None when it has none."""
    try:
        moment = datetime.fromisoformat(at_text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


SOURCES: dict[str, Source] = {
    SearchKind.INCIDENT: Source(_incidents, _incident),
    SearchKind.CASE: Source(_cases, _case),
    SearchKind.SUBJECT: Source(_subjects, _subject),
    SearchKind.VEHICLE: Source(_vehicles, _vehicle),
    SearchKind.EVIDENCE: Source(_evidence_items, _evidence),
    SearchKind.PERSON: Source(_people, _person),
}
