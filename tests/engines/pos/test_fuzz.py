"""Fuzzing the POS engine's readers: whatever a file holds, reading it either works or stops
with a :class:`ContractError` that names the file, the row (or XML element) and the column.

Each property starts from a small valid input, changes one thing in it (one cell, one
element's text, a few raw bytes) and reads it again. Besides "no other exception", two things
are checked that a crash-only fuzzer would miss: nothing bad is accepted silently (a date or
a number that does not parse must be refused, on whichever row it is), and what a converter
writes is itself a data set the loader accepts, so a bad value is named in the user's own file
and not later, in a converted one.

The examples are derandomized and bounded, so the module gives the same verdict on every run
and finishes in well under a minute in CI.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TypeVar
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.engines.pos.datasets import tx, write
from vigil.engines.pos import loading
from vigil.engines.pos.contract import BY_NAME, CODED_VALUES
from vigil.engines.pos.converters import convert
from vigil.engines.pos.errors import ContractError

FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# A POSLog example takes milliseconds (most raw-byte ones stop at the first bad byte), so
# those properties afford more of them in the same time.
MORE = settings(FUZZ, max_examples=250)
LONGEST_MESSAGE = 600  # an error is one line a person reads, never a 10 MB cell echoed back
T = TypeVar("T")


# --- values worth trying in a cell --------------------------------------------------------


class Long(str):
    """A long cell that a failing example prints as ``'x' * N``, not as N characters."""

    def __repr__(self) -> str:
        return f"'x' * {len(self):,}"


# What exports really hold when they go wrong, and what number and date parsers trip on.
NASTY_NUMBERS = [
    "1e400",
    "-1e400",
    "1E+400",
    "1e-400",
    "1e999999999",
    "1e5",
    "1E5",
    "-0",
    "-0.00",
    "+0",
    "NaN",
    "nan",
    "-NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "0x10",
    "1_000",
    "\u0661\u0662",  # Arabic-Indic digits: int() and Decimal() read them
    "9" * 17,
    "9" * 40,
    "12,50",
    "1.234,50",
]
NASTY_DATES = [
    "2026-02-30",
    "2026-13-01",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "1800-01-01 10:00:00",
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:59:59-05:00",
    "2026-03-05T10:31:00-06:00:30",
    "2026-03-05T10:31:00+24:00",
    "2026-03-05T10:31:00",
    "2009-12-01 24:00:00",
    "01.01.0001 00:00",
    "31.12.9999 23:59",
]
NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r",
    "a\rb",
    "\n",
    '"',
    '""',
    "\ufeff",
    "\u2028",
    Long("x" * 200_000),  # over Python csv's field limit (131,072)
    Long("x" * 2_100_000),  # over DuckDB's longest line (2,000,000 bytes)
    Long("x" * 10_000_000),  # and over lxml's longest text node
]
NASTY = [*NASTY_TEXT, *NASTY_NUMBERS, *NASTY_DATES]

numbers = st.builds(
    lambda sign, whole, fraction, exponent: f"{sign}{whole}{fraction}{exponent}",
    st.sampled_from(["", "-", "+"]),
    st.text("0123456789", min_size=1, max_size=20),
    st.sampled_from(["", ".", ".5", ".05", ".123"]),
    st.one_of(st.just(""), st.integers(-500, 500).map(lambda e: f"e{e}")),
)
datetimes = st.builds(
    lambda y, mo, d, h, mi, s, offset: f"{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}{offset}",
    st.integers(0, 10_000),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 25),
    st.integers(0, 61),
    st.integers(0, 61),
    st.sampled_from(["", "+01:00", "-05:00", "Z", "+14:30"]),
)
text = st.text(st.characters(codec="utf-8"), max_size=12)


def _iso(value: str) -> str:
    return value.replace(" ", "T", 1)


def _dotted(value: str) -> str:
    """``2026-03-14 10:00:00`` as ``14.03.2026 10:00``, the German till's format."""
    day, time = value.split(" ", 1)
    year, month, date = day.split("-")
    return f"{date}.{month}.{year} {time[:5]}"


cells = st.one_of(st.sampled_from(NASTY), numbers, datetimes, datetimes.map(_iso), text)
number_cells = st.one_of(st.sampled_from(NASTY_NUMBERS), numbers, cells)
text_cells = st.one_of(st.sampled_from(NASTY_TEXT), cells)
date_cells = st.one_of(
    st.sampled_from(NASTY_DATES), datetimes, datetimes.map(_iso), datetimes.map(_dotted), cells
)


def cells_for(kind: str) -> st.SearchStrategy[str]:
    """Values for a cell of this kind ("number", "date", anything else): mostly near-misses
    of what the cell should hold, then anything at all."""
    return {"number": number_cells, "date": date_cells}.get(kind, text_cells)


# --- what every refusal must say ----------------------------------------------------------


def short(error: ContractError) -> str:
    return str(error)[:LONGEST_MESSAGE]


def assert_clear(error: ContractError) -> None:
    """One short line a person can act on, with no Python in it."""
    message = str(error)
    assert "\n" not in message and len(message) < LONGEST_MESSAGE, short(error)
    assert "Error:" not in message and "Traceback" not in message, short(error)


def attempt(run: Callable[[], T]) -> T | ContractError:
    """What ``run`` returns, or the ContractError it stops with; any other exception fails
    the example (that is the property)."""
    try:
        return run()
    except ContractError as error:
        return error


@contextmanager
def folder() -> Iterator[Path]:
    """A fresh folder per example (pytest's tmp_path is one folder for all of them)."""
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def loads(data_set: Path) -> loading.DataSet:
    """A converter's output must pass the loader's checks: the data set it promises."""
    return loading.load(data_set)


# --- (a) the contract CSV loader ------------------------------------------------------------

DATA_SET_TABLES = ("stores", "employees", "transactions", "line_items", "tenders")


def rewrite_cell(path: Path, row: int, column: int, value: str) -> None:
    """Set one cell (1-based data row) through a CSV writer, so the file stays valid CSV."""
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    records[row][column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(records)


def small_data_set(root: Path) -> Path:
    return write(root / "data", tx("T1") + tx("T2", total="12.50") + tx("T3", kind="return"))


def contract_kind(table: str, name: str) -> str:
    column = next((c for c in BY_NAME[table].columns if c.name == name), None)
    if column is None or column.type in {"str", "bool"}:
        return "text"
    return "number" if column.type in {"dec", "int"} else "date"


@FUZZ
@given(
    table=st.sampled_from(DATA_SET_TABLES),
    row=st.integers(1, 3),
    column=st.integers(0, 30),
    data=st.data(),
)
def test_loader_names_the_cell_it_refuses(
    table: str, row: int, column: int, data: st.DataObject
) -> None:
    with folder() as root:
        data_set = small_data_set(root)
        path = data_set / f"{table}.csv"
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
        rows = len(path.read_text(encoding="utf-8").splitlines()) - 1
        name = header[column % len(header)]
        value = data.draw(cells_for(contract_kind(table, name)), label="value")
        rewrite_cell(path, min(row, rows), column % len(header), value)
        loaded = attempt(lambda: loads(data_set))
    if isinstance(loaded, ContractError):
        assert_clear(loaded)
        assert loaded.file.endswith(".csv") and loaded.row is not None, short(loaded)
        assert loaded.column is not None, short(loaded)
        return
    assert loaded.rows[table] == rows, "a row was dropped"
    _assert_kept_whole(loaded, table, min(row, rows), name, value)


# What DuckDB's trim() takes off a cell: the Unicode space separators (category Zs).
SPACES = " \xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"


def _assert_kept_whole(data: loading.DataSet, table: str, row: int, name: str, value: str) -> None:
    """Text is kept as given (only spaces around it trimmed), never cut short."""
    contract = {column.name: column for column in BY_NAME[table].columns}
    if name in contract and (contract[name].type != "str" or (table, name) in CODED_VALUES):
        return
    kept = data.connection.execute(
        f'SELECT "{name}" FROM {table} WHERE rowid = ?', [row - 1]
    ).fetchone()
    assert kept is not None
    assert kept[0] == (value.strip(SPACES) or None)


@FUZZ
@given(
    table=st.sampled_from(DATA_SET_TABLES),
    line=st.integers(1, 3),
    at=st.integers(0, 200),
    junk=st.one_of(
        st.binary(min_size=1, max_size=6),
        st.sampled_from([b"\xff", b"\xc3", b"\x00", b"\r", b'"', b",", b"\n", b"\xef\xbb\xbf"]),
    ),
)
def test_loader_names_the_row_of_raw_bytes_it_cannot_read(
    table: str, line: int, at: int, junk: bytes
) -> None:
    with folder() as root:
        data_set = small_data_set(root)
        path = data_set / f"{table}.csv"
        lines = path.read_bytes().split(b"\n")
        target = min(line, len(lines) - 2)
        position = at % (len(lines[target]) + 1)
        lines[target] = lines[target][:position] + junk + lines[target][position:]
        path.write_bytes(b"\n".join(lines))
        loaded = attempt(lambda: loads(data_set))
    if isinstance(loaded, ContractError):
        assert_clear(loaded)
        assert loaded.file.endswith(".csv") and loaded.row is not None, short(loaded)


@FUZZ
@given(
    table=st.sampled_from(DATA_SET_TABLES),
    column=st.integers(0, 30),
    name=st.one_of(
        st.sampled_from(
            ["", "sku", "store_id", "__vigil_extra_field", "a\x00", Long("x" * 200_000)]
        ),
        text,
    ),
)
def test_loader_names_a_header_it_refuses(table: str, column: int, name: str) -> None:
    with folder() as root:
        data_set = small_data_set(root)
        path = data_set / f"{table}.csv"
        width = len(path.read_text(encoding="utf-8").split("\n", 1)[0].split(","))
        rewrite_cell(path, 0, column % width, name)
        loaded = attempt(lambda: loads(data_set))
    if isinstance(loaded, ContractError):
        assert_clear(loaded)
        assert loaded.file == path.name, short(loaded)


# --- (b) mapping profiles -------------------------------------------------------------------

UCI_HEADER = ["Invoice", "StockCode", "Description", "Quantity", "InvoiceDate", "Price"]
UCI_HEADER += ["Customer ID", "Country"]
UCI_ROWS = [
    ["1001", "A", "Mug", "2", "2009-12-01 07:45:00", "1.50", "13085.0", "United Kingdom"],
    ["1001", "B", "Bag", "1", "2009-12-01 07:45:00", "4.00", "13085.0", "United Kingdom"],
    ["1002", "C", "Cup", "3", "2009-12-01 08:00:00", "0.99", "", "France"],
    ["C1003", "A", "Mug", "-1", "2009-12-02 09:00:00", "1.50", "13085.0", "United Kingdom"],
]


def write_csv(path: Path, header: list[str], rows: list[list[str]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def uci_parses_date(value: str) -> bool:
    try:
        datetime.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return False
    return True


def is_number(value: str) -> bool:
    try:
        return Decimal(value.strip()).is_finite()
    except InvalidOperation:
        return False


def check_conversion(
    source: Path,
    out: Path,
    run: Callable[[], object],
    *,
    row: int,
    column: str,
    must_refuse: bool,
) -> None:
    """The property every mapped conversion keeps, with the one cell changed at ``row``: it
    is refused naming that cell (or, for a product or sum too big, naming it in the message),
    or it works and writes a data set the loader accepts."""
    error = attempt(run)
    if not isinstance(error, ContractError):
        assert not must_refuse, f"{column} on row {row} was accepted silently"
        loads(out)
        return
    assert_clear(error)
    assert (error.file, error.row) == (str(source), row), short(error)
    assert error.column == column or repr(column) in error.problem, short(error)


UCI_KINDS = {"Quantity": "number", "Price": "number", "InvoiceDate": "date"}


@FUZZ
@given(row=st.integers(0, 3), column=st.sampled_from(UCI_HEADER), data=st.data())
def test_online_retail_profile_names_the_cell_it_refuses(
    row: int, column: str, data: st.DataObject
) -> None:
    value = data.draw(cells_for(UCI_KINDS.get(column, "text")), label="value")
    rows = [list(cells_) for cells_ in UCI_ROWS]
    rows[row][UCI_HEADER.index(column)] = value
    with folder() as root:
        source = write_csv(root / "online.csv", UCI_HEADER, rows)
        out = root / "out"
        bad_date = column == "InvoiceDate" and not uci_parses_date(value)
        bad_number = column in {"Quantity", "Price"} and not is_number(value)
        check_conversion(
            source,
            out,
            lambda: convert(source, out, source_format="online-retail-ii"),
            row=row + 2,  # the header is row 1
            column=column,
            must_refuse=bad_date or bad_number,
        )


@FUZZ
@given(
    line=st.integers(1, 4),
    at=st.integers(0, 80),
    junk=st.one_of(
        st.binary(min_size=1, max_size=6),
        st.sampled_from([b"\xff", b"\xc3", b"\x00", b"\r", b'"', b",", b"\n", b"1e400"]),
    ),
)
def test_online_retail_profile_names_the_row_of_raw_bytes(line: int, at: int, junk: bytes) -> None:
    with folder() as root:
        source = write_csv(root / "online.csv", UCI_HEADER, UCI_ROWS)
        lines = source.read_bytes().split(b"\n")
        position = at % (len(lines[line]) + 1)
        lines[line] = lines[line][:position] + junk + lines[line][position:]
        source.write_bytes(b"\n".join(lines))
        out = root / "out"
        error = attempt(lambda: convert(source, out, source_format="online-retail-ii"))
        if isinstance(error, ContractError):
            assert_clear(error)
            assert error.file == str(source) and error.row is not None, short(error)
        else:
            loads(out)


# A profile of one's own that uses every kind of field: formats, a time zone, decimal
# commas, a map with a default, when and negate_when, a line number, flags and dates.
TILL_PROFILE = """\
name: fuzz_till
csv: {delimiter: ";"}
defaults:
  timezone: Europe/Berlin
  decimal_separator: ","
  thousands_separator: "."
tables:
  transactions:
    transaction_id: Bon
    store_id: Filiale
    register_id: Kasse
    employee_id: Kassierer
    started_at: {column: Beginn, format: "%d.%m.%Y %H:%M"}
    ended_at: Ende
    business_date: {column: Tag, format: "%d.%m.%Y"}
    kind: {value: sale, when: [{column: Art, equals: RT, value: return}]}
    tax: Steuer
    receipt_present: Beleg
  line_items:
    line_no: Zeile
    sku: Artikel
    quantity: {column: Menge, negate_when: {column: Art, equals: RT}}
    unit_price: Preis
    discount_amount: Rabatt
    line_voided: Storno
    entry_method: {column: Erfassung, map: {S: scanned, K: keyed}, default: lookup}
  tenders:
    tender_type: {column: Zahlart, map: {BAR: cash, EC: debit}, default: other}
  employees:
    hired_on: {column: Eintritt, format: "%d.%m.%Y"}
"""
TILL_HEADER = ["Bon", "Filiale", "Kasse", "Kassierer", "Beginn", "Ende", "Tag", "Art"]
TILL_HEADER += ["Steuer", "Beleg", "Zeile", "Artikel", "Menge", "Preis", "Rabatt", "Storno"]
TILL_HEADER += ["Erfassung", "Zahlart", "Eintritt"]
B1 = ["B1", "0042", "K1", "777", "14.03.2026 10:00", "2026-03-14T10:02:00+01:00", "14.03.2026"]
B2 = ["B2", "0042", "K1", "778", "14.03.2026 10:05", "2026-03-14T10:06:00+01:00", "14.03.2026"]
TILL_ROWS = [
    [
        *B1,
        "VK",
        "0,19",
        "yes",
        "1",
        "4711",
        "2",
        "1.234,50",
        "0,50",
        "no",
        "S",
        "BAR",
        "01.02.2020",
    ],
    [*B1, "VK", "0,19", "yes", "2", "4712", "1", "3,00", "", "false", "K", "BAR", "01.02.2020"],
    [*B2, "RT", "", "", "1", "4711", "1", "1.234,50", "", "", "", "EC", ""],
]
# Cells the oracle knows how to judge: these must parse or be refused.
TILL_NUMBERS = {"Steuer", "Menge", "Preis", "Rabatt"}
TILL_DATES = {"Beginn": "%d.%m.%Y %H:%M", "Tag": "%d.%m.%Y", "Eintritt": "%d.%m.%Y"}


def till_parses(column: str, value: str) -> bool:
    """Would a careful reader accept this cell? (Only for the columns it can judge.)"""
    value = value.strip()
    if not value:
        return True
    if column in TILL_NUMBERS:
        return is_number(value.replace(".", "").replace(",", "."))
    try:
        datetime.datetime.strptime(value, TILL_DATES[column])
    except ValueError:
        return False
    return True


@FUZZ
@given(row=st.integers(0, 2), column=st.sampled_from(TILL_HEADER), data=st.data())
def test_a_profile_of_ones_own_names_the_cell_it_refuses(
    row: int, column: str, data: st.DataObject
) -> None:
    kind = "number" if column in TILL_NUMBERS else "date" if column in TILL_DATES else "text"
    value = data.draw(cells_for(kind), label="value")
    rows = [list(cells_) for cells_ in TILL_ROWS]
    rows[row][TILL_HEADER.index(column)] = value
    with folder() as root:
        source = write_csv(root / "bons.csv", TILL_HEADER, rows, delimiter=";")
        profile = root / "till.yaml"
        profile.write_text(TILL_PROFILE, encoding="utf-8")
        out = root / "out"
        judged = column in TILL_NUMBERS or column in TILL_DATES
        check_conversion(
            source,
            out,
            lambda: convert(source, out, source_format=f"profile:{profile}"),
            row=row + 2,
            column=column,
            must_refuse=judged and not till_parses(column, value),
        )


# --- (c) ARTS POSLog ------------------------------------------------------------------------

# One sale with one of everything the converter reads a value from; {name} is filled in.
POSLOG_FIELDS = {
    "BusinessDayDate": "2026-03-14",
    "BeginDateTime": "2026-03-14T10:00:00-05:00",
    "EndDateTime": "2026-03-14T10:05:00-05:00",
    "ItemID": "A",
    "Description": "Mug",
    "Department": "Kitchen",
    "Quantity": "2",
    "ActualSalesUnitPrice": "2.50",
    "RegularSalesUnitPrice": "3.00",
    "ExtendedAmount": "5.00",
    "DiscountAmount": "0.50",
    "LineDateTime": "2026-03-14T10:01:00-05:00",
    "TaxAmount": "0.40",
    "TenderAmount": "10.00",
    "ChangeAmount": "5.10",
    "Rounding": "0.00",
    "GrandAmount": "4.90",
    "Token": "tok-1",
}
POSLOG_TEMPLATE = """\
<?xml version="1.0" encoding="utf-8"?>
<POSLog xmlns="http://www.nrf-arts.org/IXRetail/namespace/">
<Transaction>
<RetailStoreID>S1</RetailStoreID><WorkstationID>R01</WorkstationID>
<SequenceNumber>1</SequenceNumber><TransactionID>T1</TransactionID>
<OperatorID>E1</OperatorID><BusinessDayDate>{BusinessDayDate}</BusinessDayDate>
<BeginDateTime>{BeginDateTime}</BeginDateTime><EndDateTime>{EndDateTime}</EndDateTime>
<RetailTransaction>
<LineItem EntryMethod="Scanned"><DateTime>{LineDateTime}</DateTime><Sale>
<ItemID>{ItemID}</ItemID><Description>{Description}</Description>
<MerchandiseHierarchy Level="Department">{Department}</MerchandiseHierarchy>
<Quantity>{Quantity}</Quantity>
<ActualSalesUnitPrice>{ActualSalesUnitPrice}</ActualSalesUnitPrice>
<RegularSalesUnitPrice>{RegularSalesUnitPrice}</RegularSalesUnitPrice>
<ExtendedAmount>{ExtendedAmount}</ExtendedAmount>
<RetailPriceModifier><Amount>{DiscountAmount}</Amount><ReasonCode>Coupon</ReasonCode>
</RetailPriceModifier>
</Sale></LineItem>
<LineItem><Tax><Amount>{TaxAmount}</Amount></Tax></LineItem>
<LineItem><Tender TenderType="CreditDebit" TypeCode="Sale"><Amount>{TenderAmount}</Amount>
<TenderChange><Amount>{ChangeAmount}</Amount></TenderChange><Rounding>{Rounding}</Rounding>
<CreditDebit CardType="Credit"><Token>{Token}</Token></CreditDebit></Tender></LineItem>
<Total TotalType="TransactionGrandAmount">{GrandAmount}</Total>
</RetailTransaction>
</Transaction>
</POSLog>
"""
POSLOG_NUMBERS = {"Quantity", "ActualSalesUnitPrice", "RegularSalesUnitPrice"}
POSLOG_NUMBERS |= {"ExtendedAmount", "DiscountAmount", "TaxAmount", "TenderAmount"}
POSLOG_NUMBERS |= {"ChangeAmount", "Rounding", "GrandAmount"}
POSLOG_TIMES = {"BeginDateTime", "EndDateTime", "LineDateTime"}


def iso_parses(value: str) -> bool:
    try:
        datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        return False
    return True


@MORE
@given(
    field=st.sampled_from(sorted(POSLOG_FIELDS)),
    timezone=st.sampled_from([None, "Europe/Stockholm", "America/Chicago"]),
    data=st.data(),
)
def test_poslog_names_the_element_it_refuses(
    field: str, timezone: str | None, data: st.DataObject
) -> None:
    kind = "number" if field in POSLOG_NUMBERS else "date" if field in POSLOG_TIMES else "text"
    value = data.draw(cells_for(kind), label="value")
    # Characters XML 1.0 cannot hold make the document not well-formed, which is refused too.
    values = {**POSLOG_FIELDS, field: escape(value)}
    with folder() as root:
        source = root / "log.xml"
        source.write_text(POSLOG_TEMPLATE.format(**values), encoding="utf-8")
        out = root / "out"
        blank = not value.strip()
        bad_number = field in POSLOG_NUMBERS and not blank and not is_number(value)
        bad_time = field in POSLOG_TIMES and not blank and not iso_parses(value)
        error = attempt(lambda: convert(source, out, source_format="poslog", timezone=timezone))
        if isinstance(error, ContractError):
            assert_clear(error)
            assert error.file == str(source) and error.element is not None, short(error)
        else:
            assert not (bad_number or bad_time), f"{field} {value!r} was accepted silently"
            loads(out)


@MORE
@given(
    at=st.integers(0, 2_000),
    junk=st.one_of(
        st.binary(min_size=1, max_size=6),
        st.sampled_from([b"\xff", b"\x00", b"<", b"&", b"]]>", b"<!DOCTYPE x>", b"1e400"]),
    ),
)
def test_poslog_names_where_raw_bytes_break_it(at: int, junk: bytes) -> None:
    document = POSLOG_TEMPLATE.format(**POSLOG_FIELDS).encode("utf-8")
    position = at % (len(document) + 1)
    with folder() as root:
        source = root / "log.xml"
        source.write_bytes(document[:position] + junk + document[position:])
        out = root / "out"
        error = attempt(lambda: convert(source, out, source_format="poslog"))
        if isinstance(error, ContractError):
            assert_clear(error)
            assert error.file == str(source) and error.element is not None, short(error)
        else:
            loads(out)
