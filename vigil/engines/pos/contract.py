"""The POS and inventory data contract, v1 (``shared/contracts/pos-data.md``), as data.

Every reader, validator, importer and generator takes its tables and columns from here, so
the contract is written down once. Column types are the contract's: ``str``, ``int``,
``dec`` (DECIMAL(18,2), negative for returns), ``bool``, ``date`` and ``ts`` (ISO 8601 with
a UTC offset).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

DECIMAL_SQL = "DECIMAL(18,2)"
SQL_TYPES = {
    "str": "VARCHAR",
    "int": "BIGINT",
    "dec": DECIMAL_SQL,
    "bool": "BOOLEAN",
    "date": "DATE",
    "ts": "TIMESTAMPTZ",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    meaning: str = ""

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    optional: bool = False

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")


def _c(name: str, type_: str, meaning: str = "") -> Column:
    """A column; a name ending in ``*`` is required, as the contract marks it."""
    required = name.endswith("*")
    return Column(name.rstrip("*"), type_, required, meaning)


STORES = Table(
    "stores",
    (
        _c("store_id*", "str", "stable store code"),
        _c("name", "str"),
        _c("region", "str", "district / region code"),
        _c("timezone", "str", "IANA name"),
    ),
    key=("store_id",),
)

EMPLOYEES = Table(
    "employees",
    (
        _c("employee_id*", "str", "stable id (never a person's name)"),
        _c("store_id*", "str", "home store"),
        _c("name", "str"),
        _c("role", "str", "cashier, service_desk, supervisor, manager, lp, other"),
        _c("hired_on", "date"),
    ),
    key=("employee_id",),
)

TRANSACTIONS = Table(
    "transactions",
    (
        _c("transaction_id*", "str", "unique across the data set"),
        _c("store_id*", "str"),
        _c("register_id*", "str", "lane / terminal; self-checkout lanes start with SCO"),
        _c("employee_id*", "str", "operator signed on"),
        _c("business_date*", "date"),
        _c("started_at*", "ts"),
        _c("ended_at*", "ts"),
        _c("kind*", "str", "sale, return, exchange, no_sale, paid_in, paid_out, training"),
        _c("status*", "str", "completed, cancelled, post_voided, suspended"),
        _c("post_void_employee_id", "str"),
        _c("post_voided_at", "ts"),
        _c("subtotal*", "dec"),
        _c("discount_total", "dec"),
        _c("tax", "dec"),
        _c("total*", "dec", "what was tendered (negative for refunds)"),
        _c("customer_id", "str"),
        _c("original_transaction_id", "str"),
        _c("receipt_present", "bool"),
        _c("override_employee_id", "str"),
    ),
    key=("transaction_id",),
)

LINE_ITEMS = Table(
    "line_items",
    (
        _c("transaction_id*", "str"),
        _c("line_no*", "int"),
        _c("sku*", "str"),
        _c("department", "str"),
        _c("description", "str"),
        _c("quantity*", "dec", "negative for returned items"),
        _c("unit_price*", "dec"),
        _c("regular_price", "dec"),
        _c("extended_amount*", "dec"),
        _c("discount_amount", "dec"),
        _c(
            "discount_reason",
            "str",
            "employee, coupon, promo, manager, price_match, damaged, other",
        ),
        _c("entry_method", "str", "scanned, keyed, lookup"),
        _c("price_override", "bool"),
        _c("line_voided", "bool"),
    ),
    key=("transaction_id", "line_no"),
)

TENDERS = Table(
    "tenders",
    (
        _c("transaction_id*", "str"),
        _c(
            "tender_type*",
            "str",
            "cash, credit, debit, gift_card, store_credit, check, mobile, other",
        ),
        _c("amount*", "dec", "negative for refunds"),
        _c("card_token", "str"),
        _c("change_due", "dec"),
    ),
)

INVENTORY_COUNTS = Table(
    "inventory_counts",
    (
        _c("store_id*", "str"),
        _c("sku*", "str"),
        _c("department", "str"),
        _c("count_date*", "date"),
        _c("book_qty*", "dec"),
        _c("counted_qty*", "dec"),
        _c("unit_cost*", "dec"),
        _c("unit_retail", "dec"),
    ),
    key=("store_id", "sku", "count_date"),
    optional=True,
)

EAS_ALARMS = Table(
    "eas_alarms",
    (
        _c("store_id*", "str"),
        _c("door*", "str"),
        _c("at*", "ts"),
        _c("tag_id", "str"),
    ),
    optional=True,
)

TABLES: tuple[Table, ...] = (
    STORES,
    EMPLOYEES,
    TRANSACTIONS,
    LINE_ITEMS,
    TENDERS,
    INVENTORY_COUNTS,
    EAS_ALARMS,
)
BY_NAME = {table.name: table for table in TABLES}

# Allowed values of the coded columns (the contract's lists).
ROLES = frozenset({"cashier", "service_desk", "supervisor", "manager", "lp", "other"})
KINDS = frozenset({"sale", "return", "exchange", "no_sale", "paid_in", "paid_out", "training"})
STATUSES = frozenset({"completed", "cancelled", "post_voided", "suspended"})
TENDER_TYPES = frozenset(
    {"cash", "credit", "debit", "gift_card", "store_credit", "check", "mobile", "other"}
)
DISCOUNT_REASONS = frozenset(
    {"employee", "coupon", "promo", "manager", "price_match", "damaged", "other"}
)
ENTRY_METHODS = frozenset({"scanned", "keyed", "lookup"})
CODED_VALUES: dict[tuple[str, str], frozenset[str]] = {
    ("employees", "role"): ROLES,
    ("transactions", "kind"): KINDS,
    ("transactions", "status"): STATUSES,
    ("tenders", "tender_type"): TENDER_TYPES,
    ("line_items", "discount_reason"): DISCOUNT_REASONS,
    ("line_items", "entry_method"): ENTRY_METHODS,
}

TRUE_WORDS = frozenset({"true", "1", "t", "yes"})
FALSE_WORDS = frozenset({"false", "0", "f", "no"})


# --- what a cell can hold -----------------------------------------------------------------
# The loader reads amounts as DECIMAL(18,2) and whole numbers as BIGINT, and refuses a cell
# that does not fit. Converters check their values against the same limits, so that a value
# too big is named in the user's own file, not later in the converted one.

AMOUNT_DIGITS = 16  # before the decimal point: DECIMAL(18,2)
LARGEST_WHOLE_NUMBER = 10**18 - 1  # 18 digits, as the loader reads a BIGINT cell
# The longest text a converter writes into one cell. Far beyond any real id or description,
# and small enough that a converted row always fits the loader's longest line (2,000,000
# bytes) even with every text column full and every character a doubled quote.
MAX_TEXT_BYTES = 100_000
_ROUNDS_PAST_LIMIT = Decimal(10) ** AMOUNT_DIGITS - Decimal("0.005")


def fits_amount(value: Decimal) -> bool:
    """A finite amount that, rounded to cents, fits DECIMAL(18,2)."""
    # copy_abs, not abs(): it never rounds, so 1e1000000 cannot raise Overflow here.
    return value.is_finite() and value.copy_abs() < _ROUNDS_PAST_LIMIT


def fits_whole_number(value: int) -> bool:
    return -LARGEST_WHOLE_NUMBER <= value <= LARGEST_WHOLE_NUMBER


def fits_text(text: str) -> bool:
    """At most MAX_TEXT_BYTES once written as UTF-8 (encoded only when it might not be)."""
    return len(text) * 4 <= MAX_TEXT_BYTES or len(text.encode("utf-8", "replace")) <= MAX_TEXT_BYTES


def fits_timestamp(value: datetime.datetime) -> bool:
    """An aware time whose UTC offset is whole minutes, as ISO 8601 text can carry it (a
    zone's local mean time before standard time, like London's -00:01:15, cannot)."""
    offset = value.utcoffset()
    return offset is not None and offset.seconds % 60 == 0 and not offset.microseconds
