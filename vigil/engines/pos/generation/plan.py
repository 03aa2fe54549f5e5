"""Who is dishonest, how, and who only looks it: the answer key, decided before any sale.

A data set for three or more stores gets five to eight dishonest employees (more for big
chains): mostly cashiers, one service-desk employee whose returns go beyond what the desk
normally sees, and one supervisor who approves their own overrides. Each does one or two
schemes at a steady rate per shift, so the signal is spread over the period and lands five to
twenty times above their peers. Beside them stand the honest look-alikes a good scanner must
not rank first: every service-desk employee, every supervisor, a new hire still learning,
and a store near an outlet mall with many receipted returns.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from vigil.engines.pos.generation.people import (
    Customer,
    CustomerPool,
    Employee,
    LoyaltyIds,
    Store,
    new_customer,
)


class Scheme(StrEnum):
    """A dishonest pattern, named by the scanner rule that should catch it."""

    POST_VOID_OWN_CASH = "post_void_own_cash"
    POST_VOID_AFTER_TENDER = "post_void_after_tender"
    RETURN_NO_RECEIPT_CASH = "return_no_receipt_cash"
    REFUND_SAME_CARD_REPEAT = "refund_same_card_repeat"
    REFUND_TO_OWN_LOYALTY = "refund_to_own_loyalty"
    REFUND_TO_GIFT_CARD = "refund_to_gift_card"
    GIFT_CARD_LOAD_SPEND_ELSEWHERE = "gift_card_load_spend_elsewhere"
    NO_SALE_DRAWER = "no_sale_drawer"
    LINE_VOID_CASH = "line_void_cash"
    CANCELLED_AFTER_ITEMS = "cancelled_after_items"
    PRICE_OVERRIDE_DEEP = "price_override_deep"
    EMPLOYEE_DISCOUNT_NON_EMPLOYEE = "employee_discount_non_employee"
    KEYED_NOT_SCANNED = "keyed_not_scanned"
    SWEETHEARTING = "sweethearting"
    OVERRIDE_SELF_APPROVED = "override_self_approved"
    TRAINING_OR_AFTER_HOURS = "training_or_after_hours"
    RETURN_NO_ORIGINAL = "return_no_original"
    CASH_REFUND_AFTER_CARD_SALE = "cash_refund_after_card_sale"
    CRAVED_NO_RECEIPT = "craved_no_receipt"
    MULTI_STORE_RETURNS = "multi_store_returns"  # a customer's scheme, not an employee's


class LookAlikeKind(StrEnum):
    SERVICE_DESK = "service_desk"
    SUPERVISOR = "supervisor"
    NEW_HIRE = "new_hire"
    HONEST_RETURNS_STORE = "honest_returns_store"


EMPLOYEE_SCHEMES = tuple(s for s in Scheme if s is not Scheme.MULTI_STORE_RETURNS)
RETURN_SCHEMES = (
    Scheme.RETURN_NO_RECEIPT_CASH,
    Scheme.REFUND_SAME_CARD_REPEAT,
    Scheme.REFUND_TO_OWN_LOYALTY,
    Scheme.REFUND_TO_GIFT_CARD,
    Scheme.GIFT_CARD_LOAD_SPEND_ELSEWHERE,
    Scheme.RETURN_NO_ORIGINAL,
    Scheme.CRAVED_NO_RECEIPT,
)
SUPERVISOR_EXTRAS = (
    Scheme.PRICE_OVERRIDE_DEEP,
    Scheme.EMPLOYEE_DISCOUNT_NON_EMPLOYEE,
    Scheme.POST_VOID_AFTER_TENDER,
)
# Schemes whose transactions go to a friend of the employee (a non-employee loyalty customer).
FRIEND_SCHEMES = frozenset(
    {
        Scheme.SWEETHEARTING,
        Scheme.EMPLOYEE_DISCOUNT_NON_EMPLOYEE,
        Scheme.PRICE_OVERRIDE_DEEP,
        Scheme.OVERRIDE_SELF_APPROVED,
        Scheme.TRAINING_OR_AFTER_HOURS,
    }
)

# Scheme events per shift worked, before each employee's own multiplier (0.9-1.3). About 20
# shifts in four weeks gives 20+ events each; keyed_not_scanned is the share of the employee's
# sales on which they key most items.
RATES: dict[Scheme, float] = {
    Scheme.POST_VOID_OWN_CASH: 1.1,
    Scheme.POST_VOID_AFTER_TENDER: 1.1,
    Scheme.RETURN_NO_RECEIPT_CASH: 1.2,
    Scheme.REFUND_SAME_CARD_REPEAT: 1.1,
    Scheme.REFUND_TO_OWN_LOYALTY: 1.1,
    Scheme.REFUND_TO_GIFT_CARD: 1.1,
    Scheme.GIFT_CARD_LOAD_SPEND_ELSEWHERE: 1.0,
    Scheme.NO_SALE_DRAWER: 4.5,
    Scheme.LINE_VOID_CASH: 1.3,
    Scheme.CANCELLED_AFTER_ITEMS: 1.3,
    Scheme.PRICE_OVERRIDE_DEEP: 1.2,
    Scheme.EMPLOYEE_DISCOUNT_NON_EMPLOYEE: 1.3,
    Scheme.KEYED_NOT_SCANNED: 0.3,
    Scheme.SWEETHEARTING: 1.4,
    Scheme.OVERRIDE_SELF_APPROVED: 1.4,
    Scheme.TRAINING_OR_AFTER_HOURS: 1.1,
    Scheme.RETURN_NO_ORIGINAL: 1.1,
    Scheme.CASH_REFUND_AFTER_CARD_SALE: 1.1,
    Scheme.CRAVED_NO_RECEIPT: 1.2,
}
# The service desk takes many honest no-receipt returns, so fraud there must go further to
# stand out from the desk's own norm.
SERVICE_DESK_BOOST = {
    Scheme.RETURN_NO_RECEIPT_CASH: 3.0,
    Scheme.CRAVED_NO_RECEIPT: 2.5,
    Scheme.REFUND_TO_GIFT_CARD: 2.0,
}
# The order the deck deals in: neighbours come from different families (voids, returns,
# discounts, entry) so that a cashier's two schemes are a mix, not two of a kind.
DEAL_ORDER = (
    Scheme.POST_VOID_OWN_CASH,
    Scheme.KEYED_NOT_SCANNED,
    Scheme.RETURN_NO_RECEIPT_CASH,
    Scheme.SWEETHEARTING,
    Scheme.NO_SALE_DRAWER,
    Scheme.REFUND_TO_GIFT_CARD,
    Scheme.PRICE_OVERRIDE_DEEP,
    Scheme.CANCELLED_AFTER_ITEMS,
    Scheme.REFUND_SAME_CARD_REPEAT,
    Scheme.TRAINING_OR_AFTER_HOURS,
    Scheme.LINE_VOID_CASH,
    Scheme.RETURN_NO_ORIGINAL,
    Scheme.EMPLOYEE_DISCOUNT_NON_EMPLOYEE,
    Scheme.POST_VOID_AFTER_TENDER,
    Scheme.CRAVED_NO_RECEIPT,
    Scheme.CASH_REFUND_AFTER_CARD_SALE,
    Scheme.REFUND_TO_OWN_LOYALTY,
    Scheme.GIFT_CARD_LOAD_SPEND_ELSEWHERE,
)
DECK_STEP = 7  # how far each seed turns the deck, so that nearby seeds plant different schemes


@dataclass
class Planted:
    """A dishonest employee: their schemes, per-shift rates and what they have done so far."""

    employee: Employee
    schemes: tuple[Scheme, ...]
    rates: dict[Scheme, float]
    friends: list[Customer]
    due: dict[Scheme, float] = field(default_factory=dict)
    events: Counter[str] = field(default_factory=Counter)

    def take(self, scheme: Scheme) -> int:
        """How many events of ``scheme`` fall in this shift (an even drip, not a burst)."""
        before = self.due.get(scheme, 0.0)
        after = before + self.rates[scheme]
        self.due[scheme] = after
        return int(after) - int(before)

    def does(self, scheme: Scheme) -> bool:
        return scheme in self.schemes


@dataclass
class OrcReturner:
    """An organised-retail returner: brings stolen goods back to several stores, no receipt."""

    customer: Customer
    visits: dict[int, str]  # day index -> store id
    events: int = 0


@dataclass
class LookAlike:
    kind: LookAlikeKind
    employee_id: str = ""
    store_id: str = ""


@dataclass
class Plan:
    """Everything decided up front: the dishonest, the look-alikes and the ORC returners."""

    dishonest: dict[str, Planted]
    look_alikes: list[LookAlike]
    orc: list[OrcReturner]
    new_hire: Employee | None
    returns_store: str
    shrink_hotspots: list[tuple[str, str]]


def make_plan(
    rng: random.Random,
    seed: int,
    stores: list[Store],
    employees: list[Employee],
    pools: dict[str, CustomerPool],
    ids: LoyaltyIds,
    start: date,
    days: int,
) -> Plan:
    """Decide the schemes and the look-alikes for one data set."""
    returns_store = rng.choice(stores).store_id if len(stores) > 1 else ""
    new_hire = _make_new_hire(rng, employees, start)
    chosen = _choose_dishonest(rng, stores, employees, returns_store, new_hire)
    deck = _Deck(seed, single_store=len(stores) == 1)
    dishonest: dict[str, Planted] = {}
    for employee in chosen:
        schemes = deck.deal(rng, employee.role)
        dishonest[employee.employee_id] = _plant(rng, ids, employee, schemes, pools)
    look_alikes = _look_alikes(employees, dishonest, new_hire, returns_store)
    return Plan(
        dishonest=dishonest,
        look_alikes=look_alikes,
        orc=_orc_returners(rng, ids, stores, days),
        new_hire=new_hire,
        returns_store=returns_store,
        shrink_hotspots=_hotspots(rng, dishonest),
    )


def dishonest_count(rng: random.Random, stores: int) -> int:
    """Five to eight for a small chain, one more for every two stores past four."""
    if stores == 1:
        return rng.randint(2, 3)
    if stores == 2:
        return rng.randint(3, 5)
    return rng.randint(5, 8) + max(0, stores - 4) // 2


def _make_new_hire(rng: random.Random, employees: list[Employee], start: date) -> Employee:
    cashiers = [e for e in employees if e.role == "cashier"]
    new_hire = rng.choice(cashiers)
    new_hire.hired_on = start + timedelta(days=rng.randint(0, 4))
    return new_hire


def _choose_dishonest(
    rng: random.Random,
    stores: list[Store],
    employees: list[Employee],
    returns_store: str,
    new_hire: Employee,
) -> list[Employee]:
    """One service-desk employee and one supervisor per eight, the rest cashiers spread over
    the stores (never the new hire, and the desk fraud away from the outlet-mall store)."""
    count = dishonest_count(rng, len(stores))
    desks = [e for e in employees if e.role == "service_desk" and e.store_id != returns_store]
    supervisors = [e for e in employees if e.role == "supervisor"]
    chosen = rng.sample(desks, min(len(desks), max(1, count // 8)))
    chosen += rng.sample(supervisors, min(len(supervisors), max(1, count // 8)))
    store_order = [store.store_id for store in stores]
    rng.shuffle(store_order)
    cashiers = {
        store_id: [
            e
            for e in employees
            if e.store_id == store_id and e.role == "cashier" and e is not new_hire
        ]
        for store_id in store_order
    }
    turn = 0
    while len(chosen) < count:
        pool = cashiers[store_order[turn % len(store_order)]]
        turn += 1
        if pool:
            chosen.append(pool.pop(rng.randrange(len(pool))))
    return chosen


class _Deck:
    """The employee schemes in a fixed order turned by the seed, dealt one or two at a time,
    so that every scheme is planted by one seed or another and seeds 1-3 cover them all."""

    def __init__(self, seed: int, *, single_store: bool) -> None:
        schemes = [
            s
            for s in DEAL_ORDER
            if not (single_store and s is Scheme.GIFT_CARD_LOAD_SPEND_ELSEWHERE)
        ]
        turn = (seed - 1) * DECK_STEP % len(schemes)
        self.fresh = schemes[turn:] + schemes[:turn]
        self.cards = list(self.fresh)

    def _take(self, allowed: tuple[Scheme, ...] | None = None) -> Scheme:
        if not self.cards:
            self.cards = list(self.fresh)
        for index, scheme in enumerate(self.cards):
            if allowed is None or scheme in allowed:
                return self.cards.pop(index)
        assert allowed is not None
        return allowed[0]

    def deal(self, rng: random.Random, role: str) -> tuple[Scheme, ...]:
        if role == "service_desk":
            first = self._take(RETURN_SCHEMES)
            second = self._take(tuple(s for s in RETURN_SCHEMES if s is not first))
            return (first, second)
        if role == "supervisor":
            if rng.random() < 0.5:
                return (Scheme.OVERRIDE_SELF_APPROVED, self._take(SUPERVISOR_EXTRAS))
            return (Scheme.OVERRIDE_SELF_APPROVED,)
        first = self._take()
        if rng.random() < 0.6:
            return (first, self._take(tuple(s for s in self.fresh if s is not first)))
        return (first,)


def _plant(
    rng: random.Random,
    ids: LoyaltyIds,
    employee: Employee,
    schemes: tuple[Scheme, ...],
    pools: dict[str, CustomerPool],
) -> Planted:
    if Scheme.REFUND_TO_OWN_LOYALTY in schemes and not employee.customer_id:
        employee.customer_id = ids.new()
    rates = {}
    for scheme in schemes:
        boost = SERVICE_DESK_BOOST.get(scheme, 1.0) if employee.role == "service_desk" else 1.0
        rates[scheme] = RATES[scheme] * boost * rng.uniform(0.9, 1.3)
    friends: list[Customer] = []
    if FRIEND_SCHEMES.intersection(schemes):
        pool = pools[employee.store_id].customers
        friends = [pool[rng.randrange(len(pool))] for _ in range(rng.randint(2, 3))]
    # Start each drip part-way so that the first event does not always fall on the first shift.
    due = {scheme: rng.random() for scheme in schemes}
    return Planted(employee, schemes, rates, friends, due)


def _look_alikes(
    employees: list[Employee],
    dishonest: dict[str, Planted],
    new_hire: Employee,
    returns_store: str,
) -> list[LookAlike]:
    look_alikes = [
        LookAlike(LookAlikeKind(e.role), employee_id=e.employee_id)
        for e in employees
        if e.role in ("service_desk", "supervisor") and e.employee_id not in dishonest
    ]
    look_alikes.append(LookAlike(LookAlikeKind.NEW_HIRE, employee_id=new_hire.employee_id))
    if returns_store:
        look_alikes.append(LookAlike(LookAlikeKind.HONEST_RETURNS_STORE, store_id=returns_store))
    return look_alikes


def _orc_returners(
    rng: random.Random, ids: LoyaltyIds, stores: list[Store], days: int
) -> list[OrcReturner]:
    """One organised returner (one more per eight stores), visiting three to five stores on
    most days of the period."""
    if len(stores) < 2:
        return []
    returners = []
    for _ in range(1 + len(stores) // 8):
        circuit = rng.sample(stores, min(len(stores), rng.randint(3, 5)))
        visits = {day: rng.choice(circuit).store_id for day in range(days) if rng.random() < 0.75}
        returners.append(OrcReturner(new_customer(rng, ids), visits))
    return returners


def _hotspots(rng: random.Random, dishonest: dict[str, Planted]) -> list[tuple[str, str]]:
    """Where inventory counts lose the most: a CRAVED department of a store with return fraud
    (stolen goods walk out first and come back as refunds)."""
    return_fraud = [p for p in dishonest.values() if set(p.schemes).intersection(RETURN_SCHEMES)]
    planted = return_fraud or list(dishonest.values())
    if not planted:
        return []
    store_id = planted[0].employee.store_id
    return [(store_id, rng.choice(("fragrance", "razors", "electronics")))]
