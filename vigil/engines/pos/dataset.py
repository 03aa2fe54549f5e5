"""Writing contract data sets: one CSV per table, values formatted as the contract says.

Converters and the generator produce rows as plain dicts of Python values (``str``,
``int``, ``Decimal``, ``bool``, ``date``, aware ``datetime`` or None); this module turns them
into the contract's text: decimals with 2 places, ``true``/``false``, ISO dates, ISO 8601
timestamps with their UTC offset, empty cells for None.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from vigil.engines.pos.contract import BY_NAME, Table

CENT = Decimal("0.01")


def format_value(value: Any, type_: str) -> str:
    """One cell as contract text."""
    if value is None or value == "":
        return ""
    if type_ == "dec":
        return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))
    if type_ == "bool":
        return "true" if value else "false"
    if type_ == "ts":
        if not isinstance(value, datetime.datetime) or value.tzinfo is None:
            raise ValueError(f"timestamp {value!r} has no UTC offset")
        return value.isoformat()
    if type_ == "date":
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
    return str(value)


class TableWriter:
    """Streams rows of one table into ``OUT_DIR/<table>.csv`` (header: every contract column,
    then any extra columns the first row brings)."""

    def __init__(self, out_dir: Path, table: Table | str, extra: Iterable[str] = ()) -> None:
        self.table = BY_NAME[table] if isinstance(table, str) else table
        self.path = Path(out_dir) / f"{self.table.name}.csv"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.path.open("w", encoding="utf-8", newline="")
        self.columns = [column.name for column in self.table.columns] + list(extra)
        self._types = {column.name: column.type for column in self.table.columns}
        self._writer = csv.writer(self._file)
        self._writer.writerow(self.columns)
        self.rows = 0

    def write(self, row: Mapping[str, Any]) -> None:
        self._writer.writerow(
            [format_value(row.get(name), self._types.get(name, "str")) for name in self.columns]
        )
        self.rows += 1

    def write_text(self, cells: list[str]) -> None:
        """A row already in contract text, in :attr:`columns` order (the fast path for a
        writer that holds its values pre-formatted, like the generator)."""
        self._writer.writerow(cells)
        self.rows += 1

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_table(out_dir: Path, table: Table | str, rows: Iterable[Mapping[str, Any]]) -> int:
    """Write all ``rows`` of one table; the number written."""
    with TableWriter(out_dir, table) as writer:
        for row in rows:
            writer.write(row)
        return writer.rows
