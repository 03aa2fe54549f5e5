"""The electronic journal of one transaction, read from a data set's Parquet copy.

An investigator opening an exception wants the transaction as the register printed it: its
lines, tenders and totals, and the transactions just before and after on the same register
(a post-void is best understood next to the sale it reversed). It also wants the minutes of
video to pull: from a little before the transaction started to a little after it ended, in
the store's local time as written in the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

NEIGHBOURS = 4
VIDEO_BEFORE = timedelta(minutes=2)
VIDEO_AFTER = timedelta(minutes=2)


@dataclass
class Journal:
    transaction: dict[str, Any]
    lines: list[dict[str, Any]] = field(default_factory=list)
    tenders: list[dict[str, Any]] = field(default_factory=list)
    neighbours: list[dict[str, Any]] = field(default_factory=list)
    video_from: str = ""
    video_to: str = ""


def _rows(
    connection: duckdb.DuckDBPyConnection, sql: str, params: list[Any]
) -> list[dict[str, Any]]:
    cursor = connection.execute(sql, params)
    names = [column[0] for column in cursor.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def read(folder: Path, transaction_id: str) -> Journal | None:
    """The journal of ``transaction_id`` in the data set at ``folder``; None if not there."""
    if not (folder / "transactions.parquet").is_file():
        return None  # the data set's tables are gone (purged, or never converted)
    connection = duckdb.connect()
    try:
        tables = {
            name: str(folder / f"{name}.parquet").replace("'", "''")
            for name in ("transactions", "line_items", "tenders")
        }
        found = _rows(
            connection,
            f"SELECT * FROM read_parquet('{tables['transactions']}') WHERE transaction_id = ?",
            [transaction_id],
        )
        if not found:
            return None
        header = found[0]
        journal = Journal(transaction=header)
        journal.lines = _rows(
            connection,
            f"SELECT * FROM read_parquet('{tables['line_items']}') WHERE transaction_id = ? "
            "ORDER BY line_no",
            [transaction_id],
        )
        journal.tenders = _rows(
            connection,
            f"SELECT * FROM read_parquet('{tables['tenders']}') WHERE transaction_id = ?",
            [transaction_id],
        )
        journal.neighbours = _rows(
            connection,
            f"SELECT transaction_id, started_at, kind, status, employee_id, total "
            f"FROM read_parquet('{tables['transactions']}') "
            "WHERE store_id = ? AND register_id = ? AND business_date = ? "
            "ORDER BY started_at",
            [header["store_id"], header["register_id"], header["business_date"]],
        )
        journal.neighbours = _around(journal.neighbours, transaction_id)
        journal.video_from, journal.video_to = video_window(header)
        return journal
    finally:
        connection.close()


def _around(rows: list[dict[str, Any]], transaction_id: str) -> list[dict[str, Any]]:
    index = next((i for i, row in enumerate(rows) if row["transaction_id"] == transaction_id), 0)
    return rows[max(0, index - NEIGHBOURS) : index + NEIGHBOURS + 1]


def video_window(header: dict[str, Any]) -> tuple[str, str]:
    """From two minutes before the start to two after the end (or the post-void), as the
    data wrote the times (the store's clock and UTC offset)."""
    start = _parse(str(header.get("started_at") or ""))
    ends = [_parse(str(header.get(key) or "")) for key in ("ended_at", "post_voided_at")]
    end = max((moment for moment in ends if moment is not None), default=start)
    if start is None or end is None:
        return "", ""
    return (start - VIDEO_BEFORE).isoformat(), (end + VIDEO_AFTER).isoformat()


def _parse(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def completed_sales(folder: Path, store_id: str, start: datetime, end: datetime) -> int:
    """How many sales were completed (tendered) at ``store_id`` between ``start`` and ``end``:
    an EAS alarm with none just before it is someone leaving without paying."""
    connection = duckdb.connect()
    try:
        connection.execute("SET TimeZone = 'UTC'")
        table = str(folder / "transactions.parquet").replace("'", "''")
        row = connection.execute(
            f"SELECT count(*) FROM read_parquet('{table}') WHERE store_id = ? AND kind = 'sale' "
            "AND status = 'completed' AND CAST(ended_at AS TIMESTAMPTZ) BETWEEN ? AND ?",
            [store_id, start, end],
        ).fetchone()
        return int(row[0]) if row else 0
    finally:
        connection.close()
