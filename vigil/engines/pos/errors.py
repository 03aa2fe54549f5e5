"""Errors that tell the user where their data is wrong: file, row (or XML element), column,
and what was expected. The command line prints one and exits with status 2."""

from __future__ import annotations


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
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.element is not None:
            parts.append(f"element {self.element}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)
