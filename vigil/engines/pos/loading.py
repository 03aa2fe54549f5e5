"""Reading a contract data set, checking it, and loading it into DuckDB with typed columns.

A data set is a folder holding each table as ``NAME.csv``, ``NAME.parquet`` or a folder
``NAME/`` of Parquet parts. Every table is first read with all columns as text, so one
checking pass (one query per table) can find the first cell that breaks the contract and
name its file, row and column. Only then is it loaded with its real types: amounts as
DECIMAL(18,2), timestamps as TIMESTAMPTZ (the original text is kept beside them, because the
JSON result must give times with the data's own UTC offset).
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from vigil.engines.pos.contract import (
    BY_NAME,
    CODED_VALUES,
    FALSE_WORDS,
    TABLES,
    TRUE_WORDS,
    Column,
    Table,
)
from vigil.engines.pos.errors import ContractError

logger = logging.getLogger(__name__)

REQUIRED_TABLES = ("stores", "employees", "transactions", "line_items", "tenders")
PATTERNS = {
    "dec": r"-?[0-9]{1,16}(\.[0-9]{1,2})?",
    "int": r"-?[0-9]{1,18}",
}
TS_OFFSET = r"(Z|[+-][0-9]{2}(:?[0-9]{2})?)$"
EXPECTED = {
    "dec": "a decimal amount with at most 2 places, like 52.79 or -12.50",
    "int": "a whole number",
    "date": "a date as YYYY-MM-DD",
    "ts": "an ISO 8601 timestamp with a UTC offset, like 2026-03-14T09:31:05-05:00",
    "bool": "true or false (or 1/0, t/f, yes/no)",
}
# Foreign keys checked on load: (table, column) -> (table, column) it must name.
REFERENCES = (
    ("line_items", "transaction_id", "transactions", "transaction_id"),
    ("tenders", "transaction_id", "transactions", "transaction_id"),
    ("transactions", "store_id", "stores", "store_id"),
    ("inventory_counts", "store_id", "stores", "store_id"),
    ("eas_alarms", "store_id", "stores", "store_id"),
)
Progress = Callable[[str], None]
# Required columns whose cell may still be empty, and when: the contract lets a self-checkout
# transaction have no operator ("the attendant or empty").
BLANK_ALLOWED_WHEN = {
    ("transactions", "employee_id"): "upper(trim(\"register_id\")) LIKE 'SCO%'",
}
SENTINEL = "__vigil_extra_field"
NULL_MARK = "\x1f\x1fnull\x1f\x1f"
# Columns Vigil adds to the contract (allowed: "add fields, never rename or drop"). Absent
# ones load as nulls, so rules can always name them.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "stores": ("opens", "closes"),  # HH:MM local opening and closing time
    "employees": ("customer_id",),  # the employee's own loyalty id
}


@dataclass(frozen=True)
class Source:
    """Where one table of a data set is, and how to read it."""

    table: Table
    path: Path
    kind: str  # csv, parquet, parquet-folder

    @property
    def label(self) -> str:
        return self.path.name + ("/" if self.kind == "parquet-folder" else "")

    def reader_sql(self) -> str:
        quoted = str(self.path).replace("'", "''")
        if self.kind == "csv":
            # No sniffing: the contract fixes the dialect, and a sniffer that guesses wrong
            # on a bad row would report the wrong problem.
            # DuckDB quietly accepts surplus *empty* fields at the end of a row, which hides a
            # value shifted by an unquoted comma. So one sentinel column is read past the header,
            # short rows are padded with NULL, and empty cells stay '' (NULL_MARK is never
            # written by anyone): a row with a non-NULL sentinel is too long, one with a NULL
            # in a real column too short.
            names = [*csv_header(self.path), SENTINEL]
            columns = ", ".join(f"'{_sql_text(name)}': 'VARCHAR'" for name in names)
            return (
                f"read_csv('{quoted}', header=true, auto_detect=false, columns={{{columns}}}, "
                "delim=',', quote='\"', escape='\"', strict_mode=true, null_padding=true, "
                f"nullstr='{NULL_MARK}')"
            )
        pattern = f"{quoted}/*.parquet" if self.kind == "parquet-folder" else quoted
        return f"read_parquet('{pattern}')"


@dataclass
class DataSet:
    """A checked data set, loaded into a DuckDB connection."""

    folder: Path
    connection: duckdb.DuckDBPyConnection
    tables: dict[str, Source] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


def csv_header(path: Path) -> list[str]:
    """The column names on the first line of a CSV file, checked."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
    except UnicodeDecodeError:
        raise ContractError(path.name, "is not UTF-8 text", row=0) from None
    names = [name.strip() for name in header]
    if not names or not any(names):
        raise ContractError(path.name, "has no header row (the first line names the columns)")
    seen: set[str] = set()
    for name in names:
        if not name:
            raise ContractError(path.name, "the header row has an empty column name")
        if name in seen:
            raise ContractError(path.name, "the header row names this column twice", column=name)
        seen.add(name)
    return names


def _sql_text(text: str) -> str:
    return text.replace("'", "''")


def find_sources(folder: Path) -> dict[str, Source]:
    """Each contract table present in ``folder``; a required one missing is an error."""
    if not folder.is_dir():
        raise ContractError(str(folder), "is not a folder (a data set is a folder of tables)")
    found: dict[str, Source] = {}
    for table in TABLES:
        candidates = [
            Source(table, folder / f"{table.name}.csv", "csv"),
            Source(table, folder / f"{table.name}.parquet", "parquet"),
            Source(table, folder / table.name, "parquet-folder"),
        ]
        present = [c for c in candidates if c.path.exists()]
        if len(present) > 1:
            names = " and ".join(c.label for c in present)
            raise ContractError(str(folder), f"table {table.name} is given twice ({names})")
        if present:
            found[table.name] = present[0]
        elif table.name in REQUIRED_TABLES:
            raise ContractError(
                str(folder),
                f"table {table.name} is missing (expected {table.name}.csv, "
                f"{table.name}.parquet or a folder {table.name}/ of Parquet files)",
            )
    return found


def load(folder: Path, progress: Progress | None = None, threads: int | None = None) -> DataSet:
    """Check every table of the data set in ``folder`` and load it into a new DuckDB."""
    connection = duckdb.connect(":memory:")
    connection.execute("SET TimeZone = 'UTC'")
    if threads:
        connection.execute(f"SET threads = {int(threads)}")
    data = DataSet(folder=folder, connection=connection, tables=find_sources(folder))
    for name, source in data.tables.items():
        if progress:
            progress(f"reading and checking {source.label}")
        columns = _raw_view(connection, source)
        data.rows[name] = _typed_table(connection, source, columns)
        check_table(connection, source, columns)
    for name in BY_NAME:
        if name not in data.tables:
            _empty_table(connection, BY_NAME[name])
    if progress:
        progress("checking references between tables")
    check_references(data)
    for name in data.tables:
        # Row numbers and problem codes were only for naming a bad row.
        connection.execute(f"ALTER TABLE {name} DROP COLUMN __problem")
    return data


def _raw_view(connection: duckdb.DuckDBPyConnection, source: Source) -> list[str]:
    """A text-only view ``raw_<table>`` of the file; its column names.

    Row numbers are not computed while reading (a window over the whole file would make the
    read single-threaded and twice as slow): the loaded table's ``rowid`` is the row's place
    in the file, because DuckDB keeps insertion order, and the one row an error names is
    found again in the file only when there is an error.
    """
    try:
        relation = connection.sql(f"SELECT * FROM {source.reader_sql()} LIMIT 0")
        columns = list(relation.columns)
    except duckdb.Error as error:
        raise ContractError(source.label, f"cannot be read: {_first_line(error)}") from None
    columns = [name for name in columns if name != SENTINEL]
    present = set(columns)
    for name in source.table.required_columns:
        if name not in present:
            raise ContractError(
                source.label,
                f"the required column is missing (columns found: {', '.join(columns)})",
                column=name,
            )
    known = [c.name for c in source.table.columns] + list(EXTENSIONS.get(source.table.name, ()))
    extras = [name for name in columns if name not in known and not name.startswith("__")]
    selected = ", ".join(
        f'CAST("{name}" AS VARCHAR) AS "{name}"'
        if name in present
        else f'NULL::VARCHAR AS "{name}"'
        for name in known + extras
    )
    if source.kind == "csv":
        present_header = [name for name in columns if name != SENTINEL]
        short = " OR ".join(f'"{name}" IS NULL' for name in present_header) or "FALSE"
        selected += f", ({SENTINEL} IS NOT NULL) AS __too_long, ({short}) AS __too_short"
    else:
        selected += ", FALSE AS __too_long, FALSE AS __too_short"
    connection.execute(
        f"CREATE OR REPLACE VIEW raw_{source.table.name} AS "
        f"SELECT {selected} FROM {source.reader_sql()}"
    )
    return [c.name for c in source.table.columns]


def _extra_columns(connection: duckdb.DuckDBPyConnection, table: Table) -> list[str]:
    """Columns beyond the contract's (Vigil's extensions and the data's own), kept as text."""
    contract = {c.name for c in table.columns}
    columns = connection.sql(f"SELECT * FROM raw_{table.name} LIMIT 0").columns
    return [name for name in columns if name not in contract and not name.startswith("__")]


def check_table(connection: duckdb.DuckDBPyConnection, source: Source, columns: list[str]) -> None:
    """Find the first row that breaks the contract; raise naming its row and column.

    The problems were worked out while the table was read (``__problem``); this only looks
    for the first one, in memory.
    """
    table = source.table
    first = connection.execute(
        f"SELECT rowid + 1, __problem FROM {table.name} WHERE __problem IS NOT NULL "
        "ORDER BY rowid LIMIT 1"
    ).fetchone()
    if first is not None:
        row, problem = int(first[0]), str(first[1])
        if problem in {"too_long", "too_short"}:
            raise ContractError(
                source.label,
                "has more fields than the header (a comma inside a value must be quoted)"
                if problem == "too_long"
                else "has fewer fields than the header",
                row=row,
            )
        name, code = problem.split("|", 1)
        _raise_cell(connection, source, row, name, code)
    if table.key:
        _check_unique(connection, source)


def problem_sql(table: Table, columns: list[str]) -> str:
    """A CASE that names the first broken cell of a row (or its wrong shape), else NULL."""
    branches = [
        "WHEN __too_long THEN 'too_long'",
        "WHEN __too_short THEN 'too_short'",
        *(
            f"WHEN {condition} THEN '{name}|{code}'"
            for name in columns
            for code, condition in cell_checks(table, table.column(name))
        ),
    ]
    return f"CASE {' '.join(branches)} END"


def cell_checks(table: Table, column: Column) -> list[tuple[str, str]]:
    """(problem code, SQL condition that is true when a cell breaks the contract)."""
    cell = f'"{column.name}"'
    blank = f"({cell} IS NULL OR trim({cell}) = '')"
    checks: list[tuple[str, str]] = []
    if column.required:
        allowed_blank = BLANK_ALLOWED_WHEN.get((table.name, column.name))
        checks.append(
            ("required", f"({blank} AND NOT ({allowed_blank}))" if allowed_blank else blank)
        )
    if column.type in {"dec", "int"}:
        # The pattern alone proves the cast: digits that fit DECIMAL(18,2) / BIGINT.
        checks.append(
            (
                column.type,
                f"(NOT {blank} AND NOT regexp_full_match(trim({cell}), '{PATTERNS[column.type]}'))",
            )
        )
    elif column.type == "date":
        checks.append(
            (
                "date",
                f"(NOT {blank} AND (length(trim({cell})) <> 10 "
                f"OR try_cast(trim({cell}) AS DATE) IS NULL))",
            )
        )
    elif column.type == "ts":
        # A real instant, with a time, ending in a UTC offset (cheaper than one long pattern).
        checks.append(
            (
                "ts",
                f"(NOT {blank} AND (try_cast(trim({cell}) AS TIMESTAMPTZ) IS NULL "
                f"OR substr(trim({cell}), 11, 1) NOT IN ('T', ' ') "
                f"OR NOT regexp_matches(trim({cell}), '{TS_OFFSET}')))",
            )
        )
    elif column.type == "bool":
        words = ", ".join(f"'{w}'" for w in sorted(TRUE_WORDS | FALSE_WORDS))
        checks.append(("bool", f"(NOT {blank} AND lower(trim({cell})) NOT IN ({words}))"))
    allowed = CODED_VALUES.get((table.name, column.name))
    if allowed:
        values = ", ".join(f"'{v}'" for v in sorted(allowed))
        checks.append(("coded", f"(NOT {blank} AND lower(trim({cell})) NOT IN ({values}))"))
    return checks


def _raise_cell(
    connection: duckdb.DuckDBPyConnection, source: Source, row: int, name: str, code: str
) -> None:
    value = connection.execute(
        f'SELECT "{name}" FROM (SELECT row_number() OVER () AS __row, "{name}" '
        f"FROM raw_{source.table.name}) WHERE __row = ?",
        [row],
    ).fetchone()
    cell = "" if value is None or value[0] is None else str(value[0])
    column = source.table.column(name)
    if code == "required" or not cell.strip():
        problem = "is empty, but the column is required"
    elif code == "coded":
        allowed = sorted(CODED_VALUES[(source.table.name, name)])
        problem = f"{cell!r} is not one of {', '.join(allowed)}"
    else:
        problem = f"{cell!r} is not {EXPECTED[column.type]}"
    raise ContractError(source.label, problem, row=row, column=name)


def _check_unique(connection: duckdb.DuckDBPyConnection, source: Source) -> None:
    """No id twice. A hash aggregate finds a duplicated key; only then is its second row
    looked up, so the usual case costs one parallel pass."""
    key = ", ".join(f'"{k}"' for k in source.table.key)
    duplicate = connection.execute(
        f"SELECT {key} FROM {source.table.name} GROUP BY {key} HAVING count(*) > 1 LIMIT 1"
    ).fetchone()
    if duplicate is None:
        return
    match = " AND ".join(f'"{k}" = ?' for k in source.table.key)
    second = connection.execute(
        f"SELECT rowid + 1 FROM {source.table.name} WHERE {match} ORDER BY rowid LIMIT 1 OFFSET 1",
        list(duplicate),
    ).fetchone()
    columns = " + ".join(source.table.key)
    raise ContractError(
        source.label,
        f"duplicate {columns}: the same id appears on an earlier row",
        row=int(second[0]) if second else None,
        column=source.table.key[0],
    )


def _typed_table(connection: duckdb.DuckDBPyConnection, source: Source, columns: list[str]) -> int:
    table = source.table
    selected = ", ".join(_typed_column(column) for column in table.columns)
    extras = ", ".join(
        f'NULLIF(trim("{name}"), \'\') AS "{name}"' for name in _extra_columns(connection, table)
    )
    if extras:
        selected = f"{selected}, {extras}"
    raw_times = ", ".join(
        f'trim("{c.name}") AS "{c.name}_text"' for c in table.columns if c.type == "ts"
    )
    extra = f", {raw_times}" if raw_times else ""
    # One pass over the file: typed values (TRY_CAST, so a bad cell cannot abort the read
    # before it is named), the row number, and the row's first problem.
    selected = selected.replace("CAST(NULLIF", "TRY_CAST(NULLIF")
    try:
        connection.execute(
            f"CREATE OR REPLACE TABLE {table.name} AS SELECT {selected}{extra}, "
            f"{problem_sql(table, columns)} AS __problem FROM raw_{table.name}"
        )
    except duckdb.Error as error:
        raise read_error(source, error) from None
    result = connection.execute(f"SELECT count(*) FROM {table.name}").fetchone()
    return int(result[0]) if result else 0


def _typed_column(column: Column) -> str:
    cell = f"NULLIF(trim(\"{column.name}\"), '')"
    if column.type == "bool":
        trues = ", ".join(f"'{w}'" for w in sorted(TRUE_WORDS))
        truth = f"lower({cell}) IN ({trues})"
        return f'CASE WHEN {cell} IS NULL THEN NULL ELSE {truth} END AS "{column.name}"'
    if column.type == "str":
        value = f"lower({cell})" if column.name in _LOWERED else cell
        return f'{value} AS "{column.name}"'
    return f'CAST({cell} AS {column.sql_type}) AS "{column.name}"'


# Coded columns are compared in lower case by the rules; ids keep their case.
_LOWERED = frozenset(name for _, name in CODED_VALUES)


def _empty_table(connection: duckdb.DuckDBPyConnection, table: Table) -> None:
    columns = ", ".join(f'"{c.name}" {c.sql_type}' for c in table.columns)
    columns += "".join(f', "{name}" VARCHAR' for name in EXTENSIONS.get(table.name, ()))
    raw_times = "".join(f', "{c.name}_text" VARCHAR' for c in table.columns if c.type == "ts")
    connection.execute(f"CREATE OR REPLACE TABLE {table.name} ({columns}{raw_times})")


def check_references(data: DataSet) -> None:
    """Every line and tender names a transaction; every transaction, count and EAS alarm a
    known store."""
    for table, column, target, target_column in REFERENCES:
        if table not in data.tables:
            continue
        orphan = data.connection.execute(
            f'SELECT r.rowid + 1, r."{column}" FROM {table} r '
            f'ANTI JOIN {target} t ON r."{column}" = t."{target_column}" '
            "ORDER BY r.rowid LIMIT 1"
        ).fetchone()
        if orphan is not None:
            raise ContractError(
                data.tables[table].label,
                f"{orphan[1]!r} is not a {target_column} in {data.tables[target].label}",
                row=int(orphan[0]),
                column=column,
            )


_CSV_LINE = re.compile(r"CSV Error on Line: (\d+)")
_CSV_COUNT = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")


def read_error(source: Source, error: Exception) -> ContractError:
    """DuckDB's reader error as a contract error: the row, and what was wrong with it."""
    text = str(error)
    line = _CSV_LINE.search(text)
    count = _CSV_COUNT.search(text)
    if line is None:
        return ContractError(source.label, f"cannot be read: {_first_line(error)}")
    row = int(line.group(1)) - 1  # line 1 is the header
    if count is not None:
        problem = (
            f"has {count.group(2)} fields where the header has {count.group(1)} "
            "(a comma inside a value must be quoted)"
        )
    else:
        problem = f"cannot be read: {_first_line(error)}"
    return ContractError(source.label, problem, row=row)


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
