"""Editing one cell of a generated data set's CSV, to make the bad input a test is about."""

from __future__ import annotations

from pathlib import Path


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Write ``value`` in ``column`` of data row ``row`` (1 = the first after the header).
    The generated files hold no quoted commas, so a plain split is exact."""
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[row].split(",")
    cells[header.index(column)] = value
    lines[row] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
