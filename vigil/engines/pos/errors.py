"""Errors that tell the user where their data is wrong: file, row (or XML element), column,
and what was expected. The command line prints one and exits with status 2.

Also the two small helpers every reader needs to say so: :func:`shown`, a cell as it may
appear in a message (a 10 MB cell is named, never echoed), and :func:`csv_cells`, which finds
the column of a CSV record that a reader gave up on without saying which cell it was in.
"""

from __future__ import annotations

import re
from functools import cache

# A message quotes at most this much of a cell: enough to recognise it, short enough to be
# one line on a terminal.
SHOWN_CHARACTERS = 40


class ContractError(Exception):
    """Input that does not fit the data contract (or a converter's source format)."""

    def __init__(
        self,
        file: str,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
        element: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.element = element
        self.problem = problem
        super().__init__(self.where() + ": " + problem)

    def where(self) -> str:
        parts = [self.file if self.file.isprintable() else repr(self.file)]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.element is not None:
            parts.append(f"element {self.element}")
        if self.column is not None:
            parts.append(f"column {shown(self.column)}")
        return ", ".join(parts)


def shown(value: str) -> str:
    """``value`` quoted for a message: escaped (a NUL or a line break stays visible and the
    message stays one line) and cut after a few dozen characters, saying how long it was."""
    if len(value) <= SHOWN_CHARACTERS:
        return repr(value)
    return f"{value[:SHOWN_CHARACTERS]!r}… ({len(value):,} characters)"


def csv_cells(record: str, delimiter: str = ",", quotechar: str = '"') -> list[tuple[int, int]]:
    """Where each cell of one CSV record starts and ends in the record's text.

    For naming the column when a CSV reader stops inside a record without saying where
    (Python's field size limit, a carriage return inside an unquoted cell). The record may be
    unfinished: a quoted cell that is never closed runs to the end of the text.
    """
    cell = _cell_pattern(delimiter, quotechar)
    spans: list[tuple[int, int]] = []
    start = 0
    while True:
        found = cell.match(record, start)  # always matches, if only the empty cell
        end = found.end() if found else start
        spans.append((start, end))
        if end >= len(record) or record[end] != delimiter:
            return spans
        start = end + 1


@cache
def _cell_pattern(delimiter: str, quotechar: str) -> re.Pattern[str]:
    """A quoted cell (doubled quotes inside; anything after the closing quote up to the
    delimiter still belongs to it, as Python's csv reads it), or an unquoted one."""
    d, q = re.escape(delimiter), re.escape(quotechar)
    return re.compile(rf"(?:{q}[^{q}]*(?:{q}{q}[^{q}]*)*{q}?)?[^{d}\r\n]*")


def cell_at(spans: list[tuple[int, int]], offset: int) -> int:
    """The index of the cell that holds the character at ``offset``."""
    for index, (_, end) in enumerate(spans):
        if offset <= end:
            return index
    return len(spans) - 1
