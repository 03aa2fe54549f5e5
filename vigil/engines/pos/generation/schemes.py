"""Dishonest transactions: what each planted scheme looks like at the register.

Each builder rings one scheme event for the shift's planted employee and counts it, so the
truth file can say how many events a scanner had to find. The values are kept plausible
(tens of dollars, the odd fragrance or pair of earbuds) because real internal theft hides in
ordinary-looking transactions; it is the repetition, not any single one, that gives it away.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from vigil.engines.pos.generation.baskets import (
    lines_for,
    post_void,
    receipted_return,
    ring,
)
from vigil.engines.pos.generation.catalogue import Product
from vigil.engines.pos.generation.context import (
    Builder,
    Original,
    Shift,
    Spec,
    World,
    transaction_prefix,
)
from vigil.engines.pos.generation.model import Line, Txn, round_div
from vigil.engines.pos.generation.people import Customer, card_token, gift_card_token
from vigil.engines.pos.generation.plan import OrcReturner, Planted, Scheme

LANE_IDS = ("R01", "R02", "R03", "R04", "R05", "R06")
CASH_REFUND_PAIR = "cash_refund_pair"  # placeholder, split into sale and refund by position
CARD_SALE = "cash_refund_card_sale"
AFTER_HOURS = "after_hours"


def _planted(shift: Shift) -> Planted:
    assert shift.planted is not None, "a scheme builder ran on an honest shift"
    return shift.planted


def _counted(shift: Shift, scheme: Scheme, txns: list[Txn]) -> list[Txn]:
    _planted(shift).events[scheme] += 1
    return txns


def _friend(world: World, shift: Shift, share: float) -> Customer | None:
    """One of the employee's friends (a non-employee loyalty customer), ``share`` of the time."""
    friends = _planted(shift).friends
    if friends and world.rng.random() < share:
        return world.rng.choice(friends)
    return None


def _closest_friend(world: World, shift: Shift) -> Customer:
    """The friend who comes through the lane most (two visits in three), or the other one."""
    friends = _planted(shift).friends
    return friends[0] if world.rng.random() < 0.65 else friends[1]


def _pay_as(world: World, txn: Txn, customer: Customer | None) -> None:
    txn.customer_id = customer.customer_id if customer is not None else ""
    if customer is None or customer.pays_cash:
        txn.pay("cash")
    else:
        txn.pay("credit", customer.card_token)


def _refund(
    world: World,
    shift: Shift,
    at: int,
    room: int,
    products: list[Product],
    tender_type: str,
    token: str = "",
) -> Txn:
    """A return of ``products`` at shelf price without a receipt."""
    lines = [Line(p, -1, p.price) for p in products]
    txn = ring(world, shift, at, room, lines, "return")
    txn.receipt_present = False
    txn.pay(tender_type, token)
    return txn


def post_void_own_cash(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """A cash sale the cashier reverses a few minutes after the customer has left."""
    lines = lines_for(world, world.catalogue.basket(world.rng, world.rng.randint(2, 6)))
    txn = ring(world, shift, at, room, lines)
    txn.pay("cash")
    assert shift.operator is not None
    post_void(txn, shift.operator, world.rng.randint(60, 480))
    return _counted(shift, Scheme.POST_VOID_OWN_CASH, [txn])


def post_void_after_tender(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """A sale reversed long after tender, when no customer is there to see it."""
    rng = world.rng
    lines = lines_for(world, world.catalogue.basket(rng, rng.randint(2, 6)))
    txn = ring(world, shift, at, room, lines)
    if rng.random() < 0.6:
        txn.pay("cash")
    else:
        txn.pay("credit", card_token(rng))
    assert shift.operator is not None
    post_void(txn, shift.operator, rng.randint(15 * 60, 3 * 3600))
    return _counted(shift, Scheme.POST_VOID_AFTER_TENDER, [txn])


def return_no_receipt_cash(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """Goods that never came back, refunded in cash without a receipt."""
    products = world.catalogue.pricey_items(world.rng, world.rng.randint(1, 3))
    txn = _refund(world, shift, at, room, products, "cash")
    return _counted(shift, Scheme.RETURN_NO_RECEIPT_CASH, [txn])


def refund_same_card_repeat(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """A bogus refund to the employee's own card, again and again."""
    assert shift.operator is not None
    products = world.catalogue.pricey_items(world.rng, world.rng.randint(1, 3))
    txn = _refund(world, shift, at, room, products, "credit", shift.operator.card_token)
    return _counted(shift, Scheme.REFUND_SAME_CARD_REPEAT, [txn])


def refund_to_own_loyalty(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """A bogus return put through on the employee's own loyalty id."""
    assert shift.operator is not None
    products = world.catalogue.pricey_items(world.rng, world.rng.randint(1, 2))
    tender = "cash" if world.rng.random() < 0.6 else "store_credit"
    txn = _refund(world, shift, at, room, products, tender)
    txn.customer_id = shift.operator.customer_id
    return _counted(shift, Scheme.REFUND_TO_OWN_LOYALTY, [txn])


def refund_to_gift_card(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """A bogus return loaded onto a fresh gift card (sold on later for cash)."""
    products = world.catalogue.pricey_items(world.rng, world.rng.randint(1, 3))
    txn = _refund(world, shift, at, room, products, "gift_card", gift_card_token(world.rng))
    return _counted(shift, Scheme.REFUND_TO_GIFT_CARD, [txn])


def gift_card_load(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """A bogus refund onto a gift card that an accomplice spends at another store next day."""
    others = [store for store in world.stores if store is not shift.store]
    if not others or shift.day_index + 1 >= world.days:
        return []
    rng = world.rng
    token = gift_card_token(rng)
    products = world.catalogue.pricey_items(rng, rng.randint(2, 4))
    txn = _refund(world, shift, at, room, products, "gift_card", token)
    spend = GiftCardSpend(token, -txn.total, _planted(shift))
    world.inject(shift.day_index + 1, rng.choice(others).store_id, spend)
    return _counted(shift, Scheme.GIFT_CARD_LOAD_SPEND_ELSEWHERE, [txn])


@dataclass
class GiftCardSpend:
    """The accomplice's half of a gift-card load: high-value goods bought with the card."""

    token: str
    balance: int
    loaded_by: Planted

    def build(self, world: World, shift: Shift, at: int, room: int) -> list[Txn]:
        products: list[Product] = []
        while sum(p.price for p in products) < self.balance * 0.8:
            products.append(world.rng.choice(world.catalogue.craved))
        txn = ring(world, shift, at, room, [Line(p, 1, p.price) for p in products])
        txn.split_pay("gift_card", self.token, self.balance, card_token(world.rng))
        return [txn]


def no_sale_drawer(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """The drawer opened with nothing rung: cash goes in or out unrecorded."""
    txn = world.open_txn(shift, at, min(room, world.rng.randint(5, 40)), "no_sale")
    return _counted(shift, Scheme.NO_SALE_DRAWER, [txn])


def line_void_cash(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """Dear items rung, voided after the customer paid cash for all of them, not rung again."""
    rng = world.rng
    products = world.catalogue.basket(rng, rng.randint(2, 5))
    products += world.catalogue.pricey_items(rng, rng.randint(2, 3))
    lines = lines_for(world, products)
    for line in sorted(lines, key=lambda line: -line.unit_price)[: rng.randint(2, 3)]:
        line.voided = True
    txn = ring(world, shift, at, room, lines)
    txn.pay("cash")
    return _counted(shift, Scheme.LINE_VOID_CASH, [txn])


def cancelled_after_items(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """A full basket rung, the customer pays cash, the cashier cancels and keeps the cash."""
    rng = world.rng
    products = world.catalogue.basket(rng, rng.randint(2, 5))
    products += world.catalogue.pricey_items(rng, rng.randint(1, 3))
    txn = ring(world, shift, at, room, lines_for(world, products))
    txn.status = "cancelled"
    return _counted(shift, Scheme.CANCELLED_AFTER_ITEMS, [txn])


def price_override_deep(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """Dear items overridden to a fraction of their price, often for a friend."""
    rng = world.rng
    lines = lines_for(world, world.catalogue.basket(rng, rng.randint(1, 4)))
    for product in world.catalogue.craved_items(rng, rng.randint(1, 2)):
        factor = rng.randint(10, 45)
        lines.append(Line(product, 1, round_div(product.price * factor, 100), price_override=True))
    txn = ring(world, shift, at, room, lines)
    if rng.random() < 0.5:
        txn.override_employee_id = shift.approver.employee_id
    _pay_as(world, txn, _friend(world, shift, 0.6))
    return _counted(shift, Scheme.PRICE_OVERRIDE_DEEP, [txn])


def employee_discount_non_employee(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """The staff discount handed to a friend (or anyone) who does not work here."""
    rng = world.rng
    lines = lines_for(world, world.catalogue.basket(rng, rng.randint(2, 6)))
    for line in lines:
        line.discount = round_div(line.extended * 15, 100)
        line.discount_reason = "employee"
    txn = ring(world, shift, at, room, lines)
    _pay_as(world, txn, _friend(world, shift, 0.7))
    return _counted(shift, Scheme.EMPLOYEE_DISCOUNT_NON_EMPLOYEE, [txn])


def sweethearting(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """A friend's visit: dear goods keyed at a token price or discounted away."""
    rng = world.rng
    friend = _closest_friend(world, shift)
    lines = []
    for product in world.catalogue.pricey_items(rng, rng.randint(4, 8)):
        line = Line(product, 1, product.price)
        roll = rng.random()
        if roll < 0.45:
            line.unit_price = round_div(product.price * rng.randint(10, 35), 100)
            line.entry_method = "keyed"
        elif roll < 0.85:
            line.discount = round_div(product.price * rng.randint(40, 70), 100)
            line.discount_reason = rng.choice(("other", "manager", "damaged"))
        lines.append(line)
    txn = ring(world, shift, at, room, lines)
    _pay_as(world, txn, friend)
    return _counted(shift, Scheme.SWEETHEARTING, [txn])


def override_self_approved(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """A supervisor on a lane who overrides prices and approves the override themselves."""
    rng = world.rng
    lines = lines_for(world, world.catalogue.basket(rng, rng.randint(1, 3)))
    for product in world.catalogue.pricey_items(rng, rng.randint(1, 2)):
        factor = rng.randint(40, 80)
        lines.append(Line(product, 1, round_div(product.price * factor, 100), price_override=True))
    txn = ring(world, shift, at, room, lines)
    txn.override_employee_id = shift.operator_id
    _pay_as(world, txn, _friend(world, shift, 0.6))
    return _counted(shift, Scheme.OVERRIDE_SELF_APPROVED, [txn])


def training_mode_sale(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """Goods rung in training mode, so nothing is really sold, and handed over."""
    products = world.catalogue.pricey_items(world.rng, world.rng.randint(2, 6))
    txn = ring(world, shift, at, room, lines_for(world, products), "training")
    _pay_as(world, txn, _friend(world, shift, 0.5))
    return _counted(shift, Scheme.TRAINING_OR_AFTER_HOURS, [txn])


def after_hours_sale(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """A sale rung with the doors shut (before opening or after closing)."""
    products = world.catalogue.pricey_items(world.rng, world.rng.randint(2, 5))
    txn = ring(world, shift, at, room, lines_for(world, products))
    _pay_as(world, txn, _friend(world, shift, 0.6))
    return _counted(shift, Scheme.TRAINING_OR_AFTER_HOURS, [txn])


def return_no_original(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """A return 'with receipt' whose receipt number belongs to no sale at all."""
    products = world.catalogue.craved_items(world.rng, world.rng.randint(1, 2))
    txn = _refund(world, shift, at, room, products, "cash")
    txn.receipt_present = True
    txn.original_transaction_id = fabricated_original(world, shift)
    return _counted(shift, Scheme.RETURN_NO_ORIGINAL, [txn])


def fabricated_original(world: World, shift: Shift) -> str:
    """A plausible receipt number that was never issued: a lane's number just past the last
    one it really used on an earlier day (or any number from before the period)."""
    rng = world.rng
    lane = rng.choice(LANE_IDS)
    if shift.day_index == 0:
        day = shift.day - timedelta(days=rng.randint(1, 10))
        return f"{transaction_prefix(shift.store.store_id, lane, day)}-{rng.randint(1, 90):04d}"
    day = shift.day - timedelta(days=rng.randint(1, min(7, shift.day_index)))
    used = world.register_counts.get((shift.store.store_id, lane, day), 0)
    return f"{transaction_prefix(shift.store.store_id, lane, day)}-{used + rng.randint(1, 40):04d}"


def card_sale_for_refund(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """First half of a cash refund after a card sale: a genuine customer's card sale."""
    products = world.catalogue.pricey_items(world.rng, world.rng.randint(1, 4))
    txn = ring(world, shift, at, room, lines_for(world, products))
    txn.pay(world.rng.choice(("credit", "debit")), card_token(world.rng))
    shift.card_sales.append(txn)
    return [txn]


def cash_refund_after_card_sale(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """Second half: that card sale 'returned' later in the shift, the refund taken in cash."""
    if not shift.card_sales:
        return []
    sold = shift.card_sales.pop(0)
    items = tuple(
        (line.product, line.quantity, round_div(line.extended - line.discount, line.quantity))
        for line in sold.live_lines
    )
    original = Original(sold.transaction_id, items, "cash", "", sold.customer_id)
    txn = receipted_return(world, shift, at, room, original, whole=True)
    return _counted(shift, Scheme.CASH_REFUND_AFTER_CARD_SALE, [txn])


def craved_no_receipt(world: World, shift: Shift, at: int, room: int) -> list[Txn]:
    """High-theft goods 'returned' without a receipt."""
    rng = world.rng
    products = world.catalogue.craved_items(rng, rng.randint(1, 3))
    tender = "cash" if rng.random() < 0.6 else "store_credit"
    txn = _refund(world, shift, at, room, products, tender)
    if rng.random() < 0.5:
        txn.customer_id = world.customer(shift.store).customer_id
    return _counted(shift, Scheme.CRAVED_NO_RECEIPT, [txn])


@dataclass
class OrcReturn:
    """An organised returner at the service desk with stolen high-theft goods, no receipt."""

    returner: OrcReturner

    def build(self, world: World, shift: Shift, at: int, room: int) -> list[Txn]:
        rng = world.rng
        products = world.catalogue.craved_items(rng, rng.randint(1, 3))
        tender = "store_credit" if rng.random() < 0.6 else "cash"
        txn = _refund(world, shift, at, room, products, tender)
        txn.customer_id = self.returner.customer.customer_id
        self.returner.events += 1
        return [txn]


SCHEME_BUILDERS: dict[str, Builder] = {
    Scheme.POST_VOID_OWN_CASH: post_void_own_cash,
    Scheme.POST_VOID_AFTER_TENDER: post_void_after_tender,
    Scheme.RETURN_NO_RECEIPT_CASH: return_no_receipt_cash,
    Scheme.REFUND_SAME_CARD_REPEAT: refund_same_card_repeat,
    Scheme.REFUND_TO_OWN_LOYALTY: refund_to_own_loyalty,
    Scheme.REFUND_TO_GIFT_CARD: refund_to_gift_card,
    Scheme.GIFT_CARD_LOAD_SPEND_ELSEWHERE: gift_card_load,
    Scheme.NO_SALE_DRAWER: no_sale_drawer,
    Scheme.LINE_VOID_CASH: line_void_cash,
    Scheme.CANCELLED_AFTER_ITEMS: cancelled_after_items,
    Scheme.PRICE_OVERRIDE_DEEP: price_override_deep,
    Scheme.EMPLOYEE_DISCOUNT_NON_EMPLOYEE: employee_discount_non_employee,
    Scheme.SWEETHEARTING: sweethearting,
    Scheme.OVERRIDE_SELF_APPROVED: override_self_approved,
    Scheme.TRAINING_OR_AFTER_HOURS: training_mode_sale,
    Scheme.RETURN_NO_ORIGINAL: return_no_original,
    CARD_SALE: card_sale_for_refund,
    Scheme.CASH_REFUND_AFTER_CARD_SALE: cash_refund_after_card_sale,
    Scheme.CRAVED_NO_RECEIPT: craved_no_receipt,
    AFTER_HOURS: after_hours_sale,
}


def scheme_specs(world: World, planted: Planted) -> tuple[list[str], int]:
    """This shift's scheme events: tags to ring among the shift's transactions, and how many
    sales to ring with the doors shut."""
    tags: list[str] = []
    after_hours = 0
    for scheme in planted.schemes:
        if scheme is Scheme.KEYED_NOT_SCANNED:
            continue  # a share of the employee's ordinary sales, keyed as they are rung
        count = planted.take(scheme)
        if scheme is Scheme.CASH_REFUND_AFTER_CARD_SALE:
            tags += [CASH_REFUND_PAIR] * (2 * count)
        elif scheme is Scheme.TRAINING_OR_AFTER_HOURS:
            shut = sum(1 for _ in range(count) if world.rng.random() < 0.5)
            after_hours += shut
            tags += [scheme.value] * (count - shut)
        else:
            tags += [scheme.value] * count
    return tags, after_hours


def pair_refunds(specs: list[Spec]) -> None:
    """Within a shuffled shift, the first half of the pair placeholders become the card sales
    and the second half their cash refunds, so every refund follows its sale."""
    positions = [i for i, spec in enumerate(specs) if spec == CASH_REFUND_PAIR]
    half = len(positions) // 2
    for number, position in enumerate(positions):
        specs[position] = CARD_SALE if number < half else Scheme.CASH_REFUND_AFTER_CARD_SALE.value
