"""ARTS POSLog XML in, contract tables out, streamed one ``<Transaction>`` at a time.

Reads the ARTS POSLog 6.0 that Visma Retail exports and NCR ACS's POSLog with its ``acs:``
extensions. Elements are matched by local name, so the ARTS namespace, vendor namespaces and
prefixes do not matter. The parser never expands entities, never loads a DTD and never touches
the network: a file with a DOCTYPE that declares entities or points at an external DTD (XXE,
"billion laughs") is refused with a :class:`ContractError`, as is XML that is not well formed
(the error names the open element and the line where it broke).

Mapping (source element → contract column), and what is derived when the source lacks it:

transactions
  transaction_id    ``TransactionID``; without one (NCR), ``STORE-REGISTER-BUSINESSDATE-SEQ``
                    from ``RetailStoreID``, ``WorkstationID``, business date, ``SequenceNumber``
  store_id          ``RetailStoreID``, else ``BusinessUnit/UnitID``
  register_id       ``WorkstationID``
  employee_id       ``OperatorID`` (its ``OperatorName`` becomes the employee's name)
  started_at        ``BeginDateTime``, else the earliest ``LineItem/DateTime``, else the end time
  ended_at          ``EndDateTime``, else ``RetailTransaction/ReceiptDateTime``, else started_at
                    (timestamps without a UTC offset are read in ``--timezone``, default UTC)
  business_date     ``BusinessDayDate``, else the date of started_at
  kind              ``sale``; ``return`` when every item line is a ``Return``; ``exchange`` when
                    there are both; ``training`` when ``TrainingModeFlag`` is true;
                    ``no_sale`` for a ``ControlTransaction`` with ``NoSale``, a "No Sale"
                    reason or a lone ``CashDrawerOpen`` event; ``paid_in`` / ``paid_out`` for a
                    ``TenderControlTransaction`` with ``PaidIn`` / ``PaidOut``
  status            ``RetailTransaction/@TransactionStatus``: Canceled/Cancelled → cancelled,
                    PostVoided/Voided → post_voided, Suspended → suspended, else completed;
                    ``Transaction/@CancelFlag`` true → cancelled
  post_void_*       from a later post-void record (a ``TransactionLink`` whose ``ReasonCode``
                    says void, or a ``ControlTransaction/PostVoid``): the voided transaction gets
                    status post_voided, the voiding operator and the voiding record's end time;
                    the record itself is not a transaction
  subtotal          sum of the extended amounts of the lines not voided
  discount_total    line discounts (``RetailPriceModifier/Amount``, NCR's
                    ``ExtendedDiscountAmount``) + transaction discounts (``LineItem/Discount``,
                    NCR's summarised monetary ``LoyaltyReward``), as a positive amount
  tax               ``Total[@TotalType=TransactionTaxAmount]``, else the ``LineItem/Tax`` sum
  total             ``Total[@TotalType=TransactionGrandAmount]`` (else ``TransactionNetAmount``)
                    plus cash rounding (``Tender/Rounding``, Up +, Down -); without a total, the
                    tenders less change; for a cancelled transaction, the tenders less change
                    (nothing was taken); negative for returns
  customer_id       NCR ``LoyaltyMembership/LoyaltyID``, ``Customer/CustomerID`` or
                    ``LoyaltyAccount/LoyaltyAccountID``
  original_transaction_id, receipt_present
                    from a ``TransactionLink`` whose ``ReasonCode`` says return or refund (a
                    linked return is one where the receipt was looked up)
  override_employee_id
                    the first ``ApproverID`` / ``SupervisorID`` / ``ManagerID`` /
                    ``OverrideOperatorID`` in the transaction, or an NCR ``@OperatorOverride``
                    that holds an id (not just "true")

line_items (one per ``LineItem/Sale`` or ``LineItem/Return``; line_no counts item lines 1, 2, …)
  sku               ``ItemID``, else the ``POSIdentity/POSItemID`` whose ``POSIDType`` is not a
                    barcode type (Visma's RSID), else the first ``POSItemID`` (the GTIN)
  department        ``MerchandiseHierarchy`` (``Level=Department`` first)
  quantity          ``Quantity`` (1 when absent); negative on ``Return`` lines
  unit_price        ``ActualSalesUnitPrice``; else ``RegularSalesUnitPrice`` when quantity x it
                    is the extended amount to the cent; else extended amount / quantity
  regular_price     ``RegularSalesUnitPrice``
  extended_amount   ``ExtendedAmount`` (else quantity x unit price); negative on ``Return`` lines
  entry_method      ``LineItem/@EntryMethod`` (Scanned/Wand/RFID → scanned, Keyed/Manual →
                    keyed, Lookup/PickList/Touch → lookup; MSR, Auto and others → empty);
                    Visma's ``@ScanningItem`` true → scanned
  price_override    NCR ``@keyedPrice`` true, or a ``RetailPriceModifier`` with
                    ``MethodCode=PriceOverride``
  line_voided       ``LineItem/@VoidFlag`` or ``@CancelFlag`` true

tenders (one per ``LineItem/Tender`` not voided)
  tender_type       ``@TenderType``: Cash, Check, CreditDebit (by ``CreditDebit/@CardType``),
                    GiftCard/GiftCertificate/StoredValue, StoreCredit/CreditNote, Mobile/Wallet;
                    anything else → other. A ``Tender`` with only ``Rounding`` (Visma) is cash
                    rounding, not a tender.
  amount            ``Amount``; negative when ``@TypeCode=Refund`` or the transaction is a return
  change_due        ``TenderChange/Amount``
  card_token        a ``Token`` / ``CardToken`` element, else a ``PrimaryAccountNumber`` /
                    ``CardNumber``; anything that looks like a card number (12-19 digits) is
                    masked to its last four digits, so a PAN never reaches the data set

stores / employees: every ``RetailStoreID`` seen; every operator with the store where first seen
and role ``cashier`` (``OperatorType`` Supervisor/Manager/ServiceDesk when the source says so);
override approvers not otherwise known as supervisor. The store's ``timezone`` is ``--timezone``
when given.

Operator sign-on and sign-off are not transactions and are left out (counted in the summary).
Other control and tender-control transactions (till settlement, loans, pickups, …) are skipped
with a counted warning, never a crash. A transaction id seen twice is skipped the second time.

What is written always loads: an amount beyond DECIMAL(18,2) (``1e400``, or a quantity so
small that extended amount / quantity is), text over 100,000 bytes, a time in a zone's local
mean time (an offset in seconds) and a transaction without an operator off a self-checkout
lane are refused with the element named, not later in the converted data set.

Memory: each ``<Transaction>`` is cleared once converted; line items and tenders are written as
they are read, transactions go through a staging file so that a post-void arriving later can
still mark the transaction it voids.
"""

from __future__ import annotations

import datetime
import json
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml import etree

from vigil.engines.pos.contract import (
    AMOUNT_DIGITS,
    BY_NAME,
    MAX_TEXT_BYTES,
    TRANSACTIONS,
    fits_amount,
    fits_text,
    fits_timestamp,
)
from vigil.engines.pos.converters import ConversionReport
from vigil.engines.pos.dataset import TableWriter, format_value, write_table
from vigil.engines.pos.errors import ContractError, shown

logger = logging.getLogger(__name__)

# An lxml element. lxml has no type stubs here, so Any is confined to this module's helpers.
Element = Any

ZERO = Decimal("0")
CENT = Decimal("0.01")
# Arithmetic on the source's amounts that never raises: a product or quotient too big to be
# an amount comes out as Infinity or NaN, which the amount check then names by element.
LENIENT = Context(prec=34, traps=[])
TOO_BIG = f"more than an amount can hold ({AMOUNT_DIGITS} digits before the decimal point)"
PATH_SHOWN = 12  # names of an element's path in a message, at most
PAN_LIKE = re.compile(r"\d{12,19}")
VOID_REASON = re.compile(r"void", re.IGNORECASE)
RETURN_REASON = re.compile(r"return|refund", re.IGNORECASE)
SIGN_ON_OFF_REASON = re.compile(r"sign\s*-?\s*(on|off)", re.IGNORECASE)
NO_SALE_REASON = re.compile(r"no\s*-?\s*sale", re.IGNORECASE)

ITEM_TAGS = frozenset({"Sale", "Return"})
SIGN_ON_OFF_TAGS = frozenset({"OperatorSignOn", "OperatorSignOff", "SignOn", "SignOff"})
POST_VOID_TAGS = frozenset({"PostVoid", "VoidTransaction", "TransactionVoid"})
NO_SALE_EVENTS = frozenset({"cashdraweropen", "nosale", "draweropen"})
APPROVER_TAGS = frozenset({"ApproverID", "SupervisorID", "ManagerID", "OverrideOperatorID"})
BARCODE_ID_TYPES = frozenset({"gtin", "upc", "ean", "upca", "upce", "ean13", "ean8", "barcode"})
TOKEN_TAGS = frozenset({"token", "cardtoken", "paymenttoken", "tokenvalue"})
CARD_NUMBER_TAGS = frozenset({"primaryaccountnumber", "cardnumber", "pan", "maskedcardnumber"})

ENTRY_METHODS = {
    "scanned": "scanned",
    "scan": "scanned",
    "wand": "scanned",
    "rfid": "scanned",
    "keyed": "keyed",
    "manual": "keyed",
    "lookup": "lookup",
    "pricelookup": "lookup",
    "picklist": "lookup",
    "touch": "lookup",
}
TENDER_TYPES = {
    "cash": "cash",
    "check": "check",
    "cheque": "check",
    "credit": "credit",
    "creditcard": "credit",
    "debit": "debit",
    "debitcard": "debit",
    "giftcard": "gift_card",
    "giftcertificate": "gift_card",
    "storedvalue": "gift_card",
    "storedvaluecard": "gift_card",
    "storecredit": "store_credit",
    "creditnote": "store_credit",
    "merchandisecredit": "store_credit",
    "mobile": "mobile",
    "mobilepayment": "mobile",
    "wallet": "mobile",
    "ewallet": "mobile",
}
ROLES = {
    "cashier": "cashier",
    "supervisor": "supervisor",
    "manager": "manager",
    "storemanager": "manager",
    "servicedesk": "service_desk",
    "customerservice": "service_desk",
}
STATUSES = {
    "canceled": "cancelled",
    "cancelled": "cancelled",
    "postvoided": "post_voided",
    "voided": "post_voided",
    "suspended": "suspended",
}
DISCOUNT_REASONS = (
    ("employee", "employee"),
    ("staff", "employee"),
    ("coupon", "coupon"),
    ("promo", "promo"),
    ("manager", "manager"),
    ("match", "price_match"),
    ("damag", "damaged"),
)


# --- small element helpers ------------------------------------------------------------------


def _local(el: Element) -> str:
    """The tag without its namespace; comments and processing instructions have none."""
    tag = el.tag
    # String slicing, not etree.QName: this runs for every element and QName is 10x slower.
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


# "{*}Name" is lxml's "Name in any namespace, or none", matched in C: these lookups run dozens
# of times per transaction, so they are most of the converter's time.


def _children(el: Element, name: str) -> Iterator[Element]:
    return el.iterchildren("{*}" + name)  # type: ignore[no-any-return]


def _child(el: Element, name: str) -> Element | None:
    return next(el.iterchildren("{*}" + name), None)


def _find(el: Element, *path: str) -> Element | None:
    """The element at ``path`` below ``el`` (first match at each step); ``el`` for no path."""
    for name in path:
        if el is None:
            return None
        el = _child(el, name)
    return el


def _text(el: Element, *path: str) -> str | None:
    """Stripped text of the element at ``path``; None when absent or blank."""
    found = _find(el, *path)
    if found is None or found.text is None:
        return None
    return str(found.text).strip() or None


def _attr(el: Element, name: str) -> str | None:
    """An attribute by local name, whatever its namespace (NCR puts some under ``acs:``)."""
    for key, value in el.attrib.items():
        if key == name or key.endswith("}" + name):
            return str(value).strip()
    return None


def _flag(value: str | None) -> bool:
    return value is not None and value.strip().lower() in {"true", "1", "yes"}


def _normal(word: str | None) -> str:
    """``acs:Auto`` → ``auto``, ``Credit Debit`` → ``creditdebit``: for matching vendor codes."""
    word = (word or "").rsplit(":", 1)[-1]
    return re.sub(r"[^a-z0-9]", "", word.lower())


def _path(el: Element) -> str:
    """``POSLog/Transaction/…/Quantity``: where an element sits, for error messages."""
    names = []
    node = el
    while node is not None:
        names.append(_local(node))
        node = node.getparent()
    names.reverse()
    if len(names) > PATH_SHOWN:
        # A document nested hundreds deep must not make the message hundreds of names long.
        middle = f"…{len(names) - PATH_SHOWN + 1} more…"
        names = [*names[: PATH_SHOWN // 2], middle, *names[-(PATH_SHOWN // 2) + 1 :]]
    return "/".join(names)


def _where(el: Element) -> str:
    """``POSLog/Transaction/…/Quantity (line 70)``, for error messages."""
    return f"{_path(el)} (line {el.sourceline})"


# --- reading values ---------------------------------------------------------------------------


@dataclass
class _Source:
    """The file being read (for error messages) and the zone of its offset-less timestamps."""

    name: str
    zone: datetime.tzinfo

    def error(self, el: Element, problem: str) -> ContractError:
        return ContractError(self.name, problem, element=_where(el))

    def decimal(self, el: Element, *path: str) -> Decimal | None:
        """The amount at ``path`` as a Decimal (never a float); None when absent."""
        found = _find(el, *path)
        text = None if found is None or found.text is None else str(found.text).strip()
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise self.error(found, f"expected a decimal number, found {shown(text)}") from None
        if not value.is_finite():
            raise self.error(found, f"expected a decimal number, found {shown(text)}")
        if not fits_amount(value):
            # 1e400 is a number, but no amount: it would not fit DECIMAL(18,2).
            raise self.error(
                found,
                f"expected an amount of at most {AMOUNT_DIGITS} digits before the decimal "
                f"point, found {shown(text)}",
            )
        return value.copy_abs() if value.is_zero() else value  # "-0" is 0

    def timestamp(self, el: Element, *path: str) -> datetime.datetime | None:
        """An ISO 8601 timestamp, given ``self.zone`` when it has no UTC offset."""
        found = _find(el, *path)
        text = None if found is None or found.text is None else str(found.text).strip()
        if not text:
            return None
        try:
            value = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise self.error(
                found, f"expected an ISO 8601 timestamp, found {shown(text)}"
            ) from None
        value = value if value.tzinfo is not None else value.replace(tzinfo=self.zone)
        if not fits_timestamp(value):
            # Before standard time a zone keeps local mean time (Stockholm: +01:12:12), and
            # an offset in seconds is not one the contract's timestamps can carry.
            raise self.error(
                found,
                f"expected an ISO 8601 timestamp whose UTC offset is whole minutes, found "
                f"{shown(text)} (in {self.zone} that is {value.isoformat()})",
            )
        return value

    def date(self, el: Element, *path: str) -> datetime.date | None:
        found = _find(el, *path)
        text = None if found is None or found.text is None else str(found.text).strip()
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            raise self.error(found, f"expected a date YYYY-MM-DD, found {shown(text)}") from None

    def cents(self, value: Decimal, el: Element, what: str) -> Decimal:
        """A derived amount (a product, a quotient) to the cent, when it is one."""
        if not fits_amount(value):
            raise self.error(el, f"{what} comes to {shown(str(value))}, {TOO_BIG}")
        return value.quantize(CENT, rounding=ROUND_HALF_UP)


def safe_card_token(value: str) -> str:
    """A card reference fit to store: a token as it is, but anything that looks like a card
    number (12-19 digits, spaces and dashes ignored) masked to its last four digits."""
    digits = re.sub(r"[\s-]", "", value)
    if PAN_LIKE.fullmatch(digits):
        return "*" * (len(digits) - 4) + digits[-4:]
    return value


# --- one <Transaction> ------------------------------------------------------------------------


@dataclass
class _Header:
    """What every kind of ``<Transaction>`` says about itself."""

    store_id: str | None
    register_id: str | None
    employee_id: str | None
    employee_name: str | None
    role: str
    sequence: str | None
    source_id: str | None
    business_date: datetime.date | None
    begin: datetime.datetime | None
    end: datetime.datetime | None
    training: bool
    cancelled: bool


def _read_header(tx: Element, src: _Source) -> _Header:
    operator = _child(tx, "OperatorID")
    return _Header(
        store_id=_text(tx, "RetailStoreID") or _text(tx, "BusinessUnit", "UnitID"),
        register_id=_text(tx, "WorkstationID"),
        employee_id=_text(tx, "OperatorID"),
        employee_name=None if operator is None else _attr(operator, "OperatorName"),
        role=ROLES.get(_normal(None if operator is None else _attr(operator, "OperatorType")))
        or "cashier",
        sequence=_text(tx, "SequenceNumber"),
        source_id=_text(tx, "TransactionID"),
        business_date=src.date(tx, "BusinessDayDate"),
        begin=src.timestamp(tx, "BeginDateTime"),
        end=src.timestamp(tx, "EndDateTime"),
        training=_flag(_attr(tx, "TrainingModeFlag")) or _flag(_text(tx, "TrainingModeFlag")),
        cancelled=_flag(_attr(tx, "CancelFlag")),
    )


@dataclass
class _Converted:
    """One transaction's rows, ready to write."""

    row: dict[str, Any]
    lines: list[dict[str, Any]] = field(default_factory=list)
    tenders: list[dict[str, Any]] = field(default_factory=list)
    link_key: str = ""


@dataclass
class _PostVoid:
    employee_id: str | None
    at: datetime.datetime | None
    applied: bool = False


def _link_key(
    store: str | None, register: str | None, day: datetime.date | None, seq: str | None
) -> str | None:
    """How POSLog points at another transaction without a TransactionID."""
    if not (store and register and day and seq):
        return None
    return f"{store}-{register}-{day.isoformat()}-{seq}"


def _linked_id(link: Element, src: _Source) -> str | None:
    """The transaction a ``TransactionLink`` (or a post-void element) points at."""
    return _text(link, "TransactionID") or _link_key(
        _text(link, "RetailStoreID") or _text(link, "BusinessUnit", "UnitID"),
        _text(link, "WorkstationID"),
        src.date(link, "BusinessDayDate"),
        _text(link, "SequenceNumber"),
    )


def _identity(tx: Element, header: _Header, started: datetime.datetime, src: _Source) -> _Converted:
    """A transaction row with the columns every kind shares."""
    if header.store_id is None:
        raise src.error(tx, "transaction has no RetailStoreID or BusinessUnit/UnitID")
    if header.register_id is None:
        raise src.error(tx, "transaction has no WorkstationID")
    if header.employee_id is None and not header.register_id.strip(" ").upper().startswith("SCO"):
        raise src.error(
            tx,
            "transaction has no OperatorID (only a self-checkout lane, a WorkstationID starting "
            "with SCO, may have none)",
        )
    business_date = header.business_date or started.date()
    key = _link_key(header.store_id, header.register_id, business_date, header.sequence)
    transaction_id = header.source_id or key
    if transaction_id is None:
        raise src.error(tx, "transaction has no TransactionID and no SequenceNumber to name it")
    row: dict[str, Any] = {
        "transaction_id": transaction_id,
        "store_id": header.store_id,
        "register_id": header.register_id,
        "employee_id": header.employee_id,
        "business_date": business_date,
        "started_at": started,
        "ended_at": header.end or started,
        "kind": "sale",
        "status": "cancelled" if header.cancelled else "completed",
        "subtotal": ZERO,
        "discount_total": ZERO,
        "total": ZERO,
    }
    return _Converted(row=row, link_key=key or transaction_id)


def _check_people(header: _Header, tx: Element, src: _Source) -> None:
    """Ids and the operator's name are text of a size the contract's cells can hold."""
    texts = {
        "RetailStoreID": header.store_id,
        "WorkstationID": header.register_id,
        "OperatorID": header.employee_id,
        "OperatorID/@OperatorName": header.employee_name,
    }
    for name, text in texts.items():
        if text is not None and not fits_text(text):
            raise src.error(
                tx, f"{name}: expected at most {MAX_TEXT_BYTES:,} bytes, found {shown(text)}"
            )


def _checked(converted: _Converted, tx: Element, src: _Source) -> _Converted:
    """Every value of the transaction, its lines and its tenders fits the contract's cells
    (sums of amounts too), so the converted data set always loads."""
    parts = (
        ("transactions", [converted.row]),
        ("line_items", converted.lines),
        ("tenders", converted.tenders),
    )
    for table, rows in parts:
        for row in rows:
            for column in BY_NAME[table].columns:
                problem = _misfit(row.get(column.name), column.type)
                if problem is not None:
                    raise ContractError(src.name, problem, element=_where(tx), column=column.name)
    return converted


def _misfit(value: Any, type_: str) -> str | None:
    """What is wrong with a value for a cell of this type, if anything."""
    if isinstance(value, Decimal) and not fits_amount(value):
        return f"comes to {shown(str(value))}, {TOO_BIG}"
    if type_ == "str" and isinstance(value, str) and not fits_text(value):
        return f"expected at most {MAX_TEXT_BYTES:,} bytes, found {shown(value)}"
    return None


# --- retail transactions ----------------------------------------------------------------------


def _sku(item: Element, src: _Source) -> str:
    item_id = _text(item, "ItemID")
    if item_id:
        return item_id
    identities = [
        (_normal(_attr(ident, "POSIDType")), _text(ident, "POSItemID"))
        for ident in _children(item, "POSIdentity")
    ]
    own = [value for kind, value in identities if value and kind not in BARCODE_ID_TYPES]
    any_id = [value for _, value in identities if value]
    if own or any_id:
        return (own or any_id)[0]
    raise src.error(item, "item line has no ItemID or POSIdentity/POSItemID")


def _department(item: Element) -> str | None:
    levels = list(_children(item, "MerchandiseHierarchy"))
    levels.sort(key=lambda el: _normal(_attr(el, "Level")) != "department")
    for level in levels:
        if level.text and level.text.strip():
            return str(level.text).strip()
    return None


@dataclass(frozen=True)
class _Prices:
    """The unit prices an item line states, if any."""

    actual: Decimal | None  # ActualSalesUnitPrice
    regular: Decimal | None  # RegularSalesUnitPrice


def _unit_price(
    item: Element, quantity: Decimal, extended: Decimal, prices: _Prices, src: _Source
) -> Decimal:
    """The price charged per unit: stated, or the shelf price when it explains the extended
    amount to the cent (weighed items), or derived from the extended amount."""
    if prices.actual is not None:
        return prices.actual
    regular = prices.regular
    if regular is not None:
        difference = LENIENT.subtract(LENIENT.multiply(quantity, regular), extended)
        if difference.copy_abs() <= Decimal("0.005"):
            return regular
    if quantity:
        return src.cents(LENIENT.divide(extended, quantity), item, "ExtendedAmount / Quantity")
    return extended


def _discount_reason(text: str | None) -> str:
    word = (text or "").lower()
    for needle, reason in DISCOUNT_REASONS:
        if needle in word:
            return reason
    return "other"


def _is_price_override(modifier: Element) -> bool:
    return _normal(_attr(modifier, "MethodCode")) == "priceoverride"


def _line_discount(item: Element, src: _Source) -> tuple[Decimal, str | None]:
    """The line's discount as a positive amount, and its reason in the contract's words."""
    total = ZERO
    reason: str | None = None
    for modifier in _children(item, "RetailPriceModifier"):
        if _is_price_override(modifier):
            continue
        total += abs(src.decimal(modifier, "Amount") or ZERO)
        code = _text(modifier, "ReasonCode") or _attr(modifier, "ReasonCode")
        promotion = _text(modifier, "PromotionID")
        reason = reason or _discount_reason(code or ("promo" if promotion else None))
    if not total:
        # NCR ACS writes the line's discount, extended by quantity, here.
        total = abs(src.decimal(item, "ExtendedDiscountAmount") or ZERO)
    if not total:
        return ZERO, None
    return total, reason or "other"


def _entry_method(line: Element, item: Element) -> str | None:
    method = ENTRY_METHODS.get(_normal(_attr(line, "EntryMethod")))
    if method is None and _flag(_attr(item, "ScanningItem")):
        return "scanned"
    return method


def _item_line(line: Element, item: Element, line_no: int, src: _Source) -> dict[str, Any]:
    """One ``LineItem/Sale`` or ``LineItem/Return`` as a contract line."""
    quantity = src.decimal(item, "Quantity")
    quantity = Decimal(1) if quantity is None else quantity
    prices = _Prices(
        actual=src.decimal(item, "ActualSalesUnitPrice"),
        regular=src.decimal(item, "RegularSalesUnitPrice"),
    )
    regular = prices.regular
    extended = src.decimal(item, "ExtendedAmount")
    if extended is None:
        price = prices.actual if prices.actual is not None else regular
        if price is None:
            raise src.error(item, "item line has no ExtendedAmount and no unit price")
        extended = src.cents(LENIENT.multiply(quantity, price), item, "Quantity x unit price")
    unit_price = _unit_price(item, quantity, extended, prices, src)
    if _local(item) == "Return":
        quantity, extended = -abs(quantity), -abs(extended)
    discount, reason = _line_discount(item, src)
    overridden = _flag(_attr(line, "keyedPrice")) or any(
        _is_price_override(modifier) for modifier in _children(item, "RetailPriceModifier")
    )
    description = _text(item, "Description")
    return {
        "line_no": line_no,
        "sku": _sku(item, src),
        "department": _department(item),
        "description": description,
        "quantity": quantity,
        "unit_price": abs(unit_price),
        "regular_price": regular,
        "extended_amount": extended,
        "discount_amount": discount,
        "discount_reason": reason,
        "entry_method": _entry_method(line, item),
        "price_override": overridden,
        "line_voided": _flag(_attr(line, "VoidFlag")) or _flag(_attr(line, "CancelFlag")),
        "_returned": _local(item) == "Return",
    }


def _tender_type(tender: Element) -> str:
    code = _normal(_attr(tender, "TenderType"))
    if code == "creditdebit":
        card_el = _child(tender, "CreditDebit")
        card = _normal(_attr(tender if card_el is None else card_el, "CardType"))
        return "debit" if card == "debit" else "credit"
    return TENDER_TYPES.get(code, "other")


def _card_token(tender: Element) -> str | None:
    """A token if the POS wrote one, else the card number, masked; never a PAN."""
    candidates: list[str] = []
    for el in tender.iter():
        name = _local(el).lower()
        text = str(el.text).strip() if el.text else ""
        if text and name in TOKEN_TAGS:
            return safe_card_token(text)
        if text and name in CARD_NUMBER_TAGS:
            candidates.append(text)
    return safe_card_token(candidates[0]) if candidates else None


def _rounding(tender: Element, src: _Source) -> Decimal:
    """Cash rounding carried on a tender line (Visma), signed: Up adds, Down takes away."""
    rounding = _child(tender, "Rounding")
    if rounding is None:
        return ZERO
    amount = abs(src.decimal(tender, "Rounding") or ZERO)
    return -amount if _normal(_attr(rounding, "RoundingDirection")) == "down" else amount


def _tender(tender: Element, src: _Source) -> dict[str, Any] | None:
    """One tender line; None for a line that only carries rounding."""
    amount = src.decimal(tender, "Amount")
    if amount is None:
        if _attr(tender, "TenderType") is None:
            return None
        raise src.error(tender, "tender has no Amount")
    if _normal(_attr(tender, "TypeCode")) == "refund":
        amount = -abs(amount)
    return {
        "tender_type": _tender_type(tender),
        "amount": amount,
        "card_token": _card_token(tender),
        "change_due": src.decimal(tender, "TenderChange", "Amount"),
    }


def _reward_discount(reward: Element, src: _Source) -> Decimal:
    """NCR loyalty rewards: only the summarised monetary record counts toward the total (the
    detailed records break the same money down per item)."""
    monetary = _normal(_text(reward, "RewardCategory")) == "monetary"
    if monetary and _flag(_attr(reward, "summarizedActivity")):
        return abs(src.decimal(reward, "ExtendedRewardAmount") or ZERO)
    return ZERO


@dataclass
class _RetailParts:
    """What the line items of a retail transaction add up to."""

    lines: list[dict[str, Any]] = field(default_factory=list)
    tenders: list[dict[str, Any]] = field(default_factory=list)
    rounding: Decimal = ZERO
    discount: Decimal = ZERO
    tax: Decimal | None = None
    customer_id: str | None = None
    times: list[datetime.datetime] = field(default_factory=list)


def _read_line_item(line: Element, parts: _RetailParts, src: _Source) -> None:
    voided = _flag(_attr(line, "VoidFlag")) or _flag(_attr(line, "CancelFlag"))
    moment = src.timestamp(line, "DateTime")
    if moment is not None:
        parts.times.append(moment)
    for part in line:
        name = _local(part)
        if name in ITEM_TAGS:
            parts.lines.append(_item_line(line, part, len(parts.lines) + 1, src))
        elif voided:
            continue
        elif name == "Tender":
            parts.rounding += _rounding(part, src)
            tender = _tender(part, src)
            if tender is not None:
                parts.tenders.append(tender)
        elif name == "Tax":
            parts.tax = (parts.tax or ZERO) + (src.decimal(part, "Amount") or ZERO)
        elif name in {"Discount", "RetailPriceModifier"}:
            parts.discount += abs(src.decimal(part, "Amount") or ZERO)
        elif name == "LoyaltyReward":
            parts.discount += _reward_discount(part, src)
        elif name == "LoyaltyMembership":
            parts.customer_id = parts.customer_id or _text(part, "LoyaltyID")


def _totals(retail: Element, src: _Source) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for total in _children(retail, "Total"):
        value = src.decimal(total)
        kind = _attr(total, "TotalType")
        if value is not None and kind:
            totals.setdefault(kind, value)
    return totals


def _kind(lines: list[dict[str, Any]], training: bool) -> str:
    if training:
        return "training"
    kept = [line for line in lines if not line["line_voided"]] or lines
    returned = sum(1 for line in kept if line["_returned"])
    if returned and returned == len(kept):
        return "return"
    return "exchange" if returned else "sale"


def _retail_status(retail: Element, header: _Header) -> str:
    if header.cancelled:
        return "cancelled"
    return STATUSES.get(_normal(_attr(retail, "TransactionStatus")), "completed")


def _override_employee(tx: Element) -> str | None:
    for el in tx.iter():
        name = _local(el)
        if name in APPROVER_TAGS and el.text and el.text.strip():
            return str(el.text).strip()
        override = _attr(el, "OperatorOverride") if name == "LineItem" else None
        if override and override.lower() not in {"true", "false", "1", "0"}:
            return override
    return None


def _link(retail: Element, pattern: re.Pattern[str]) -> Element | None:
    """A ``TransactionLink`` (at transaction or line level) whose reason matches."""
    for el in retail.iter():
        if _local(el) == "TransactionLink" and pattern.search(_attr(el, "ReasonCode") or ""):
            return el
    return None


def _retail(tx: Element, retail: Element, header: _Header, src: _Source) -> _Converted:
    """A sale, return or exchange (or a training one), with its lines and tenders."""
    parts = _RetailParts()
    for line in _children(retail, "LineItem"):
        _read_line_item(line, parts, src)
    receipt_time = src.timestamp(retail, "ReceiptDateTime")
    started = header.begin or min(parts.times, default=None) or header.end or receipt_time
    if started is None:
        raise src.error(tx, "transaction has no BeginDateTime, EndDateTime or ReceiptDateTime")
    header.end = header.end or receipt_time
    converted = _identity(tx, header, started, src)
    kind = _kind(parts.lines, header.training)
    if kind == "return":
        for tender in parts.tenders:
            tender["amount"] = -abs(tender["amount"])
    converted.lines, converted.tenders = parts.lines, parts.tenders
    converted.row.update(_amounts(retail, parts, kind, _retail_status(retail, header), src))
    converted.row.update(_return_link(retail, kind, src))
    converted.row["kind"] = kind
    converted.row["customer_id"] = (
        parts.customer_id
        or _text(retail, "Customer", "CustomerID")
        or _text(retail, "LoyaltyAccount", "LoyaltyAccountID")
    )
    converted.row["override_employee_id"] = _override_employee(tx)
    return converted


def _return_link(retail: Element, kind: str, src: _Source) -> dict[str, Any]:
    """The sale a return points at; a linked return is one whose receipt was looked up. An
    unlinked return leaves receipt_present empty: the log does not say."""
    original = _link(retail, RETURN_REASON) if kind in {"return", "exchange"} else None
    if original is None:
        return {}
    return {"original_transaction_id": _linked_id(original, src), "receipt_present": True}


def _amounts(
    retail: Element, parts: _RetailParts, kind: str, status: str, src: _Source
) -> dict[str, Any]:
    """subtotal, discount_total, tax, total and status of a retail transaction."""
    kept = [line for line in parts.lines if not line["line_voided"]]
    totals = _totals(retail, src)
    tendered = sum(
        (tender["amount"] - (tender["change_due"] or ZERO) for tender in parts.tenders), ZERO
    )
    reported = totals.get("TransactionGrandAmount", totals.get("TransactionNetAmount"))
    tax = totals.get("TransactionTaxAmount", parts.tax)
    subtotal = sum((line["extended_amount"] for line in kept), ZERO)
    discount = parts.discount + sum((line["discount_amount"] for line in kept), ZERO)
    if status == "cancelled" or (reported is None and parts.tenders):
        total = tendered
    elif reported is not None:
        total = reported + parts.rounding
    else:
        total = subtotal - discount + (tax or ZERO)
    if kind == "return":
        total = -abs(total)
    return {
        "subtotal": subtotal,
        "discount_total": discount,
        "tax": tax,
        "total": total,
        "status": status,
    }


# --- control and tender-control transactions -------------------------------------------------


def _control_kind(control: Element) -> str:
    """``sign_on_off``, ``post_void``, ``no_sale``, or the name of what it is instead."""
    names = [_local(child) for child in control if _local(child)]
    reason = _text(control, "ReasonCode") or ""
    event = _normal(_text(control, "ApplicationEvent"))
    if SIGN_ON_OFF_TAGS.intersection(names) or SIGN_ON_OFF_REASON.search(reason):
        return "sign_on_off"
    if POST_VOID_TAGS.intersection(names):
        return "post_void"
    if "NoSale" in names or NO_SALE_REASON.search(reason) or event in NO_SALE_EVENTS:
        return "no_sale"
    described = [name for name in names if name not in {"ReasonCode", "Version"}]
    return described[0] if described else "empty"


def _no_sale(tx: Element, header: _Header, src: _Source) -> _Converted:
    started = header.begin or header.end
    if started is None:
        raise src.error(tx, "no-sale has no BeginDateTime or EndDateTime")
    converted = _identity(tx, header, started, src)
    converted.row["kind"] = "training" if header.training else "no_sale"
    return converted


def _paid_in_out(tx: Element, control: Element, header: _Header, src: _Source) -> _Converted | None:
    """Cash put into (PaidIn) or taken out of (PaidOut) the drawer, outside a sale."""
    for action in control:
        name = _local(action)
        if name not in {"PaidIn", "PaidOut"}:
            continue
        amount = next((src.decimal(el) for el in action.iter() if _local(el) == "Amount"), None)
        if amount is None:
            raise src.error(action, f"{name} has no Amount")
        started = header.begin or header.end
        if started is None:
            raise src.error(tx, f"{name} has no BeginDateTime or EndDateTime")
        converted = _identity(tx, header, started, src)
        amount = abs(amount) if name == "PaidIn" else -abs(amount)
        tender = next((el for el in action.iter() if _local(el) == "Tender"), None)
        converted.row.update(
            kind="paid_in" if name == "PaidIn" else "paid_out", subtotal=amount, total=amount
        )
        tender_type = "cash" if tender is None else _tender_type(tender)
        converted.tenders = [{"tender_type": tender_type, "amount": amount}]
        return converted
    return None


# --- the converter ----------------------------------------------------------------------------


class PoslogConverter:
    """Streams POSLog files into a contract data set folder; :meth:`finish` completes it."""

    def __init__(self, out_dir: Path, zone: datetime.tzinfo, store_timezone: str | None) -> None:
        self.out_dir = out_dir
        self.zone = zone
        self.store_timezone = store_timezone
        self.report = ConversionReport()
        self.stores: dict[str, dict[str, Any]] = {}
        self.employees: dict[str, dict[str, Any]] = {}
        self.seen: set[str] = set()
        self.post_voids: dict[str, _PostVoid] = {}
        self.lines = TableWriter(out_dir, "line_items")
        self.tenders = TableWriter(out_dir, "tenders")
        self.staging_path = out_dir / ".transactions.staging.jsonl"
        self.staging = self.staging_path.open("w", encoding="utf-8")

    # reading

    def read(self, path: Path) -> None:
        """Convert every ``<Transaction>`` of one file, clearing each one once done."""
        src = _Source(str(path), self.zone)
        depth = 0
        current: Element | None = None  # the innermost open element, for error messages
        try:
            for event, el in _events(path):
                if event == "start":
                    depth += 1
                    current = el
                    if depth == 1:
                        _check_root(el, src)
                    continue
                depth -= 1
                current = el.getparent()
                if depth == 1:
                    if _local(el) == "Transaction":
                        self._transaction(el, src)
                    _forget(el)
        except etree.XMLSyntaxError as error:
            # libxml2 names the line and column; the open elements say where in the document
            # that was (as far as events were delivered before the parser stopped).
            where = "document" if current is None else _path(current)
            reason = " ".join(str(error.msg).split())  # libxml2 ends some with a line break
            problem = f"not well-formed XML (truncated or corrupt): {reason}"
            if "line" not in reason:
                problem += f", line {error.lineno}"
            raise ContractError(str(path), problem, element=where) from None
        except OSError as error:
            raise ContractError(str(path), f"cannot be read: {error.strerror or error}") from None
        self.report.files += 1
        logger.info("read %s (%s transactions so far)", path, len(self.seen))

    def _transaction(self, tx: Element, src: _Source) -> None:
        header = _read_header(tx, src)
        _check_people(header, tx, src)
        self._remember_people(header)
        retail = _child(tx, "RetailTransaction")
        control = _child(tx, "ControlTransaction")
        tender_control = _child(tx, "TenderControlTransaction")
        if retail is not None:
            void_link = _link(retail, VOID_REASON)
            if void_link is not None:
                self._post_void(void_link, header, src)
                return
            self._emit(_checked(_retail(tx, retail, header, src), tx, src))
        elif control is not None:
            self._control(tx, control, header, src)
        elif tender_control is not None:
            converted = _paid_in_out(tx, tender_control, header, src)
            if converted is None:
                self._skip(f"unsupported TenderControlTransaction/{_first_child(tender_control)}")
            else:
                self._emit(_checked(converted, tx, src))
        else:
            self._skip(f"unsupported transactions with {_first_child(tx, skip_header=True)}")

    def _control(self, tx: Element, control: Element, header: _Header, src: _Source) -> None:
        kind = _control_kind(control)
        if kind == "sign_on_off":
            self.report.notes["operator sign-on/sign-off records (not transactions)"] += 1
        elif kind == "post_void":
            action = next(child for child in control if _local(child) in POST_VOID_TAGS)
            link = _child(action, "TransactionLink")
            self._post_void(action if link is None else link, header, src)
        elif kind == "no_sale":
            self._emit(_checked(_no_sale(tx, header, src), tx, src))
        else:
            self._skip(f"unsupported ControlTransaction/{kind}")

    def _post_void(self, link: Element, header: _Header, src: _Source) -> None:
        target = _linked_id(link, src)
        if target is None:
            self._skip("post-void records that do not say which transaction they void")
            return
        mark = _PostVoid(employee_id=header.employee_id, at=header.end or header.begin)
        self.post_voids[target] = mark
        self.report.notes["post-void records (applied to the transaction they void)"] += 1

    def _skip(self, reason: str) -> None:
        logger.debug("skipped: %s", reason)
        self.report.skipped[reason] += 1

    def _remember_people(self, header: _Header) -> None:
        if header.store_id and header.store_id not in self.stores:
            self.stores[header.store_id] = {
                "store_id": header.store_id,
                "timezone": self.store_timezone,
            }
        if header.employee_id and header.store_id and header.employee_id not in self.employees:
            self.employees[header.employee_id] = _employee(
                header.employee_id, header.store_id, header.employee_name, header.role
            )

    # writing

    def _emit(self, converted: _Converted) -> None:
        transaction_id = converted.row["transaction_id"]
        if transaction_id in self.seen:
            self._skip("duplicate transactions (a transaction_id seen before)")
            return
        self.seen.add(transaction_id)
        approver = converted.row.get("override_employee_id")
        if approver and approver not in self.employees:
            # Known only as the one who approved an override: a supervisor, at that store.
            store_id = converted.row["store_id"]
            self.employees[approver] = _employee(approver, store_id, None, "supervisor")
        for line in converted.lines:
            self.lines.write({**line, "transaction_id": transaction_id})
            self.report.voided_lines += bool(line["line_voided"])
        for tender in converted.tenders:
            self.tenders.write({**tender, "transaction_id": transaction_id})
        staged = {
            column.name: format_value(converted.row.get(column.name), column.type)
            for column in TRANSACTIONS.columns
        }
        staged["_key"] = converted.link_key
        self.staging.write(json.dumps(staged) + "\n")

    def finish(self) -> ConversionReport:
        """Write transactions (with post-voids applied), stores and employees; close all."""
        self.staging.close()
        self.lines.close()
        self.tenders.close()
        with TableWriter(self.out_dir, "transactions") as writer:
            for row in self._staged_rows():
                writer.write(row)
                self.report.kinds[row["kind"]] += 1
                self.report.statuses[row["status"]] += 1
            self.report.rows["transactions"] = writer.rows
        self.staging_path.unlink()
        unapplied = {id(mark) for mark in self.post_voids.values() if not mark.applied}
        if unapplied:
            self.report.skipped["post-voids of transactions not in the source"] += len(unapplied)
        self.report.rows["line_items"] = self.lines.rows
        self.report.rows["tenders"] = self.tenders.rows
        self.report.rows["stores"] = write_table(self.out_dir, "stores", self.stores.values())
        self.report.rows["employees"] = write_table(
            self.out_dir, "employees", self.employees.values()
        )
        return self.report

    def _staged_rows(self) -> Iterator[dict[str, Any]]:
        with self.staging_path.open(encoding="utf-8") as staged:
            for text in staged:
                row = _revive(json.loads(text))
                key = row.pop("_key")
                mark = self.post_voids.get(row["transaction_id"]) or self.post_voids.get(key)
                if mark is not None:
                    row.update(
                        status="post_voided",
                        post_void_employee_id=mark.employee_id,
                        post_voided_at=mark.at,
                    )
                    mark.applied = True
                yield row

    def close(self) -> None:
        """Release files after an error (the caller removes the folder)."""
        for handle in (self.lines, self.tenders):
            handle.close()
        self.staging.close()


def _employee(employee_id: str, store_id: str, name: str | None, role: str) -> dict[str, Any]:
    return {"employee_id": employee_id, "store_id": store_id, "name": name, "role": role}


def _first_child(el: Element, *, skip_header: bool = False) -> str:
    header = {"RetailStoreID", "BusinessUnit", "WorkstationID", "TillID", "SequenceNumber"}
    header |= {"TransactionID", "OperatorID", "CurrencyCode", "BusinessDayDate"}
    header |= {"BeginDateTime", "EndDateTime", "ReceiptImage"}
    for child in el:
        name = _local(child)
        if name and not (skip_header and name in header):
            return name
    return "no content"


def _revive(staged: dict[str, str]) -> dict[str, Any]:
    """A staged transaction row back to Python values, so TableWriter formats it once more."""
    row: dict[str, Any] = {"_key": staged.get("_key", "")}
    for column in TRANSACTIONS.columns:
        text = staged.get(column.name, "")
        row[column.name] = _typed(text, column.type) if text else None
    return row


def _typed(text: str, type_: str) -> Any:
    if type_ == "dec":
        return Decimal(text)
    if type_ == "ts":
        return datetime.datetime.fromisoformat(text)
    if type_ == "date":
        return datetime.date.fromisoformat(text)
    if type_ == "bool":
        return text == "true"
    if type_ == "int":
        return int(text)
    return text


def _events(path: Path) -> Iterable[tuple[str, Element]]:
    """Start and end events with every entity, DTD and network feature of libxml2 off."""
    return etree.iterparse(  # type: ignore[no-any-return]
        str(path),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )


def _check_root(root: Element, src: _Source) -> None:
    """Refuse entity declarations and external DTDs before reading anything else; POSLog
    needs neither, and they are how XXE and billion-laughs attacks work."""
    docinfo = root.getroottree().docinfo
    dtd = docinfo.internalDTD
    if docinfo.system_url or docinfo.public_id or (dtd is not None and any(dtd.iterentities())):
        raise ContractError(
            src.name,
            "has a DOCTYPE with entity declarations or an external DTD; POSLog needs neither "
            "and such files are refused (XXE / entity expansion)",
            element="DOCTYPE",
        )
    if _local(root) != "POSLog":
        raise src.error(root, f"root element is {_local(root)!r}, expected 'POSLog'")


def _forget(el: Element) -> None:
    """Free a converted transaction and the empty shells of those before it."""
    el.clear()
    parent = el.getparent()
    while parent is not None and el.getprevious() is not None:
        del parent[0]


def _zone(timezone: str | None) -> datetime.tzinfo:
    if timezone is None:
        return datetime.UTC
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ContractError(
            "--timezone", f"unknown time zone {timezone!r}; use an IANA name such as Europe/Oslo"
        ) from None


def convert(
    files: Sequence[Path], out_dir: Path, *, timezone: str | None = None
) -> ConversionReport:
    """Convert POSLog ``files`` into the contract tables in ``out_dir`` (which the caller
    removes if this raises)."""
    converter = PoslogConverter(out_dir, _zone(timezone), timezone)
    try:
        for path in files:
            converter.read(path)
        return converter.finish()
    finally:
        converter.close()
