"""Exports that are data, not code: every CSV and XLSX cell Vigil writes goes through here.

A spreadsheet takes a cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return for a formula, so a user name typed at the sign-in page (``=HYPERLINK(…)``) or a
description in a POS export would run on the auditor's desk. As OWASP recommends, such a cell
is written with a leading apostrophe, which every spreadsheet shows as text and drops from
view. A plain number (``-12.50``, a refund) is a number, not a formula, and is left as it is.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[-+]?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$")


def safe_cell(value: Any) -> Any:
    """``value`` as a cell no spreadsheet will evaluate (numbers and empty cells unchanged)."""
    if value is None or isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not NUMBER.match(text):
        return "'" + text
    return text


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


class SafeWriter:
    """``csv.writer`` whose every cell goes through :func:`safe_cell`."""

    def __init__(self, buffer: io.StringIO, **options: Any) -> None:
        self._writer = csv.writer(buffer, **options)

    def writerow(self, values: Iterable[Any]) -> None:
        self._writer.writerow(safe_row(values))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter:
    """``csv.DictWriter`` whose every cell goes through :func:`safe_cell`."""

    def __init__(self, buffer: io.StringIO, fieldnames: Sequence[str], **options: Any) -> None:
        self._writer = csv.DictWriter(buffer, fieldnames, **options)

    def writeheader(self) -> None:
        self._writer.writeheader()

    def writerow(self, row: Mapping[str, Any]) -> None:
        self._writer.writerow({key: safe_cell(value) for key, value in row.items()})

    def writerows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            self.writerow(row)
