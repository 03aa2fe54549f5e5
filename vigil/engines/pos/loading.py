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
import itertools
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO, TextIO

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
from vigil.engines.pos.errors import ContractError, cell_at, csv_cells, shown

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
# Names the loader gives its own helper columns; a CSV header may not use them.
RESERVED = frozenset({SENTINEL, "__problem", "__too_long", "__too_short"})
# A header row longer than this is not a header: refused before it is read into memory.
MAX_HEADER_BYTES = 1_000_000
# DuckDB's longest CSV line (its default max_line_size). A line over it is refused, naming
# its longest cell; to find that cell the line is read once more, up to this size.
MAX_LINE_BYTES = 2_000_000
LOCATE_LINE_BYTES = 256 * 1024 * 1024
NUL_PROBLEM = "holds a NUL character (\\x00), which no text holds (is the file UTF-16, or binary?)"
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
    # DuckDB reads a CSV in parallel, except one with a quoted line break in a cell: the
    # parallel reader cannot pad short rows there, so such a file is read again in one pass.
    parallel: bool = True

    @property
    def label(self) -> str:
        return self.path.name + ("/" if self.kind == "parquet-folder" else "")

    def reader_sql(self, options: str = "") -> str:
        """The DuckDB table function that reads this table; ``options`` are more of its
        named arguments (", name=value, ...") for the CSV reader."""
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
            if not self.parallel:
                options = f", parallel=false{options}"
            return (
                f"read_csv('{quoted}', header=true, auto_detect=false, columns={{{columns}}}, "
                "delim=',', quote='\"', escape='\"', strict_mode=true, null_padding=true, "
                f"nullstr='{NULL_MARK}'{options})"
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
    names = [name.strip() for name in _header_record(path)]
    if not names or not any(names):
        raise ContractError(path.name, "has no header row (the first line names the columns)")
    seen: set[str] = set()
    for number, name in enumerate(names, start=1):
        if not name:
            raise ContractError(path.name, "the header row has an empty column name")
        if "\x00" in name:
            raise ContractError(path.name, f"the header row's column {number} {NUL_PROBLEM}")
        if "\n" in name or "\r" in name:
            # DuckDB would take the header to end at that line break and misread every row.
            raise ContractError(
                path.name, f"the header row's column {number} has a line break in its name"
            )
        if name in RESERVED:
            raise ContractError(
                path.name, "the header row uses a name Vigil keeps for itself", column=name
            )
        if name in seen:
            raise ContractError(path.name, "the header row names this column twice", column=name)
        seen.add(name)
    return names


def _header_record(path: Path) -> list[str]:
    """The first record of a CSV file. Only its own lines are decoded, so a bad byte further
    down is left for the reader to name by row and column."""
    try:
        with path.open("rb") as raw:
            return next(csv.reader(_header_lines(raw, path.name)), [])
    except UnicodeDecodeError:
        raise ContractError(path.name, "the header row is not UTF-8 text") from None
    except csv.Error as error:
        limit = csv.field_size_limit()
        problem = (
            f"the header row has a column name longer than {limit:,} characters"
            if "field larger than field limit" in str(error)
            else f"the header row cannot be read as CSV: {error}"
        )
        raise ContractError(path.name, problem) from None
    except OSError as error:
        raise ContractError(path.name, f"cannot be read: {error.strerror or error}") from None


def _header_lines(raw: BinaryIO, label: str) -> Iterator[str]:
    for number, line in enumerate(iter(lambda: raw.readline(MAX_HEADER_BYTES + 1), b"")):
        if len(line) > MAX_HEADER_BYTES:
            raise ContractError(
                label, f"the header row is longer than {MAX_HEADER_BYTES:,} bytes; is it one?"
            )
        text = line.decode("utf-8")
        yield text.removeprefix("\ufeff") if number == 0 else text


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
    for name, listed in list(data.tables.items()):
        if progress:
            progress(f"reading and checking {listed.label}")
        source, columns, data.rows[name] = _read_table(connection, listed)
        data.tables[name] = source
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


def _read_table(
    connection: duckdb.DuckDBPyConnection, source: Source
) -> tuple[Source, list[str], int]:
    """Read one table (in one pass when its cells hold quoted line breaks, see
    :attr:`Source.parallel`); the source as read, its columns and its number of rows."""
    columns = _raw_view(connection, source)
    try:
        return source, columns, _typed_table(connection, source, columns)
    except duckdb.Error as error:
        if not (source.kind == "csv" and source.parallel and _QUOTED_NEWLINES in str(error)):
            raise read_error(connection, source, error) from None
    return _read_table(connection, replace(source, parallel=False))


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
        raise read_error(connection, source, error) from None
    columns = [name for name in columns if name != SENTINEL]
    present = set(columns)
    for name in source.table.required_columns:
        if name not in present:
            raise ContractError(
                source.label,
                "the required column is missing "
                f"(columns found: {', '.join(_printed(name) for name in columns)})",
                column=name,
            )
    known = [c.name for c in source.table.columns] + list(EXTENSIONS.get(source.table.name, ()))
    extras = [name for name in columns if name not in known and not name.startswith("__")]
    selected = ", ".join(
        f"CAST({_ident(name)} AS VARCHAR) AS {_ident(name)}"
        if name in present
        else f"NULL::VARCHAR AS {_ident(name)}"
        for name in known + extras
    )
    if source.kind == "csv":
        present_header = [name for name in columns if name != SENTINEL]
        short = " OR ".join(f"{_ident(name)} IS NULL" for name in present_header) or "FALSE"
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
    if column.type == "str":
        # Typed cells refuse a NUL by their pattern; text would keep it, invisibly, and the
        # app's PostgreSQL could not store it.
        checks.append(("nul", f"contains({cell}, chr(0))"))
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
    if code == "nul":
        problem = NUL_PROBLEM
    elif code == "required" or not cell.strip():
        problem = "is empty, but the column is required"
    elif code == "coded":
        allowed = sorted(CODED_VALUES[(source.table.name, name)])
        problem = f"{shown(cell)} is not one of {', '.join(allowed)}"
    else:
        problem = f"{shown(cell)} is not {EXPECTED[column.type]}"
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
        f"NULLIF(trim({_ident(name)}), '') AS {_ident(name)}"
        for name in _extra_columns(connection, table)
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
    connection.execute(
        f"CREATE OR REPLACE TABLE {table.name} AS SELECT {selected}{extra}, "
        f"{problem_sql(table, columns)} AS __problem FROM raw_{table.name}"
    )
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
                f"{shown(str(orphan[1]))} is not a {target_column} in {data.tables[target].label}",
                row=int(orphan[0]),
                column=column,
            )


# --- when DuckDB cannot read a file ----------------------------------------------------------

_CSV_LINE = re.compile(r"CSV Error on Line: (\d+)")
_ACTUAL_SIZE = re.compile(r"Actual Size:\s*(\d+)")
_ERROR_CLASS = re.compile(r"^[A-Za-z ]*Error: ")
_QUOTED_NEWLINES = "does not support null_padding in conjunction with quoted new lines"
_REJECTS = (
    ", ignore_errors=true, store_rejects=true, rejects_table='__vigil_rejects', "
    "rejects_scan='__vigil_reject_scans'"
)
_NOT_UTF8 = "is not UTF-8 text: this cell holds bytes that are not UTF-8 (save the file as UTF-8)"
_BAD_QUOTE = (
    "has a quote that is never closed, or text after a closing quote "
    '(a " inside a quoted value is written "")'
)
# DuckDB's kinds of rejected rows, in words.
_REJECTED = {
    "INVALID ENCODING": _NOT_UTF8,
    "INVALID UNICODE": _NOT_UTF8,
    "UNQUOTED VALUE": _BAD_QUOTE,
    "TOO MANY COLUMNS": "has more fields than the header (a comma inside a value must be quoted)",
    "MISSING COLUMNS": "has fewer fields than the header",
}


def read_error(
    connection: duckdb.DuckDBPyConnection, source: Source, error: duckdb.Error
) -> ContractError:
    """DuckDB's reader error as a contract error: the row, the column and what was wrong.

    DuckDB stops at the first bad row without naming its column, so a CSV is read once more
    keeping DuckDB's rejected rows, which do; what DuckDB cannot even skip (a carriage return
    inside an unquoted value) is found by Python's csv reader instead.
    """
    if source.kind != "csv":
        return ContractError(source.label, f"cannot be read as Parquet: {_reason(error)}")
    located = _rejected(connection, source) or _locate_with_python(source)
    if located is not None:
        return located
    line = _CSV_LINE.search(str(error))
    row = int(line.group(1)) - 1 if line else None  # line 1 is the header
    return ContractError(source.label, f"cannot be read as CSV: {_reason(error)}", row=row)


def _rejected(connection: duckdb.DuckDBPyConnection, source: Source) -> ContractError | None:
    """The first row DuckDB rejects, by row and column, when asked to skip bad rows."""
    reader = replace(source, parallel=False).reader_sql(_REJECTS)
    try:
        # COLUMNS(*) makes it decode every cell; count(*) alone would skip them.
        connection.execute(f"SELECT max(strlen(COLUMNS(*))) FROM {reader}").fetchall()
        first = connection.execute(
            "SELECT line, column_name, error_type, error_message FROM __vigil_rejects "
            "ORDER BY line LIMIT 1"
        ).fetchone()
    except duckdb.Error:
        return None  # it cannot skip this one either
    if first is None:
        return None
    line, column, kind, message = first
    row = int(line) - 1  # line 1 is the header; a quoted line break does not count
    if kind == "LINE SIZE OVER MAXIMUM":
        return _long_line(connection, source, row, str(message))
    problem = _REJECTED.get(str(kind), f"cannot be read as CSV: {_reason(message)}")
    named = None if column is None or column == SENTINEL else str(column)
    return ContractError(source.label, problem, row=row, column=named)


def _long_line(
    connection: duckdb.DuckDBPyConnection, source: Source, row: int, message: str
) -> ContractError:
    """A row longer than DuckDB reads, named with its longest cell, the one to look at."""
    size = _ACTUAL_SIZE.search(message)
    length = int(size.group(1)) if size else None
    problem = f"the row is longer than the {MAX_LINE_BYTES:,} bytes a row may be"
    if length is None or length > LOCATE_LINE_BYTES:
        return ContractError(source.label, problem, row=row)
    longest = _longest_cell(connection, source, row, length)
    if longest is None:
        return ContractError(source.label, f"{problem} ({length:,} bytes)", row=row)
    column, cell = longest
    problem += f": {length:,} bytes, {cell:,} of them in this cell"
    return ContractError(source.label, problem, row=row, column=column)


def _longest_cell(
    connection: duckdb.DuckDBPyConnection, source: Source, row: int, length: int
) -> tuple[str, int] | None:
    """(column, bytes) of the longest cell of ``row``, read with room for the whole line."""
    room = length + 1024
    reader = replace(source, parallel=False).reader_sql(
        f", max_line_size={room}, buffer_size={max(room, 32 * MAX_LINE_BYTES)}"
    )
    names = csv_header(source.path)
    lengths = ", ".join(f"strlen(coalesce({_ident(name)}, ''))" for name in names)
    try:
        found = connection.execute(
            f"SELECT {lengths} FROM {reader} LIMIT 1 OFFSET {int(row) - 1}"
        ).fetchone()
    except duckdb.Error:
        return None
    if found is None:
        return None
    index = max(range(len(names)), key=lambda i: int(found[i]))
    return names[index], int(found[index])


def _locate_with_python(source: Source) -> ContractError | None:
    """Where a CSV breaks that DuckDB cannot skip past: Python's strict csv reader, told that
    only a line feed ends a line, stops at a carriage return inside an unquoted value, an
    unclosed quote or text after a closing quote."""
    names = csv_header(source.path)
    try:
        with source.path.open(encoding="utf-8", errors="replace", newline="\n") as handle:
            return _first_broken_record(handle, source.label, names)
    except OSError:
        return None


def _first_broken_record(handle: TextIO, label: str, names: list[str]) -> ContractError | None:
    record: list[str] = []  # the lines of the record being read

    def lines() -> Iterator[str]:
        for line in handle:
            record.append(line)
            yield line

    reader = csv.reader(lines(), strict=True)
    ending = None  # the header's line ending: DuckDB reads rows that all end the same way
    for row in itertools.count():  # row 0 is the header
        record.clear()
        try:
            if next(reader, None) is None:
                return None
        except csv.Error as error:
            return _broken_record(label, names, row, "".join(record), str(error))
        this = "\r\n" if record and record[-1].endswith("\r\n") else "\n"
        ending = ending or this
        if this != ending and record[-1].endswith("\n"):
            return ContractError(
                label,
                f"ends in {_ENDINGS[this]} where the rows before it end in {_ENDINGS[ending]}; "
                "save the file with one kind of line ending",
                row=row,
            )
    return None


_ENDINGS = {"\n": "LF", "\r\n": "CR LF"}


def _broken_record(
    label: str, names: list[str], row: int, text: str, reason: str
) -> ContractError | None:
    if "field larger than field limit" in reason:
        return None  # a long cell is no problem for DuckDB, so not what stopped it
    if "new-line character" in reason:
        problem = "holds a carriage return (CR) in a value that is not quoted; quote the value"
        lone = re.search(r"\r(?!\n)", text)
        offset = lone.start() if lone else len(text)
    else:
        problem, offset = _BAD_QUOTE, len(text)
    if row == 0:
        return ContractError(label, f"the header row {problem}")
    index = cell_at(csv_cells(text), offset)
    return ContractError(
        label, problem, row=row, column=names[index] if index < len(names) else None
    )


def _reason(error: object) -> str:
    """The line of DuckDB's message that says what is wrong, without its error class."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    useful = [
        line for line in lines if not _CSV_LINE.search(line) and not line.startswith("Original")
    ]
    reason = _ERROR_CLASS.sub("", (useful or lines or [type(error).__name__])[0])
    return reason if len(reason) <= 200 else reason[:200] + "…"


def _printed(name: str) -> str:
    """A column name as the user wrote it, or escaped when it would not print as one line."""
    return name if name.isprintable() else shown(name)


def _ident(name: str) -> str:
    """A column name as a SQL identifier: a header may hold any text, quotes too."""
    return '"' + name.replace('"', '""') + '"'
