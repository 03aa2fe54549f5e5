"""End-to-end integrity: every stored file re-hashed, every custody chain walked.

``vigil evidence verify`` runs :func:`verify` and exits non-zero naming each item that fails;
a person can also verify one item from its page, which is logged in its custody chain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from vigil.evidence.custody import verify_item
from vigil.evidence.models import EvidenceItem
from vigil.evidence.storage import EvidenceMissing, EvidenceStore, store_from_settings

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Failure:
    """One item that does not hold up, and why, in words for the report."""

    number: str
    problem: str

    def __str__(self) -> str:
        return f"{self.number}: {self.problem}"


@dataclass
class Report:
    checked: int = 0
    bytes_checked: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def items_of_case(case_ref: str | None) -> QuerySet[EvidenceItem]:
    """Every item (deleted ones too: their bytes and history must still hold), or a case's."""
    items = EvidenceItem.objects.all()
    if case_ref:
        by_number = Q(case__number__iexact=case_ref) | Q(
            incident__case_links__case__number__iexact=case_ref
        )
        if case_ref.isdigit():
            by_number |= Q(case_id=int(case_ref)) | Q(incident__case_links__case_id=int(case_ref))
        items = items.filter(by_number).distinct()
    return items.order_by("pk")


def verify(
    items: Iterable[EvidenceItem],
    total: int,
    store: EvidenceStore | None = None,
    progress: Progress | None = None,
) -> Report:
    """Re-hash each item's bytes and check its custody chain; collect every failure."""
    store = store or store_from_settings()
    report = Report()
    for item in items:
        report.failures.extend(check_item(item, store))
        report.checked += 1
        report.bytes_checked += item.size
        if progress is not None:
            progress(report.checked, total)
    return report


@dataclass(frozen=True)
class ItemCheck:
    """One item re-checked: the SHA-256 its stored bytes have now (None: file gone)."""

    found_sha256: str | None
    failures: list[Failure]


def check_item(item: EvidenceItem, store: EvidenceStore) -> list[Failure]:
    return examine(item, store).failures


def examine(item: EvidenceItem, store: EvidenceStore) -> ItemCheck:
    """Re-hash the stored bytes once and walk the custody chain."""
    failures = []
    found: str | None
    try:
        found = store.rehash(item.sha256)
    except EvidenceMissing:
        found = None
        failures.append(Failure(item.number, "the stored file is missing"))
    else:
        if found != item.sha256:
            failures.append(
                Failure(
                    item.number,
                    f"the stored file changed: SHA-256 is {found}, recorded {item.sha256}",
                )
            )
    problem = verify_item(item)
    if problem is not None:
        failures.append(Failure(item.number, f"custody log{_after_number(str(problem), item)}"))
    return ItemCheck(found, failures)


def verify_now(user: Any, item: EvidenceItem) -> ItemCheck:
    """A person checks one item from its page or the API; the check is a custody event."""
    from vigil.core.roles import Capability, require
    from vigil.evidence.custody import mark_verified

    require(user, Capability.RECORD)
    result = examine(item, store_from_settings())
    mark_verified(item, result.found_sha256 or "")
    return result


def _after_number(text: str, item: EvidenceItem) -> str:
    return text.removeprefix(item.number)
