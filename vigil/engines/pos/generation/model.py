"""Transactions as the generator builds them, with every amount in integer cents.

Cents keep the arithmetic exact and fast; :func:`money` turns them into the contract's
two-place decimals only when a row is written. The totals follow one rule everywhere:
``total = subtotal - discount_total + tax``, where voided lines count for nothing, and for a
tendered transaction the tender amounts add up to the total (``change_due`` is cash handed back
on top, so the customer gave ``amount + change_due``). A cancelled transaction keeps the total
that would have been due but has no tenders (nothing was paid); training-mode sales carry the
tenders the trainee rang.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from vigil.engines.pos.generation.catalogue import Product

CASH_BILLS = (500, 1000, 2000, 5000, 10000)


CACHED_CENTS = 100_000  # amounts under 1,000.00 recur so often that their text is cached
_money_text: dict[int, str] = {}


def money(cents: int) -> str:
    """Cents as contract text: ``-12.30``."""
    text = _money_text.get(cents)
    if text is None:
        sign = "-" if cents < 0 else ""
        magnitude = -cents if cents < 0 else cents
        text = f"{sign}{magnitude // 100}.{magnitude % 100:02d}"
        if magnitude < CACHED_CENTS:
            _money_text[cents] = text
    return text


def round_div(numerator: int, denominator: int) -> int:
    """Integer division rounded half away from zero, as tills round tax and discounts."""
    quotient, remainder = divmod(abs(numerator), denominator)
    if remainder * 2 >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


@dataclass(slots=True)
class Line:
    """One item line. Returned items have a negative quantity."""

    product: Product
    quantity: int
    unit_price: int
    discount: int = 0
    discount_reason: str = ""
    entry_method: str = "scanned"
    price_override: bool = False
    voided: bool = False

    @property
    def extended(self) -> int:
        return self.quantity * self.unit_price


@dataclass(slots=True)
class Tender:
    """One tender line; negative for a refund."""

    tender_type: str
    amount: int
    card_token: str = ""
    change_due: int = 0


@dataclass(slots=True)
class Txn:
    """One POS transaction with its lines and tenders."""

    transaction_id: str
    store_id: str
    register_id: str
    employee_id: str
    business_date: date
    started_at: datetime
    ended_at: datetime
    kind: str = "sale"
    status: str = "completed"
    lines: list[Line] = field(default_factory=list)
    tenders: list[Tender] = field(default_factory=list)
    customer_id: str = ""
    original_transaction_id: str = ""
    receipt_present: bool | None = None
    override_employee_id: str = ""
    post_void_employee_id: str = ""
    post_voided_at: datetime | None = None
    subtotal: int = 0
    discount_total: int = 0
    tax: int = 0
    total: int = 0

    def settle(self, tax_rate_bp: int) -> int:
        """Work out subtotal, discounts, tax and total from the live lines; the total."""
        subtotal = discount = taxable = 0
        for line in self.lines:
            if line.voided:
                continue
            extended = line.quantity * line.unit_price
            subtotal += extended
            discount += line.discount
            if line.product.taxable:
                taxable += extended - line.discount
        self.subtotal = subtotal
        self.discount_total = discount
        self.tax = round_div(taxable * tax_rate_bp, 10000)
        self.total = subtotal - discount + self.tax
        return self.total

    def pay(self, tender_type: str, card_token: str = "") -> None:
        """One tender for the whole total (cash gets change back from the next bill up)."""
        change = 0
        if tender_type == "cash" and self.total > 0:
            bill = next((b for b in CASH_BILLS if b >= self.total), self.total)
            change = bill - self.total if bill != self.total else 0
        token = "" if tender_type == "cash" else card_token
        self.tenders.append(Tender(tender_type, self.total, token, change))

    def split_pay(self, first_type: str, first_token: str, first_cap: int, rest_token: str) -> None:
        """Pay up to ``first_cap`` with one tender (a gift card) and the rest by credit card."""
        first = min(first_cap, self.total)
        self.tenders.append(Tender(first_type, first, first_token))
        if self.total > first:
            self.tenders.append(Tender("credit", self.total - first, rest_token))

    @property
    def live_lines(self) -> list[Line]:
        return [line for line in self.lines if not line.voided]
