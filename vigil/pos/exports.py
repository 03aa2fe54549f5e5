"""The exception report as CSV or XLSX, with the filters the user chose.

Both stream: CSV line by line, XLSX through openpyxl's write-only workbook into a temporary
file, so a report of a hundred thousand rows never sits in memory as cells. Every export is
written to the audit log with its filters, because an exception report names employees.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from vigil.core.audit import record
from vigil.core.auditlog import drain
from vigil.core.exports import SafeWriter, safe_row
from vigil.core.models import AuditAction
from vigil.pos.models import PosException

COLUMNS = (
    ("store", lambda e: e.store.code),
    ("business_date", lambda e: e.business_date.isoformat()),
    ("at", lambda e: e.at_text),
    ("rule", lambda e: e.rule),
    ("rule_title", lambda e: e.rule_title),
    ("transaction_id", lambda e: e.transaction_id),
    ("register_id", lambda e: e.register_id),
    ("employee_id", lambda e: e.employee_id),
    ("amount", lambda e: "" if e.amount is None else str(e.amount)),
    ("severity", lambda e: f"{e.severity:.3f}"),
    ("detail", lambda e: e.detail),
    ("review", lambda e: e.status),
    ("review_note", lambda e: e.review_note),
)
CHUNK = 2000


def _log(kind: str, filters: dict[str, Any]) -> None:
    record(
        AuditAction.EXPORT,
        object_type="pos.posexception",
        object_repr=f"POS exception report {kind}",
        changes={"filters": {key: str(value) for key, value in filters.items() if value}},
    )


def _rows(exceptions: QuerySet[PosException]) -> Iterator[list[str]]:
    for exception in exceptions.select_related("store").iterator(chunk_size=CHUNK):
        yield [str(value(exception)) for _, value in COLUMNS]


def as_csv(exceptions: QuerySet[PosException], filters: dict[str, Any]) -> Iterator[str]:
    _log("CSV", filters)
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow([name for name, _ in COLUMNS])
    for row in _rows(exceptions):
        writer.writerow(row)
        if buffer.tell() > 64_000:
            yield drain(buffer)
    yield drain(buffer)


def as_xlsx(exceptions: QuerySet[PosException], filters: dict[str, Any]) -> Any:
    """A temporary file holding the workbook, positioned at its start."""
    from openpyxl import Workbook

    _log("XLSX", filters)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Exceptions")
    sheet.append([name for name, _ in COLUMNS])
    for row in _rows(exceptions):
        sheet.append(safe_row(row))
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after sending
    workbook.save(spool)
    spool.seek(0)
    return spool
