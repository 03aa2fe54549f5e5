"""Reading and checking an incident extract (``shared/contracts/intel-link.md``).

An extract is a folder of CSV (UTF-8, header row) or Parquet tables: ``incidents``,
``subjects``, ``vehicles`` and optionally ``stores``. Everything is checked before anything
is linked, so a bad extract stops with the file, the row (1 = the first data row) and the
column, and nothing is written.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

Row = dict[str, str]

INCIDENT_KINDS = frozenset({"shoplifting", "orc", "robbery", "return_fraud", "burglary", "other"})

REQUIRED: dict[str, tuple[str, ...]] = {
    "stores": ("store_id",),
    "incidents": ("incident_id", "store_id", "occurred_at", "kind", "loss"),
    "subjects": ("subject_record_id", "incident_id"),
    "vehicles": ("vehicle_record_id", "incident_id"),
}
OPTIONAL: dict[str, tuple[str, ...]] = {
    "stores": ("name", "region", "timezone"),
    "incidents": ("items", "method", "narrative"),
    "subjects": (
        "first_name",
        "last_name",
        "aliases",
        "date_of_birth",
        "height_cm",
        "build",
        "hair",
        "marks",
    ),
    "vehicles": ("plate", "plate_region", "make", "model", "colour"),
}
RECORD_ID = {
    "stores": "store_id",
    "incidents": "incident_id",
    "subjects": "subject_record_id",
    "vehicles": "vehicle_record_id",
}

# A column named for a protected class is refused, whatever it holds: the engine must never
# be able to weigh one. Matched on the name's words, case-insensitively ("Race", "race_code",
# "subject ethnicity", "religiousAffiliation").
PROTECTED_WORDS = (
    "race",
    "racial",
    "ethnic",
    "ethnicity",
    "religion",
    "religious",
    "faith",
    "sexual",
    "orientation",
    "sexuality",
    "gender",
    "sex",
    "nationality",
    "national_origin",
    "citizenship",
    "immigration",
    "disability",
    "disabled",
    "caste",
    "tribe",
    "skin",
    "complexion",
    "pregnancy",
    "pregnant",
    "marital",
    "veteran",
)
_WORD_SPLIT = re.compile(r"[^a-z]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")


class ContractError(Exception):
    """An extract that does not fit the contract: which file, row and column, and why."""

    def __init__(
        self, file: str, problem: str, *, row: int | None = None, column: str | None = None
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.problem = problem
        where = [file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(", ".join(where) + ": " + problem)


@dataclass
class Extract:
    """The checked tables of one extract, cells as strings ('' for blank)."""

    folder: Path
    stores: list[Row] = field(default_factory=list)
    incidents: list[Row] = field(default_factory=list)
    subjects: list[Row] = field(default_factory=list)
    vehicles: list[Row] = field(default_factory=list)

    def incident(self, incident_id: str) -> Row:
        return self._incidents_by_id()[incident_id]

    def _incidents_by_id(self) -> dict[str, Row]:
        cached: dict[str, Row] | None = getattr(self, "_by_id", None)
        if cached is None:
            cached = {row["incident_id"]: row for row in self.incidents}
            self._by_id = cached
        return cached


def read_extract(folder: Path) -> Extract:
    """Read and check every table of the extract in ``folder``; raise :class:`ContractError`."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ContractError(str(folder), "is not a folder holding an extract")
    extract = Extract(folder=folder)
    for table in ("stores", "incidents", "subjects", "vehicles"):
        path = _table_path(folder, table)
        if path is None:
            if table == "stores":
                continue
            raise ContractError(str(folder / f"{table}.csv"), f"the {table} table is missing")
        rows = _read_table(path, table)
        setattr(extract, table, rows)
    _check_references(extract)
    return extract


def protected_column(name: str) -> bool:
    """Whether a column's name says it holds a protected class."""
    spaced = _CAMEL.sub("_", name).lower()
    words = [word for word in _WORD_SPLIT.split(spaced) if word]
    joined = "_".join(words)
    return any(word in PROTECTED_WORDS for word in words) or any(
        "_" in term and term in joined for term in PROTECTED_WORDS
    )


def parse_timestamp(text: str) -> datetime | None:
    """An ISO 8601 timestamp with a UTC offset, or None when it is not one."""
    text = text.strip()
    if not _OFFSET.search(text):
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _table_path(folder: Path, table: str) -> Path | None:
    for suffix in (".csv", ".parquet"):
        path = folder / f"{table}{suffix}"
        if path.is_file():
            return path
    return None


def _read_table(path: Path, table: str) -> list[Row]:
    columns, rows = _read_parquet(path) if path.suffix == ".parquet" else _read_csv(path)
    label = path.name
    for column in columns:
        if protected_column(column):
            raise ContractError(
                label,
                "a column about a protected class is not accepted: remove it from the extract",
                column=column,
            )
    for column in REQUIRED[table]:
        if column not in columns:
            raise ContractError(label, "required column is missing", column=column)
    known = REQUIRED[table] + OPTIONAL[table]
    cleaned = [{name: (row.get(name) or "").strip() for name in known} for row in rows]
    _check_rows(label, table, cleaned)
    return cleaned


def _read_csv(path: Path) -> tuple[list[str], list[Row]]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            columns = [name.strip() for name in reader.fieldnames or []]
            reader.fieldnames = columns
            rows = [dict(row) for row in reader]
    except UnicodeDecodeError as error:
        raise ContractError(path.name, f"is not UTF-8 text ({error.reason})") from error
    except csv.Error as error:
        raise ContractError(path.name, f"cannot be read as CSV: {error}") from error
    for number, row in enumerate(rows, start=1):
        if None in row:
            raise ContractError(path.name, "has more cells than the header", row=number)
    return columns, rows


def _read_parquet(path: Path) -> tuple[list[str], list[Row]]:
    import pyarrow.parquet as pq  # only Parquet extracts need it

    try:
        table = pq.read_table(path)
    except Exception as error:  # pyarrow raises several unrelated types for a bad file
        raise ContractError(path.name, f"cannot be read as Parquet: {error}") from error
    rows = [
        {name: "" if value is None else _cell(value) for name, value in record.items()}
        for record in table.to_pylist()
    ]
    return list(table.column_names), rows


def _cell(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_rows(label: str, table: str, rows: list[Row]) -> None:
    id_column = RECORD_ID[table]
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        for column in REQUIRED[table]:
            if not row[column]:
                raise ContractError(label, "a required value is blank", row=number, column=column)
        record_id = row[id_column]
        if record_id in seen:
            raise ContractError(
                label,
                f"duplicate id {record_id!r} (first at row {seen[record_id]})",
                row=number,
                column=id_column,
            )
        seen[record_id] = number
        _check_values(label, table, row, number)


def _check_values(label: str, table: str, row: Row, number: int) -> None:
    if table == "incidents":
        if parse_timestamp(row["occurred_at"]) is None:
            raise ContractError(
                label,
                f"{row['occurred_at']!r} is not an ISO 8601 timestamp with a UTC offset "
                "(e.g. 2026-07-03T10:12:00-05:00)",
                row=number,
                column="occurred_at",
            )
        if row["kind"] not in INCIDENT_KINDS:
            allowed = ", ".join(sorted(INCIDENT_KINDS))
            raise ContractError(
                label, f"kind {row['kind']!r} is not one of {allowed}", row=number, column="kind"
            )
        try:
            Decimal(row["loss"])
        except InvalidOperation:
            raise ContractError(
                label, f"{row['loss']!r} is not a decimal amount", row=number, column="loss"
            ) from None
    if table == "subjects":
        if row["date_of_birth"] and parse_date(row["date_of_birth"]) is None:
            raise ContractError(
                label,
                f"{row['date_of_birth']!r} is not a date (YYYY-MM-DD)",
                row=number,
                column="date_of_birth",
            )
        if row["height_cm"] and not row["height_cm"].isdigit():
            raise ContractError(
                label,
                f"{row['height_cm']!r} is not a whole number of centimetres",
                row=number,
                column="height_cm",
            )


def _check_references(extract: Extract) -> None:
    incidents = {row["incident_id"] for row in extract.incidents}
    stores = {row["store_id"] for row in extract.stores}
    if stores:
        for number, row in enumerate(extract.incidents, start=1):
            if row["store_id"] not in stores:
                raise ContractError(
                    _label(extract, "incidents"),
                    f"store {row['store_id']!r} is not in the stores table",
                    row=number,
                    column="store_id",
                )
    for table in ("subjects", "vehicles"):
        for number, row in enumerate(getattr(extract, table), start=1):
            if row["incident_id"] not in incidents:
                raise ContractError(
                    _label(extract, table),
                    f"incident {row['incident_id']!r} is not in the incidents table",
                    row=number,
                    column="incident_id",
                )


def _label(extract: Extract, table: str) -> str:
    path = _table_path(extract.folder, table)
    return path.name if path is not None else f"{table}.csv"
