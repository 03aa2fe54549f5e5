"""The filters of the lead report, read once for the page, its exports, saved views and the API.

By default the report shows the leads still raised, across every data set, so a lead raised
by two overlapping exports is one row, once. ``raised=gone`` shows those the rules no longer
raise, ``raised=all`` both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from vigil.pos.models import PosException, ReviewStatus, Scan

# The default order, and the report's sort words from before its columns sorted (kept for
# old bookmarks; the table's ``?sort=<column>`` overrides them). Each is one of the lead
# indexes read forwards or backwards.
SORTS = {
    "severity": ["-severity", "business_date", "pk"],
    "date": ["-business_date", "-at_text", "-pk"],
    "amount": ["-amount", "-pk"],
    "employee": ["employee_id", "pk"],
    "rule": ["rule_title", "pk"],
}
RAISED = {"": "Still raised", "gone": "No longer raised", "all": "Raised or not"}
# The query keys a saved view keeps; anything else in a URL is not a filter.
KEYS = (
    "data_set", "rule", "employee", "status", "reason", "since", "until", "min_severity",
    "raised", "sort",
)  # fmt: skip


@dataclass(frozen=True)
class LeadFilters:
    data_set: int | None = None
    rule: str = ""
    employee: str = ""
    status: str = ""
    reason: int | None = None
    since: date | None = None
    until: date | None = None
    min_severity: float | None = None
    raised: str = ""
    sort: str = "severity"

    @classmethod
    def read(cls, values: Mapping[str, Any]) -> LeadFilters:
        """From a query string; a value that does not parse is left out, not an error,
        because a bookmarked or hand-edited URL should still show the report."""
        get = {key: str(values.get(key) or "").strip() for key in (*KEYS, "scan")}
        data_set = _number(get["data_set"])
        if data_set is None and (scan := _number(get["scan"])) is not None:
            data_set = Scan.objects.filter(pk=scan).values_list("data_set_id", flat=True).first()
        return cls(
            data_set=data_set,
            rule=get["rule"],
            employee=get["employee"],
            status=get["status"] if get["status"] in ReviewStatus.values else "",
            reason=_number(get["reason"]),
            since=_day(get["since"]),
            until=_day(get["until"]),
            min_severity=_fraction(get["min_severity"]),
            raised=get["raised"] if get["raised"] in RAISED else "",
            sort=get["sort"] if get["sort"] in SORTS else "severity",
        )

    def apply(self, found: QuerySet[PosException]) -> QuerySet[PosException]:
        if self.raised == "":
            found = found.filter(no_longer_raised_at__isnull=True)
        elif self.raised == "gone":
            found = found.filter(no_longer_raised_at__isnull=False)
        conditions: dict[str, Any] = {
            "data_set_id": self.data_set,
            "rule": self.rule or None,
            "employee_id__iexact": self.employee or None,
            "status": self.status or None,
            "reason_id": self.reason,
            "business_date__gte": self.since,
            "business_date__lte": self.until,
            "severity__gte": self.min_severity,
        }
        found = found.filter(**{k: v for k, v in conditions.items() if v is not None})
        return found.order_by(*SORTS[self.sort])

    def as_query(self) -> dict[str, str]:
        """The filters that are set, as query-string values (for links and saved views)."""
        values = {
            "data_set": self.data_set,
            "rule": self.rule,
            "employee": self.employee,
            "status": self.status,
            "reason": self.reason,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
            "min_severity": "" if self.min_severity is None else f"{self.min_severity:g}",
            "raised": self.raised,
            "sort": "" if self.sort == "severity" else self.sort,
        }
        return {key: str(value) for key, value in values.items() if value not in (None, "")}


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _fraction(text: str) -> float | None:
    try:
        value = float(text) if text else None
    except ValueError:
        return None
    return value if value is not None and 0 < value <= 1 else None
