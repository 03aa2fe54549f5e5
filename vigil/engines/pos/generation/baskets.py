"""Honest transactions: the everyday background every exception must be judged against.

Honest people make exceptions too, at low rates: a supervisor post-voids a sale the customer
changed their mind about, a price match needs an override, a barcode will not scan and the
item is keyed, a line is voided and rung again, a customer walks away before paying, the
drawer is opened for change. Staff buy with their employee discount on their own loyalty id.
Returns mostly come with a receipt and go back to the card or cash they were paid with;
returns without a receipt get store credit, or cash when small.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from itertools import accumulate

from vigil.engines.pos.generation.catalogue import Product
from vigil.engines.pos.generation.context import ORIGINAL_SAMPLE, Original, Shift, World
from vigil.engines.pos.generation.model import Line, Txn, round_div
from vigil.engines.pos.generation.people import Customer, Employee, card_token, gift_card_token
from vigil.engines.pos.generation.plan import Planted, Scheme
from vigil.engines.pos.generation.seeds import weighted_choice

# Items per basket at a staffed lane (mean about 4.4) and at self-checkout (about 2.6).
LANE_SIZES = tuple(range(1, 21))
LANE_CUMULATIVE = tuple(
    accumulate((14, 14, 13, 11, 9, 8, 6, 5, 4, 3.5, 3, 2.5, 2, 1.5, 1.2, 1, 0.8, 0.6, 0.5, 0.4))
)
SCO_SIZES = tuple(range(1, 9))
SCO_CUMULATIVE = tuple(accumulate((30, 24, 16, 11, 8, 5, 3.5, 2.5)))
TENDERS = ("credit", "debit", "cash", "mobile", "gift_card", "check")
TENDER_CUMULATIVE = tuple(accumulate((45, 27, 17, 6, 4, 1)))
LOYALTY_SHARE = 0.45
EMPLOYEE_DISCOUNT_PCT = 15
KEYED_SHARE = 0.015
PROMO_SHARE = 0.08
COUPON_SHARE = 0.03

# Honest exceptions on staffed-lane sales, as cumulative probabilities of one draw per sale.
HONEST_EXCEPTIONS = (
    ("supervisor_post_void", 0.004),  # the customer changed their mind; re-rung after
    ("price_match", 0.010),  # a competitor's price honoured, approved by the supervisor
    ("employee_purchase", 0.016),  # a colleague shopping on their own loyalty id
    ("line_void", 0.028),  # a line rung twice or the customer put it back
    ("own_post_void", 0.0285),  # a cashier allowed to reverse their own mistake
    ("discount_slip", 0.0289),  # employee discount given to a customer by mistake
)
SCO_LINE_VOID = 0.015
LEARNING_LINE_VOID = 0.06


def basket_size(world: World, self_checkout: bool) -> int:
    if self_checkout:
        return weighted_choice(world.rng, SCO_SIZES, SCO_CUMULATIVE)
    return weighted_choice(world.rng, LANE_SIZES, LANE_CUMULATIVE)


def lines_for(world: World, products: list[Product]) -> list[Line]:
    """Item lines at shelf price: produce looked up, a few barcodes keyed, some promotions."""
    rng = world.rng
    lines = []
    for product in products:
        quantity = 1 if product.department != "grocery" or rng.random() < 0.7 else 2
        keyed = rng.random() < KEYED_SHARE
        entry = "lookup" if product.lookup else "keyed" if keyed else "scanned"
        line = Line(product, quantity, product.price, entry_method=entry)
        roll = rng.random()
        if roll < PROMO_SHARE:
            line.discount = round_div(line.extended * rng.choice((10, 15, 20, 25, 30)), 100)
            line.discount_reason = "promo"
        elif roll < PROMO_SHARE + COUPON_SHARE:
            line.discount = min(line.extended // 2, rng.choice((50, 100, 150, 200)))
            line.discount_reason = "coupon"
        lines.append(line)
    return lines


def tender_choice(world: World, customer: Customer | None) -> tuple[str, str]:
    """How a customer pays, and with which card: a loyalty customer's card never changes."""
    rng = world.rng
    if customer is not None and customer.pays_cash and rng.random() < 0.7:
        return "cash", ""
    kind = weighted_choice(rng, TENDERS, TENDER_CUMULATIVE)
    if kind in ("cash", "check"):
        return kind, ""
    if kind == "gift_card":
        return kind, gift_card_token(rng)
    return kind, customer.card_token if customer is not None else card_token(rng)


def ring(
    world: World, shift: Shift, at: int, room: int, lines: list[Line], kind: str = "sale"
) -> Txn:
    """A transaction with these lines, timed and totalled but not yet paid."""
    txn = world.open_txn(shift, at, world.duration(len(lines), room), kind)
    txn.lines = lines
    txn.settle(shift.store.tax_rate_bp)
    return txn


def remember_sale(world: World, shift: Shift, txn: Txn) -> None:
    """Keep some completed single-tender sales for later receipted returns."""
    if world.rng.random() >= ORIGINAL_SAMPLE or len(txn.tenders) != 1 or txn.total <= 0:
        return
    items = tuple(
        (line.product, line.quantity, round_div(line.extended - line.discount, line.quantity))
        for line in txn.live_lines
    )
    tender = txn.tenders[0]
    world.remember(
        shift.store,
        Original(txn.transaction_id, items, tender.tender_type, tender.card_token, txn.customer_id),
    )


def sale(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """An ordinary sale at a lane or self-checkout, with the honest exceptions at their rates."""
    rng = world.rng
    lines = lines_for(world, world.catalogue.basket(rng, basket_size(world, shift.self_checkout)))
    customer = world.customer(shift.store) if rng.random() < LOYALTY_SHARE else None
    if shift.planted is not None and shift.planted.does(Scheme.KEYED_NOT_SCANNED):
        _key_some(world, shift.planted, lines)
    exception = _honest_exception(world, shift)
    if shift.learning and not exception and rng.random() < LEARNING_LINE_VOID:
        _void_a_line(world, lines, rerung=True)
    if exception == "employee_purchase":
        shopper = _employee_shopper(world, shift)
        if shopper is not None:
            return [_employee_purchase(world, shift, at, room, lines, shopper)]
    elif exception == "price_match":
        _price_match(world, lines)
    elif exception == "line_void":
        _void_a_line(world, lines, rerung=rng.random() < 0.5)
    elif exception == "discount_slip":
        for line in lines:
            _employee_discount(line)
    txn = ring(world, shift, at, room, lines)
    if exception == "price_match":
        txn.override_employee_id = shift.approver.employee_id
    _pay(world, txn, customer)
    if exception == "supervisor_post_void":
        post_void(txn, shift.approver, rng.randint(40, 360))
    elif exception == "own_post_void" and shift.operator is not None:
        post_void(txn, shift.operator, rng.randint(20, 150))
    else:
        remember_sale(world, shift, txn)
    return [txn]


def _honest_exception(world: World, shift: Shift) -> str:
    """Which honest exception, if any, this sale carries (self-checkout only has voids)."""
    roll = world.rng.random()
    if shift.self_checkout:
        return "line_void" if roll < SCO_LINE_VOID else ""
    for name, limit in HONEST_EXCEPTIONS:
        if roll < limit:
            return name
    return ""


def _pay(world: World, txn: Txn, customer: Customer | None) -> Txn:
    tender_type, token = tender_choice(world, customer)
    txn.customer_id = customer.customer_id if customer is not None else ""
    txn.pay(tender_type, token)
    return txn


def post_void(txn: Txn, by: Employee, after_seconds: int) -> None:
    """Reverse a tendered transaction ``after_seconds`` after it ended."""
    txn.status = "post_voided"
    txn.post_void_employee_id = by.employee_id
    txn.post_voided_at = txn.ended_at + timedelta(seconds=after_seconds)


def _key_some(world: World, planted: Planted, lines: list[Line]) -> None:
    """A cashier keying items that should scan: on some sales, most of the scannable lines."""
    rng = world.rng
    if rng.random() >= planted.rates[Scheme.KEYED_NOT_SCANNED]:
        return
    keyed = 0
    for line in lines:
        if line.entry_method == "scanned" and rng.random() < 0.5:
            line.entry_method = "keyed"
            keyed += 1
    if keyed:
        planted.events[Scheme.KEYED_NOT_SCANNED] += 1


def _void_a_line(world: World, lines: list[Line], *, rerung: bool) -> None:
    """A line rung by mistake and voided; often the item is then rung again correctly."""
    line = lines[world.rng.randrange(len(lines))]
    line.voided = True
    if rerung:
        lines.append(Line(line.product, line.quantity, line.unit_price, entry_method="scanned"))


def _price_match(world: World, lines: list[Line]) -> None:
    """A competitor's price honoured: 5-25 % off one line."""
    line = world.rng.choice(lines)
    line.unit_price = round_div(line.unit_price * world.rng.randint(75, 95), 100)
    line.price_override = True
    line.discount = 0
    line.discount_reason = ""


def _employee_discount(line: Line) -> None:
    line.discount = round_div(line.extended * EMPLOYEE_DISCOUNT_PCT, 100)
    line.discount_reason = "employee"


def _employee_shopper(world: World, shift: Shift) -> Employee | None:
    shoppers = world.shoppers[shift.store.store_id]
    if not shoppers:
        return None
    shopper = world.rng.choice(shoppers)
    return None if shopper is shift.operator else shopper


def _employee_purchase(
    world: World, shift: Shift, at: int, room: int, lines: list[Line], shopper: Employee
) -> Txn:
    """A colleague buying with the employee discount on their own loyalty id and own card."""
    for line in lines:
        _employee_discount(line)
    txn = ring(world, shift, at, room, lines)
    txn.customer_id = shopper.customer_id
    txn.pay(world.rng.choice(("credit", "debit")), shopper.card_token)
    return txn


def cancelled(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """A customer who walks away before paying: a few items, cancelled before tender."""
    products = world.catalogue.basket(world.rng, world.rng.randint(1, 3))
    txn = ring(world, shift, at, room, lines_for(world, products))
    txn.status = "cancelled"
    return [txn]


def learning_cancel(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """A new hire's mistake: a small sale cancelled and rung again at once, and paid."""
    half = max(10, room // 2)
    products = world.catalogue.basket(world.rng, world.rng.randint(1, 3))
    first = ring(world, shift, at, half, lines_for(world, products))
    first.status = "cancelled"
    again = ring(world, shift, at + half, room - half, lines_for(world, products))
    customer = world.customer(shift.store) if world.rng.random() < LOYALTY_SHARE else None
    again.customer_id = customer.customer_id if customer is not None else ""
    if world.rng.random() < 0.8:
        token = customer.card_token if customer is not None else card_token(world.rng)
        again.pay(world.rng.choice(("credit", "debit")), token)
    else:
        again.pay("cash")
    return [first, again]


def no_sale(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """The drawer opened with nothing sold (change for the next lane, a till check)."""
    txn = world.open_txn(shift, at, min(room, world.rng.randint(5, 30)), "no_sale")
    return [txn]


def lane_return(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """A return at a lane: almost always with the receipt."""
    return [refund_honestly(world, shift, at, room, receipt_share=0.9)]


def desk_return(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """A return at the service desk: the desk's daily work, many without a receipt."""
    outlet = shift.store.store_id == world.plan.returns_store
    return [refund_honestly(world, shift, at, room, receipt_share=0.85 if outlet else 0.7)]


def refund_honestly(world: World, shift: Shift, at: int, room: int, receipt_share: float) -> Txn:
    rng = world.rng
    original = world.take_original(shift.store) if rng.random() < receipt_share else None
    if original is not None:
        return receipted_return(world, shift, at, room, original)
    products = world.catalogue.basket(rng, rng.choice((1, 1, 1, 2)))
    lines = [
        Line(p, -1, p.price, entry_method="lookup" if p.lookup else "scanned") for p in products
    ]
    txn = ring(world, shift, at, room, lines, "return")
    txn.receipt_present = False
    customer = world.customer(shift.store) if rng.random() < 0.75 else None
    txn.customer_id = customer.customer_id if customer is not None else ""
    cash = txn.total > -2500 and rng.random() < 0.25
    txn.pay("cash" if cash else "store_credit")
    return txn


def receipted_return(
    world: World, shift: Shift, at: int, room: int, original: Original, *, whole: bool = False
) -> Txn:
    """Some (or, when ``whole``, all) of an earlier sale brought back, refunded the way it was
    paid."""
    rng = world.rng
    items = list(original.items)
    if not whole and len(items) > 1 and rng.random() < 0.6:
        items = rng.sample(items, rng.randint(1, len(items) - 1))
    lines = [Line(product, -quantity, net) for product, quantity, net in items]
    txn = ring(world, shift, at, room, lines, "return")
    txn.receipt_present = True
    txn.original_transaction_id = original.transaction_id
    txn.customer_id = original.customer_id
    refund_type = {"check": "cash"}.get(original.tender_type, original.tender_type)
    txn.pay(refund_type, original.card_token)
    return txn


def exchange(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """One item brought back (with its receipt when there is one) and a dearer one taken;
    the customer pays the difference."""
    rng = world.rng
    original = world.take_original(shift.store) if rng.random() < 0.6 else None
    if original is not None:
        back, _, price = rng.choice(original.items)
    else:
        back = world.catalogue.basket(rng, 1)[0]
        price = back.price
    dearer = [p for p in world.catalogue.basket(rng, 4) if p.price >= price] or [back]
    lines = [Line(back, -1, price), Line(dearer[0], 1, dearer[0].price)]
    txn = ring(world, shift, at, room, lines, "exchange")
    txn.receipt_present = original is not None
    if original is not None:
        txn.original_transaction_id = original.transaction_id
        txn.customer_id = original.customer_id
    if txn.total != 0:
        tender_type, token = tender_choice(world, None)
        txn.pay("cash" if tender_type in ("gift_card", "check") else tender_type, token)
    return [txn]


def desk_sale(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """A small sale at the service desk (stamps, a forgotten item)."""
    lines = lines_for(world, world.catalogue.basket(world.rng, world.rng.randint(1, 2)))
    txn = ring(world, shift, at, room, lines)
    _pay(world, txn, None)
    remember_sale(world, shift, txn)
    return [txn]


@dataclass
class PaidOut:
    """The manager paying a supplier or a refund of a deposit out of the desk drawer."""

    manager: Employee

    def build(self, world: World, shift: Shift, at: int, room: int) -> list[Txn]:
        txn = world.open_txn(shift, at, min(room, 60), "paid_out")
        txn.employee_id = self.manager.employee_id
        txn.total = txn.subtotal = -world.rng.randint(500, 6000)
        txn.pay("cash")
        return [txn]


@dataclass
class ManagerTraining:
    """A manager showing a new starter the till in training mode, during opening hours."""

    manager: Employee

    def build(self, world: World, shift: Shift, at: int, room: int) -> list[Txn]:
        lines = lines_for(world, world.catalogue.basket(world.rng, world.rng.randint(1, 3)))
        txn = ring(world, shift, at, room, lines, "training")
        txn.employee_id = self.manager.employee_id
        txn.pay("cash")
        return [txn]


HONEST_BUILDERS = {
    "sale": sale,
    "cancelled": cancelled,
    "learning_cancel": learning_cancel,
    "no_sale": no_sale,
    "lane_return": lane_return,
    "desk_return": desk_return,
    "exchange": exchange,
    "desk_sale": desk_sale,
}
