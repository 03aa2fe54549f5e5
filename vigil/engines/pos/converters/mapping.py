r"""Mapping profiles: any CSV export in, contract tables out, described in YAML or TOML.

A profile says which source column (or constant) fills each contract column, and how to read
it. One CSV row is one line item; rows with the same ``transactions.transaction_id`` form one
transaction, whether or not they are next to each other. Transaction, tender, store and
employee columns are read from the first row of each transaction / store / employee, but
every row's cells are checked: a bad date on an invoice's tenth row is refused, not ignored.

Profile layout (YAML shown; TOML with the same keys works too)::

    name: my_export
    csv: {delimiter: ";", encoding: utf-8-sig}        # defaults: "," and utf-8-sig
    defaults:                                         # apply to every field below
      timezone: Europe/Berlin                         # for timestamps without a UTC offset
      timestamp_format: "%d.%m.%Y %H:%M"              # strptime; ISO 8601 when not given
      date_format: "%d.%m.%Y"
      decimal_separator: ","
      thousands_separator: "."
    tables:
      transactions:
        transaction_id: Receipt                       # a bare string names a source column
        store_id: {value: "0042"}                     # a constant
        register_id: Till
        employee_id: Cashier
        started_at: Time
        kind:
          value: sale
          when:                                       # first match wins
            - {column: Receipt, matches: "^R", value: return}   # regex search on the cell
            - {column: Type, equals: NOSALE, value: no_sale}
        customer_id: {column: Card, replace: {pattern: '\s', with: ""}}
      line_items:
        sku: Article
        quantity: {column: Qty, negate_when: {column: Type, equals: RETURN}}
        unit_price: Price
      tenders:
        tender_type: {column: Pay, map: {BAR: cash, EC: debit}, default: other}

Field keys: ``column`` or ``value`` (or only ``when``); ``when`` (list of ``column`` +
``matches``/``equals`` + ``value``); ``replace`` (regex ``pattern`` → ``with``, on the cell
text); ``default`` (for an empty cell); ``map`` (source code → contract value); ``format`` and
``timezone`` (timestamps and dates); ``decimal_separator`` and ``thousands_separator``
(amounts); ``negate_when`` (a condition under which an amount or quantity is a return: it is
made negative, ``-|x|``, so exports that already sign returns and those that do not both come
out right). Cell text is stripped of surrounding blanks. Columns are parsed as the contract
types them (``dec``, ``int``, ``bool``, ``date``, ``ts``); coded columns (kind, status,
tender_type, role, …) must hold one of the contract's values.

Derived when not mapped: ``line_no`` (1, 2, … within the transaction), ``extended_amount``
(quantity x unit_price, to the cent), ``ended_at`` (= started_at), ``business_date`` (the date
of started_at), ``kind`` (sale), ``status`` (completed), ``subtotal`` (sum of the extended
amounts of lines not voided), ``discount_total`` (sum of line discounts), ``total`` (subtotal
- discount_total + tax), employee ``role`` (cashier), store ``timezone`` (the profile's
time zone). Each transaction gets one tender for its total (``tender_type`` other unless
mapped), except cancelled and no-sale transactions, which took no money.

Errors name the file, the row (the header is row 1) and the source column; a bad profile is
named with the key that is wrong. What is written always loads: an amount beyond
DECIMAL(18,2) (``1e400``), text over 100,000 bytes, a NUL or a byte that is not text in the
file's encoding, a line number given twice in a transaction, a transaction without an
operator off a self-checkout lane, or a time in a zone's local mean time (an offset in
seconds) is refused by the source's row and column, not later in the converted data set.

Rows are read as a stream; what is held in memory grows with the number of transactions,
stores and employees, not with the number of rows.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import functools
import io
import logging
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from vigil.engines.pos.contract import (
    AMOUNT_DIGITS,
    BY_NAME,
    CODED_VALUES,
    FALSE_WORDS,
    LARGEST_WHOLE_NUMBER,
    MAX_TEXT_BYTES,
    TRUE_WORDS,
    fits_amount,
    fits_text,
    fits_timestamp,
    fits_whole_number,
)
from vigil.engines.pos.converters import ConversionReport
from vigil.engines.pos.dataset import TableWriter, write_table
from vigil.engines.pos.errors import ContractError, csv_cells, shown

logger = logging.getLogger(__name__)

PROFILE_DIR = Path(__file__).resolve().parent.parent / "profiles"
PROFILE_SUFFIXES = (".yaml", ".yml", ".toml")
CENT = Decimal("0.01")
ZERO = Decimal("0")

TOP_KEYS = frozenset({"name", "description", "csv", "defaults", "tables"})
CSV_KEYS = frozenset({"delimiter", "encoding", "quotechar"})
DEFAULT_KEYS = frozenset(
    {"timezone", "timestamp_format", "date_format", "decimal_separator", "thousands_separator"}
)
FIELD_KEYS = frozenset(
    {"column", "value", "when", "replace", "default", "map", "negate_when", "format"}
    | {"timezone", "decimal_separator", "thousands_separator"}
)
CONDITION_KEYS = frozenset({"column", "matches", "equals", "value"})

# What a profile may map, per table. The rest is derived: line_items.transaction_id,
# tenders.transaction_id and amount, stores.store_id, employees.employee_id and store_id.
MAPPABLE: dict[str, frozenset[str]] = {
    "transactions": frozenset(column.name for column in BY_NAME["transactions"].columns),
    "line_items": frozenset(column.name for column in BY_NAME["line_items"].columns)
    - {"transaction_id"},
    "tenders": frozenset({"tender_type", "card_token"}),
    "stores": frozenset({"name", "region", "timezone"}),
    "employees": frozenset({"name", "role", "hired_on"}),
}
MUST_MAP = {
    "transactions": ("transaction_id", "store_id", "register_id", "employee_id", "started_at"),
    "line_items": ("sku", "quantity", "unit_price"),
}


# --- fields -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """``column`` + ``matches`` (regex search) or ``equals`` (exact, after stripping)."""

    column: str
    pattern: re.Pattern[str] | None = None
    equals: str | None = None

    def holds(self, row: Mapping[str, str | None]) -> bool:
        cell = (row.get(self.column) or "").strip()
        if self.equals is not None:
            return cell == self.equals
        return self.pattern is not None and self.pattern.search(cell) is not None


@dataclass(frozen=True)
class FieldSpec:
    """How one contract column is filled from a source row."""

    name: str
    type: str
    column: str | None = None
    value: str | None = None
    default: str | None = None
    codes: Mapping[str, str] | None = None
    rewrite: tuple[re.Pattern[str], str] | None = None
    when: tuple[tuple[Condition, str], ...] = ()
    negate_when: Condition | None = None
    format: str | None = None
    zone: datetime.tzinfo = datetime.UTC
    decimal_separator: str = "."
    thousands_separator: str = ""
    allowed: frozenset[str] | None = None

    def source_columns(self) -> set[str]:
        """Every source column this field reads, for checking the header up front."""
        names = {condition.column for condition, _ in self.when}
        if self.column is not None:
            names.add(self.column)
        if self.negate_when is not None:
            names.add(self.negate_when.column)
        return names

    def evaluate(self, row: Mapping[str, str | None], file: str, row_no: int) -> Any:
        """The typed value for ``row``; None for an empty cell."""
        if self.column is None and not self.when and self.negate_when is None:
            try:
                return self._constant  # the same on every row: parsed once
            except ContractError:
                pass  # then named by file and row, below
        return self._evaluate(row, file, row_no)

    @functools.cached_property
    def _constant(self) -> Any:
        return self._evaluate({}, "", 0)

    def _evaluate(self, row: Mapping[str, str | None], file: str, row_no: int) -> Any:
        text = self.text(row)
        if not text:
            return None
        try:
            value = self.parse(text)
        except ValueError as error:
            raise ContractError(
                file, f"{error} (for {self.name})", row=row_no, column=self.column
            ) from None
        if self.negate_when is not None and self.negate_when.holds(row):
            value = _returned(value)
        return value

    def text(self, row: Mapping[str, str | None]) -> str:
        """The cell text after ``when``, ``replace``, ``default`` and ``map``."""
        for condition, value in self.when:
            if condition.holds(row):
                return value
        text = (row.get(self.column) or "") if self.column is not None else (self.value or "")
        text = text.strip()
        if self.rewrite is not None:
            text = self.rewrite[0].sub(self.rewrite[1], text)
        if not text:
            return self.default or ""
        if self.codes is not None:
            return self.codes.get(text, self.default if self.default is not None else text)
        return text

    def parse(self, text: str) -> Any:
        """Text to the contract type; ValueError says what was expected."""
        if self.type == "dec":
            return _decimal(text, self.decimal_separator, self.thousands_separator)
        if self.type == "int":
            return _integer(text)
        if self.type == "bool":
            return _boolean(text)
        if self.type == "ts":
            return _timestamp(text, self.format, self.zone)
        if self.type == "date":
            return _date(text, self.format)
        if self.allowed is not None and text not in self.allowed:
            allowed = ", ".join(sorted(self.allowed))
            raise ValueError(f"expected one of {allowed}, found {shown(text)}")
        if len(text) > MAX_TEXT_BYTES // 4 and not fits_text(text):
            raise ValueError(f"expected at most {MAX_TEXT_BYTES:,} bytes, found {shown(text)}")
        return text


def _returned(value: Decimal | int) -> Decimal | int:
    """``-|value|``, exactly: Decimal's own minus rounds to 28 digits. Zero stays 0, not -0."""
    if isinstance(value, Decimal):
        return value.copy_abs().copy_negate() if value else value.copy_abs()
    return -abs(value)


def _decimal(text: str, decimal_separator: str, thousands_separator: str) -> Decimal:
    cleaned = text.replace(thousands_separator, "") if thousands_separator else text
    if decimal_separator != ".":
        cleaned = cleaned.replace(decimal_separator, ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise ValueError(
            f"expected a decimal number (decimal separator {decimal_separator!r}), "
            f"found {shown(text)}"
        )
    if not fits_amount(value):
        # 1e400 is a number, but not an amount: it would not fit DECIMAL(18,2).
        raise ValueError(
            f"expected an amount of at most {AMOUNT_DIGITS} digits before the decimal point, "
            f"found {shown(text)}"
        )
    return value.copy_abs() if value.is_zero() else value  # "-0" is 0


def _integer(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"expected a whole number, found {shown(text)}") from None
    if not fits_whole_number(value):
        raise ValueError(
            f"expected a whole number of at most {len(str(LARGEST_WHOLE_NUMBER))} digits, "
            f"found {shown(text)}"
        )
    return value


def _boolean(text: str) -> bool:
    word = text.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"expected true/false (or 1/0, t/f, yes/no), found {shown(text)}")


# Cached: the rows of one transaction usually repeat its time, and strptime is the slowest
# step of a row now that every row's cells are checked.
@functools.lru_cache(maxsize=4096)
def _timestamp(text: str, format_: str | None, zone: datetime.tzinfo) -> datetime.datetime:
    expected = f"format {format_!r}" if format_ else "ISO 8601"
    try:
        if format_:
            value = datetime.datetime.strptime(text, format_)
        else:
            value = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"expected a timestamp in {expected}, found {shown(text)}") from None
    value = value if value.tzinfo is not None else value.replace(tzinfo=zone)
    if not fits_timestamp(value):
        raise ValueError(
            f"expected a timestamp in {expected} whose UTC offset is whole minutes, found "
            f"{shown(text)} (in {zone} that is {value.isoformat()}: local mean time, before "
            "the zone kept standard time)"
        )
    return value


@functools.lru_cache(maxsize=4096)
def _date(text: str, format_: str | None) -> datetime.date:
    try:
        if format_:
            return datetime.datetime.strptime(text, format_).date()
        return datetime.datetime.fromisoformat(text).date()
    except ValueError:
        expected = f"format {format_!r}" if format_ else "YYYY-MM-DD"
        raise ValueError(f"expected a date in {expected}, found {shown(text)}") from None


# --- profiles -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """A loaded, checked mapping profile."""

    name: str
    path: Path
    delimiter: str = ","
    encoding: str = "utf-8-sig"
    quotechar: str = '"'
    fields: Mapping[str, Mapping[str, FieldSpec]] = field(default_factory=dict)
    store_timezone: str | None = None

    def table(self, name: str) -> Mapping[str, FieldSpec]:
        return self.fields.get(name, {})

    def source_columns(self) -> set[str]:
        return {
            name
            for specs in self.fields.values()
            for s in specs.values()
            for name in s.source_columns()
        }


def shipped_profile(name: str) -> Path | None:
    """The profile shipped with Vigil under ``name`` (``online-retail-ii`` or
    ``online_retail_ii``), if there is one."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
        return None
    stem = name.lower().replace("-", "_")
    for suffix in PROFILE_SUFFIXES:
        path = PROFILE_DIR / f"{stem}{suffix}"
        if path.is_file():
            return path
    return None


def shipped_profile_names() -> list[str]:
    if not PROFILE_DIR.is_dir():
        return []
    return sorted(path.stem for path in PROFILE_DIR.iterdir() if path.suffix in PROFILE_SUFFIXES)


def load_profile(reference: str | Path, *, timezone: str | None = None) -> Profile:
    """Load a profile from a file path or a shipped name; ``timezone`` overrides the
    profile's ``defaults.timezone``."""
    path = Path(reference)
    if not path.is_file():
        found = shipped_profile(str(reference))
        if found is None:
            known = ", ".join(shipped_profile_names()) or "none"
            raise ContractError(
                str(reference),
                f"no such profile file, and no shipped profile by that name ({known})",
            )
        path = found
    raw = _read_profile_file(path)
    return _build_profile(raw, path, timezone)


def _read_profile_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ContractError(str(path), f"cannot read the profile: {error}") from None
    try:
        data = tomllib.loads(text) if path.suffix == ".toml" else yaml.safe_load(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as error:
        kind = "TOML" if path.suffix == ".toml" else "YAML"
        raise ContractError(str(path), f"not valid {kind}: {error}") from None
    if not isinstance(data, dict):
        raise ContractError(str(path), "a profile is a mapping with a 'tables' section")
    return data


def _section(raw: Any, allowed: frozenset[str], path: Path, where: str) -> dict[str, Any]:
    """A mapping section of the profile, with no keys it does not know (typos fail loudly)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ContractError(str(path), "expected a mapping", element=where)
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ContractError(
            str(path),
            f"unknown key {unknown[0]!r}; expected one of {', '.join(sorted(allowed))}",
            element=where,
        )
    return raw


def _zone(name: str, source: str, where: str | None = None) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ContractError(
            source,
            f"unknown time zone {name!r}; use an IANA name such as Europe/London",
            element=where,
        ) from None


def _build_profile(raw: dict[str, Any], path: Path, timezone: str | None) -> Profile:
    _section(raw, TOP_KEYS, path, "top level")
    csv_options = _section(raw.get("csv"), CSV_KEYS, path, "csv")
    defaults = dict(_section(raw.get("defaults"), DEFAULT_KEYS, path, "defaults"))
    if timezone is not None:
        _zone(timezone, "--timezone")
        defaults["timezone"] = timezone
    tables = _section(raw.get("tables"), frozenset(MAPPABLE), path, "tables")
    fields = {
        table: _table_fields(
            table, _section(specs, MAPPABLE[table], path, f"tables.{table}"), defaults, path
        )
        for table, specs in tables.items()
    }
    for table, columns in MUST_MAP.items():
        for column in columns:
            if column not in fields.get(table, {}):
                raise ContractError(
                    str(path),
                    "must be mapped (the contract requires it)",
                    element=f"tables.{table}.{column}",
                )
    return Profile(
        name=str(raw.get("name") or path.stem),
        path=path,
        delimiter=_one_character(csv_options.get("delimiter", ","), path, "csv.delimiter"),
        encoding=_encoding(csv_options.get("encoding", "utf-8-sig"), path),
        quotechar=_one_character(csv_options.get("quotechar", '"'), path, "csv.quotechar"),
        fields=fields,
        store_timezone=defaults.get("timezone"),
    )


def _one_character(value: Any, path: Path, where: str) -> str:
    if not isinstance(value, str) or len(value) != 1:
        raise ContractError(str(path), f"expected one character, found {value!r}", element=where)
    return value


def _encoding(value: Any, path: Path) -> str:
    try:
        return codecs.lookup(str(value)).name
    except LookupError:
        raise ContractError(
            str(path), f"unknown encoding {value!r}", element="csv.encoding"
        ) from None


def _table_fields(
    table: str, specs: dict[str, Any], defaults: Mapping[str, Any], path: Path
) -> dict[str, FieldSpec]:
    return {column: _field(table, column, raw, defaults, path) for column, raw in specs.items()}


def _scalar(value: Any, path: Path, where: str) -> str:
    """A constant from YAML/TOML as text: YAML reads ``true`` as a bool and ``42`` as an int,
    but the contract's cells are text until parsed as their column's type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float | Decimal | datetime.date):
        return str(value)
    raise ContractError(str(path), f"expected a single value, found {value!r}", element=where)


def _field(table: str, column: str, raw: Any, defaults: Mapping[str, Any], path: Path) -> FieldSpec:
    """One field of the profile, checked against the contract."""
    where = f"tables.{table}.{column}"
    if isinstance(raw, str):
        raw = {"column": raw}
    spec = _section(raw, FIELD_KEYS, path, where)
    if not {"column", "value", "when"} & set(spec):
        raise ContractError(str(path), "give a column, a value or a when list", element=where)
    type_ = BY_NAME[table].column(column).type
    options = {**defaults, **spec}
    allowed = CODED_VALUES.get((table, column))
    result = FieldSpec(
        name=f"{table}.{column}",
        type=type_,
        column=None if "column" not in spec else _scalar(spec["column"], path, where),
        value=None if "value" not in spec else _scalar(spec["value"], path, where),
        default=None if "default" not in spec else _scalar(spec["default"], path, where),
        codes=_codes(spec.get("map"), path, where),
        rewrite=_rewrite(spec.get("replace"), path, where),
        when=tuple(_when(spec.get("when"), path, where)),
        negate_when=None
        if spec.get("negate_when") is None
        else _condition(spec["negate_when"], path, f"{where}.negate_when", with_value=False),
        format=_format(type_, options),
        zone=_zone(str(options["timezone"]), str(path), where)
        if "timezone" in options
        else datetime.UTC,
        decimal_separator=str(options.get("decimal_separator", ".")),
        thousands_separator=str(options.get("thousands_separator", "")),
        allowed=allowed,
    )
    if result.negate_when is not None and type_ not in {"dec", "int"}:
        raise ContractError(
            str(path), "negate_when only applies to amounts and quantities", element=where
        )
    _check_constants(result, path, where)
    return result


def _format(type_: str, options: Mapping[str, Any]) -> str | None:
    if "format" in options:
        return str(options["format"])
    if type_ == "ts":
        return options.get("timestamp_format")
    if type_ == "date":
        return options.get("date_format")
    return None


def _codes(raw: Any, path: Path, where: str) -> dict[str, str] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ContractError(
            str(path), "map: expected source value: contract value pairs", element=where
        )
    return {_scalar(key, path, where): _scalar(value, path, where) for key, value in raw.items()}


def _rewrite(raw: Any, path: Path, where: str) -> tuple[re.Pattern[str], str] | None:
    if raw is None:
        return None
    spec = _section(raw, frozenset({"pattern", "with"}), path, f"{where}.replace")
    return (
        _regex(spec.get("pattern"), path, f"{where}.replace"),
        _scalar(spec.get("with", ""), path, where),
    )


def _regex(raw: Any, path: Path, where: str) -> re.Pattern[str]:
    if not isinstance(raw, str):
        raise ContractError(str(path), "expected a regular expression", element=where)
    try:
        return re.compile(raw)
    except re.error as error:
        raise ContractError(str(path), f"bad regular expression: {error}", element=where) from None


def _when(raw: Any, path: Path, where: str) -> list[tuple[Condition, str]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ContractError(str(path), "when: expected a list of conditions", element=where)
    rules = []
    for number, rule in enumerate(raw, start=1):
        rule_where = f"{where}.when[{number}]"
        condition = _condition(rule, path, rule_where, with_value=True)
        rules.append((condition, _scalar(rule["value"], path, rule_where)))
    return rules


def _condition(raw: Any, path: Path, where: str, *, with_value: bool) -> Condition:
    allowed = CONDITION_KEYS if with_value else CONDITION_KEYS - {"value"}
    spec = _section(raw, allowed, path, where)
    if "column" not in spec or ("matches" in spec) == ("equals" in spec):
        raise ContractError(
            str(path), "a condition needs a column and one of matches / equals", element=where
        )
    if with_value and "value" not in spec:
        raise ContractError(str(path), "a when rule needs the value it gives", element=where)
    return Condition(
        column=_scalar(spec["column"], path, where),
        pattern=_regex(spec["matches"], path, where) if "matches" in spec else None,
        equals=_scalar(spec["equals"], path, where) if "equals" in spec else None,
    )


def _check_constants(spec: FieldSpec, path: Path, where: str) -> None:
    """Constants in the profile must already fit the contract: fail at load, not at row 90,000."""
    constants = [spec.value, spec.default, *(value for _, value in spec.when)]
    constants += list((spec.codes or {}).values())
    for constant in constants:
        if constant:
            try:
                spec.parse(constant)
            except ValueError as error:
                raise ContractError(str(path), str(error), element=where) from None


# --- conversion ---------------------------------------------------------------------------------


@dataclass
class _Open:
    """A transaction being assembled from its rows; where it started, for errors found when
    it is completed."""

    row: dict[str, Any]
    tender: dict[str, Any]
    file: str
    row_no: int
    cells: tuple[str | None, ...]  # the source cells its own columns were read from
    lines: int = 0
    subtotal: Decimal = ZERO
    discount: Decimal = ZERO
    line_numbers: set[int] = field(default_factory=set)


# The tables read from the row that opens a transaction (line_items: from every row).
TRANSACTION_TABLES = ("transactions", "tenders", "stores", "employees")
# Characters Python's csv module lets through that text never holds: NUL, and the stand-ins
# ("surrogateescape") for bytes that are not text in the file's encoding.
NOT_TEXT = re.compile("[\x00\udc80-\udcff]")


class _SourceRows:
    """The records of one CSV export, numbered as a spreadsheet shows them (the header is
    row 1), each checked for what the csv module lets through: bytes that are not text,
    NUL characters, a cell over its size limit, a row narrower or wider than the header."""

    def __init__(self, handle: TextIO, file: str, profile: Profile) -> None:
        self.file = file
        self.profile = profile
        self.record: list[str] = []  # the lines of the record being read, to find a cell in
        self.suspect = False
        self.row_no = 0
        self.header: list[str] = []
        self.reader = csv.reader(
            self._lines(handle), delimiter=profile.delimiter, quotechar=profile.quotechar
        )

    def _lines(self, handle: TextIO) -> Iterator[str]:
        for line in handle:
            self.record.append(line)
            self.suspect = self.suspect or NOT_TEXT.search(line) is not None
            yield line

    def next_record(self) -> list[str] | None:
        """The next record's cells; None at the end of the file."""
        self.record.clear()
        self.suspect = False
        self.row_no += 1
        try:
            cells = next(self.reader)
        except StopIteration:
            return None
        except csv.Error as error:
            raise self._malformed(error) from None
        if self.suspect:
            self._refuse_characters(cells)
        return cells

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        """(row number, cells by header name) for each row after the header."""
        while (cells := self.next_record()) is not None:
            if not cells:
                continue  # a blank line holds no data
            if len(cells) != len(self.header):
                raise self._width_error(cells)
            yield self.row_no, dict(zip(self.header, cells, strict=True))

    def _column(self, index: int) -> str | None:
        return self.header[index] if index < len(self.header) else None

    def _refuse_characters(self, cells: list[str]) -> None:
        for index, cell in enumerate(cells):
            found = NOT_TEXT.search(cell)
            if found is None:
                continue
            if found.group() == "\x00":
                problem = "holds a NUL character (\\x00), which no text holds (UTF-16 or binary?)"
            else:
                byte = ord(found.group()) - 0xDC00
                problem = (
                    f"is not {self.profile.encoding} text: byte 0x{byte:02x} in cell "
                    f"{index + 1} cannot be read (set csv.encoding in {self.profile.path})"
                )
            raise ContractError(self.file, problem, row=self.row_no, column=self._column(index))

    def _malformed(self, error: csv.Error) -> ContractError:
        limit = csv.field_size_limit()
        if "field larger than field limit" not in str(error):
            return ContractError(self.file, f"malformed CSV: {error}", row=self.row_no)
        spans = csv_cells("".join(self.record), self.profile.delimiter, self.profile.quotechar)
        index = next((i for i, (a, b) in enumerate(spans) if b - a > limit), len(spans) - 1)
        return ContractError(
            self.file,
            f"a cell longer than {limit:,} characters, the longest a CSV cell may be",
            row=self.row_no,
            column=self._column(index),
        )

    def _width_error(self, cells: list[str]) -> ContractError:
        problem = f"row has {len(cells)} cells where the header has {len(self.header)}"
        opened = next((i for i, cell in enumerate(cells) if "\n" in cell), None)
        if len(cells) < len(self.header) and opened is not None:
            problem += f" (is the quote that opens cell {opened + 1} never closed?)"
        return ContractError(self.file, problem, row=self.row_no)


class _MappedRun:
    """One conversion: line items streamed, transactions completed at the end."""

    def __init__(self, out_dir: Path, profile: Profile) -> None:
        self.out_dir = out_dir
        self.profile = profile
        self.report = ConversionReport()
        self.lines = TableWriter(out_dir, "line_items")
        self.open: dict[str, _Open] = {}
        self.stores: dict[str, dict[str, Any]] = {}
        self.employees: dict[str, dict[str, Any]] = {}
        self.transaction_cells = sorted(
            {
                name
                for table in TRANSACTION_TABLES
                for spec in profile.table(table).values()
                for name in spec.source_columns()
            }
        )

    def read(self, path: Path) -> None:
        file = str(path)
        try:
            with path.open("rb") as raw:
                # surrogateescape: a byte that is not text is kept, to be named by its row
                # and column, instead of failing somewhere in an 8 KB block of the file.
                handle = io.TextIOWrapper(
                    raw, encoding=self.profile.encoding, errors="surrogateescape", newline=""
                )
                count = self._read_rows(handle, file)
        except OSError as error:
            raise ContractError(file, f"cannot be read: {error.strerror or error}") from None
        self.report.files += 1
        logger.info("read %s rows from %s with profile %s", count, path, self.profile.name)

    def _read_rows(self, handle: TextIO, file: str) -> int:
        rows = _SourceRows(handle, file, self.profile)
        try:
            header = rows.next_record() or []
            self._check_header(header, file)
            rows.header = header
            for row_no, row in rows:
                self._row(row, file, row_no)
        except UnicodeDecodeError:
            # Only where surrogateescape cannot stand in (a byte below 0x80 in UTF-16, say).
            raise ContractError(
                file,
                f"is not {self.profile.encoding} text (set csv.encoding in {self.profile.path})",
                row=rows.row_no,
            ) from None
        return rows.row_no - 2

    def _check_header(self, header: list[str], file: str) -> None:
        for name in sorted(self.profile.source_columns()):
            if name not in header:
                raise ContractError(
                    file,
                    f"the header has no column {shown(name)} (profile {self.profile.name})",
                    row=1,
                    column=name,
                )
            if header.count(name) > 1:
                raise ContractError(
                    file,
                    f"the header names this column twice; profile {self.profile.name} cannot "
                    "tell which one to read",
                    row=1,
                    column=name,
                )

    def _row(self, row: Mapping[str, str | None], file: str, row_no: int) -> None:
        """One line item, and its transaction's cells: every row's are checked, not only those
        of the row that opens the transaction (a bad date on an invoice's tenth row is
        refused), except where they repeat cells already checked."""
        spec = self.profile.table("transactions")["transaction_id"]
        current = self.open.get(spec.evaluate(row, file, row_no))
        cells = tuple(row.get(name) for name in self.transaction_cells)
        if current is None or cells != current.cells:
            values = self._transaction_values(row, file, row_no)
            current = current or self._open(values, cells, file, row_no)
        self._line(self._evaluate("line_items", row, file, row_no), current, file, row_no)

    def _transaction_values(
        self, row: Mapping[str, str | None], file: str, row_no: int
    ) -> dict[str, dict[str, Any]]:
        """The row's transaction, tender, store and employee columns, checked."""
        values = {table: self._evaluate(table, row, file, row_no) for table in TRANSACTION_TABLES}
        transaction = values["transactions"]
        for column in ("transaction_id", "store_id", "register_id", "started_at"):
            self._required("transactions", column, file, row_no, transaction)
        self._operator_or_self_checkout(transaction, file, row_no)
        return values

    def _operator_or_self_checkout(
        self, transaction: Mapping[str, Any], file: str, row_no: int
    ) -> None:
        """The contract lets only a self-checkout lane have no operator (as the loader checks)."""
        lane = str(transaction["register_id"]).strip(" ").upper()
        if not transaction.get("employee_id") and not lane.startswith("SCO"):
            raise ContractError(
                file,
                "empty, but transactions.employee_id is required (only a self-checkout lane, a "
                "register_id starting with SCO, may have no operator)",
                row=row_no,
                column=self._source_column("transactions", "employee_id"),
            )

    def _line(self, line: dict[str, Any], current: _Open, file: str, row_no: int) -> None:
        """One line item: required cells, its extended amount, its number, its totals."""
        quantity = self._required("line_items", "quantity", file, row_no, line)
        unit_price = self._required("line_items", "unit_price", file, row_no, line)
        self._required("line_items", "sku", file, row_no, line)
        if line.get("extended_amount") is None:
            line["extended_amount"] = self._product(quantity, unit_price, file, row_no)
        current.lines += 1
        line["line_no"] = line.get("line_no") or current.lines
        self._number_once(line["line_no"], current, file, row_no)
        line["transaction_id"] = current.row["transaction_id"]
        self.lines.write(line)
        if line.get("line_voided"):
            self.report.voided_lines += 1
            return
        current.subtotal += line["extended_amount"]
        current.discount += line.get("discount_amount") or ZERO
        if not (fits_amount(current.subtotal) and fits_amount(current.discount)):
            raise ContractError(
                file,
                f"the lines of transaction {shown(current.row['transaction_id'])} add up to more "
                f"than an amount can hold ({AMOUNT_DIGITS} digits before the decimal point)",
                row=row_no,
                column=self._source_column("line_items", "quantity"),
            )

    def _product(self, quantity: Decimal, unit_price: Decimal, file: str, row_no: int) -> Decimal:
        """quantity x unit_price to the cent, when it is an amount the contract can hold."""
        extended = quantity * unit_price
        if not fits_amount(extended):
            names = [self._source_column("line_items", c) for c in ("quantity", "unit_price")]
            raise ContractError(
                file,
                f"quantity x unit price ({' x '.join(shown(str(n)) for n in names)}) is more "
                f"than an amount can hold ({AMOUNT_DIGITS} digits before the decimal point)",
                row=row_no,
                column=names[0],
            )
        return extended.quantize(CENT, ROUND_HALF_UP)

    def _number_once(self, line_no: int, current: _Open, file: str, row_no: int) -> None:
        """A line number mapped from the export must not repeat within its transaction."""
        if "line_no" not in self.profile.table("line_items"):
            return  # numbered 1, 2, ... here: never twice
        if line_no in current.line_numbers:
            raise ContractError(
                file,
                f"line {line_no} of transaction {shown(current.row['transaction_id'])} is "
                "given twice (line numbers are unique within a transaction)",
                row=row_no,
                column=self._source_column("line_items", "line_no"),
            )
        current.line_numbers.add(line_no)

    def _source_column(self, table: str, column: str) -> str | None:
        spec = self.profile.table(table).get(column)
        return spec.column if spec is not None else None

    def _evaluate(
        self, table: str, row: Mapping[str, str | None], file: str, row_no: int
    ) -> dict[str, Any]:
        return {
            column: spec.evaluate(row, file, row_no)
            for column, spec in self.profile.table(table).items()
        }

    def _required(
        self, table: str, column: str, file: str, row_no: int, values: Mapping[str, Any]
    ) -> Any:
        """A column the contract requires; an empty cell is an error naming the row."""
        value = values[column]
        if value is None or value == "":
            raise ContractError(
                file,
                f"empty, but {table}.{column} is required",
                row=row_no,
                column=self._source_column(table, column),
            )
        return value

    def _open(
        self,
        values: Mapping[str, dict[str, Any]],
        cells: tuple[str | None, ...],
        file: str,
        row_no: int,
    ) -> _Open:
        """Start a transaction from its first row, and meet its store and employee."""
        row = dict(values["transactions"])
        row["ended_at"] = row.get("ended_at") or row["started_at"]
        row["business_date"] = row.get("business_date") or row["started_at"].date()
        row["kind"] = row.get("kind") or "sale"
        row["status"] = row.get("status") or "completed"
        tender = dict(values["tenders"])
        tender["tender_type"] = tender.get("tender_type") or "other"
        self._meet(row["store_id"], row.get("employee_id"), values)
        current = _Open(row=row, tender=tender, file=file, row_no=row_no, cells=cells)
        self.open[row["transaction_id"]] = current
        return current

    def _meet(
        self, store_id: str, employee_id: str | None, values: Mapping[str, dict[str, Any]]
    ) -> None:
        if store_id not in self.stores:
            store = {"timezone": self.profile.store_timezone, **values["stores"]}
            self.stores[store_id] = {**store, "store_id": store_id}
        if employee_id and employee_id not in self.employees:
            employee = dict(values["employees"])
            employee["role"] = employee.get("role") or "cashier"
            self.employees[employee_id] = {
                **employee,
                "employee_id": employee_id,
                "store_id": store_id,
            }

    def finish(self) -> ConversionReport:
        """Write the transactions, their tenders, stores and employees."""
        self.lines.close()
        self.report.rows["line_items"] = self.lines.rows
        with (
            TableWriter(self.out_dir, "transactions") as transactions,
            TableWriter(self.out_dir, "tenders") as tenders,
        ):
            for current in self.open.values():
                row = self._completed(current)
                transactions.write(row)
                self.report.kinds[row["kind"]] += 1
                self.report.statuses[row["status"]] += 1
                if row["status"] != "cancelled" and row["kind"] != "no_sale":
                    tenders.write(
                        {
                            **current.tender,
                            "transaction_id": row["transaction_id"],
                            "amount": row["total"],
                        }
                    )
            self.report.rows["transactions"] = transactions.rows
            self.report.rows["tenders"] = tenders.rows
        self.report.rows["stores"] = write_table(self.out_dir, "stores", self.stores.values())
        self.report.rows["employees"] = write_table(
            self.out_dir, "employees", self.employees.values()
        )
        return self.report

    def _completed(self, current: _Open) -> dict[str, Any]:
        """The transaction row, with the amounts its lines add up to unless the export gave
        them; named by its first row when its total is more than an amount can hold."""
        row = dict(current.row)
        if row.get("subtotal") is None:
            row["subtotal"] = current.subtotal
        if row.get("discount_total") is None:
            row["discount_total"] = current.discount
        if row.get("total") is None:
            row["total"] = row["subtotal"] - row["discount_total"] + (row.get("tax") or ZERO)
        if not fits_amount(row["total"]):
            raise ContractError(
                current.file,
                f"the total of transaction {shown(row['transaction_id'])} (subtotal - discounts "
                f"+ tax) is more than an amount can hold ({AMOUNT_DIGITS} digits before the "
                "decimal point)",
                row=current.row_no,
                column=self._source_column("transactions", "tax"),
            )
        return row

    def close(self) -> None:
        self.lines.close()


def convert(files: Sequence[Path], out_dir: Path, profile: Profile) -> ConversionReport:
    """Convert CSV ``files`` with ``profile`` into the contract tables in ``out_dir`` (which
    the caller removes if this raises)."""
    run = _MappedRun(out_dir, profile)
    try:
        for path in files:
            run.read(path)
        return run.finish()
    finally:
        run.close()
