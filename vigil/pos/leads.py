"""Keeping a scan's findings as durable leads, and its rankings as the scan's snapshot.

A lead is what one rule says about one transaction at one store: (rule, store,
transaction_id). A scan does not add rows; it brings its data set's leads up to date:

- a lead raised for the first time is created, status New;
- a lead raised again keeps its review, note, reviewer and case; what the rule says of it now
  (severity, amount, detail) is updated where it changed;
- a lead of the data set the scan no longer raises (its rule was removed, or changed) is
  marked "no longer raised" with when, never deleted; raised again later, it comes back.

Only transactions the data set owns (see :mod:`vigil.pos.imports`) get leads from its scans:
an export that repeats transactions already imported adds nothing for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from vigil.core.models import Person
from vigil.pos.models import DataSet, EmployeeRisk, PosException, Scan, StoreRisk
from vigil.pos.regions import Renamer

BATCH = 2000
Key = tuple[str, int, str]  # rule, store pk, transaction id
# What a rule says about its lead; a change to any of these updates the lead in place.
FACTS = (
    "rule_title",
    "employee_id",
    "person_id",
    "register_id",
    "business_date",
    "at_text",
    "amount",
    "severity",
    "detail",
)


def record(
    run: Scan, data_set: DataSet, result: dict[str, Any], known: set[tuple[str, str]]
) -> dict[str, int]:
    """Bring ``data_set``'s leads in line with ``result``; how many were new, updated, kept
    as they were, and no longer raised."""
    stores = {store.code: store.pk for store in data_set.stores.all()}
    facts = dict(_facts(run, result, stores, known))
    for key in _held_elsewhere(data_set, facts):
        del facts[key]  # another data set's lead (imported before overlap was tracked)
    existing = _existing(data_set)
    now = timezone.now()
    created = [
        PosException(data_set=data_set, first_scan=run, last_scan=run, **fields)
        for key, fields in facts.items()
        if key not in existing
    ]
    mine = PosException.objects.filter(data_set=data_set)
    before = mine.count()
    # A conflict is a lead another import committed a moment ago: it stays theirs.
    PosException.objects.bulk_create(created, batch_size=BATCH, ignore_conflicts=True)
    added = mine.count() - before
    changed = _changed(facts, existing)
    PosException.objects.bulk_update(changed, [*FACTS, "no_longer_raised_at"], batch_size=500)
    gone = [pk for key, (pk, _, raised) in existing.items() if raised and key not in facts]
    for chunk in _chunks(gone):
        PosException.objects.filter(pk__in=chunk).update(no_longer_raised_at=now, last_scan=run)
    PosException.objects.filter(data_set=data_set, no_longer_raised_at__isnull=True).update(
        last_scan=run
    )
    return {
        "new": added,
        "updated": len(changed),
        "kept": len(facts) - len(created) - len(changed),
        "no_longer_raised": len(gone),
    }


def _facts(
    run: Scan, result: dict[str, Any], stores: dict[str, int], known: set[tuple[str, str]]
) -> Iterator[tuple[Key, dict[str, Any]]]:
    ids = {row["employee_id"] for row in result["exceptions"] if row["employee_id"]}
    people = dict(Person.objects.filter(employee_id__in=ids).values_list("employee_id", "pk"))
    titles = {rule["id"]: rule["title"] for rule in result["rules"]}
    for row in result["exceptions"]:
        if (row["store_id"], row["transaction_id"]) in known:
            continue
        store = stores[row["store_id"]]
        employee = row["employee_id"] or ""
        yield (
            (row["rule"], store, row["transaction_id"]),
            {
                "rule": row["rule"],
                "store_id": store,
                "transaction_id": row["transaction_id"],
                "rule_title": titles.get(row["rule"], row["rule"]),
                "employee_id": employee,
                "person_id": people.get(employee),
                "register_id": row["register_id"] or "",
                "business_date": _day(row["business_date"]),
                "at_text": row["at"] or "",
                "amount": None if row["amount"] is None else Decimal(str(row["amount"])),
                "severity": float(row["severity"]),
                "detail": (row["detail"] or "")[:500],
            },
        )


def _held_elsewhere(data_set: DataSet, facts: dict[Key, dict[str, Any]]) -> set[Key]:
    """Keys of the facts that are leads of another data set already."""
    numbers = sorted({number for _, _, number in facts})
    held: set[Key] = set()
    for start in range(0, len(numbers), BATCH):
        found = PosException.objects.filter(transaction_id__in=numbers[start : start + BATCH])
        held.update(
            found.exclude(data_set=data_set).values_list("rule", "store_id", "transaction_id")
        )
    return held & facts.keys()


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _existing(data_set: DataSet) -> dict[Key, tuple[int, tuple[Any, ...], bool]]:
    """Each lead of the data set: its pk, what the rule said, and whether it is raised."""
    rows = PosException.objects.filter(data_set=data_set).values_list(
        "rule", "store_id", "transaction_id", "pk", "no_longer_raised_at", *FACTS
    )
    return {
        (rule, store, number): (pk, tuple(said), retired is None)
        for rule, store, number, pk, retired, *said in rows.iterator(chunk_size=BATCH)
    }


def _changed(
    facts: dict[Key, dict[str, Any]], existing: dict[Key, tuple[int, tuple[Any, ...], bool]]
) -> list[PosException]:
    changed = []
    for key, fields in facts.items():
        if key not in existing:
            continue
        pk, said, raised = existing[key]
        now_said = tuple(fields[name] for name in FACTS)
        if raised and now_said == said:
            continue
        lead = PosException(pk=pk, no_longer_raised_at=None)
        for name in FACTS:
            setattr(lead, name, fields[name])
        changed.append(lead)
    return changed


def _chunks(items: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def record_rankings(
    run: Scan, data_set: DataSet, result: dict[str, Any], renamer: Renamer | None = None
) -> None:
    """The scan's employee and store rankings, as they stood at this scan, their peer groups
    and reasons naming the organisation's regions (``renamer``), not the export's codes."""
    named = renamer or Renamer({})
    stores = {store.code: store for store in data_set.stores.all()}
    ids = {row["employee_id"] for row in result["employees"]}
    people = {p.employee_id: p for p in Person.objects.filter(employee_id__in=ids)}
    EmployeeRisk.objects.bulk_create(
        (
            EmployeeRisk(
                employee_id=row["employee_id"],
                person=people.get(row["employee_id"]),
                role=row["role"],
                **_ranked(run, stores, row, named),
            )
            for row in result["employees"]
            if row["store_id"] in stores
        ),
        batch_size=BATCH,
    )
    StoreRisk.objects.bulk_create(
        StoreRisk(**_ranked(run, stores, row, named)) for row in result["stores"]
    )


def _ranked(
    run: Scan, stores: dict[str, Any], row: dict[str, Any], named: Renamer
) -> dict[str, Any]:
    """What an employee's and a store's place in the ranking both say."""
    return {
        "scan": run,
        "store": stores[row["store_id"]],
        "rank": row["rank"],
        "risk_score": row["risk_score"],
        "exception_counts": row["exception_counts"],
        "reasons": named.all(row["reasons"]),
        "peer_group": named(row["peer_group"]),
        "transactions": row["transactions"],
    }
