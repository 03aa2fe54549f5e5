"""Stores, their staff and their customers.

Each store has a roster shaped like a real one: mostly cashiers, one or two service-desk
employees, one or two supervisors, a manager and sometimes an LP agent. Employees have
weekly days off, a loyalty id of their own (most of them; staff shop where they work) and a
personal card. Customers are a loyalty pool per store with a few regulars who shop a lot, plus
commuters who use two stores.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from typing import NamedTuple
from zoneinfo import ZoneInfo

from vigil.engines.pos.generation.seeds import weighted_choice

REGIONS = (
    ("CENTRAL", "America/Chicago", ("Springfield", "Peoria", "Joliet", "Naperville", "Rockford")),
    ("EAST", "America/New_York", ("Columbus", "Dayton", "Toledo", "Akron", "Canton")),
    ("SOUTH", "America/Chicago", ("Memphis", "Nashville", "Tulsa", "Little Rock", "Jackson")),
    ("NORTHEAST", "America/New_York", ("Albany", "Syracuse", "Hartford", "Scranton", "Erie")),
)
FIRST_NAMES = (
    "Alex", "Jordan", "Maria", "Chris", "Taylor", "Sam", "Priya", "Jamal", "Lena", "Diego",
    "Hannah", "Kevin", "Aisha", "Tom", "Grace", "Luis", "Emma", "Noah", "Mei", "Omar",
    "Rosa", "Ben", "Keisha", "Ivan", "Julia", "Marcus", "Sofia", "Tyler", "Nina", "Andre",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Garcia", "Johnson", "Nguyen", "Brown", "Patel", "Miller", "Lopez", "Davis",
    "Wilson", "Kim", "Moore", "Clark", "Lewis", "Young", "Hall", "Allen", "King", "Wright",
    "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Ramirez", "Campbell", "Reyes",
)  # fmt: skip

# Loyalty customers per store for the default volume; more transactions need more customers
# or honest regulars would start to look like sweethearting friends.
CUSTOMERS_PER_TRANSACTION_PER_DAY = 25
MIN_CUSTOMERS = 300
COMMUTER_SHARE = 0.06


@dataclass(frozen=True)
class Store:
    """A store: its code, region, time zone, opening hours (minutes after midnight) and tax."""

    store_id: str
    name: str
    region: str
    timezone: str
    opens: int
    closes: int
    tax_rate_bp: int  # basis points: 825 = 8.25 %
    index: int

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def opens_text(self) -> str:
        return f"{self.opens // 60:02d}:{self.opens % 60:02d}"

    @property
    def closes_text(self) -> str:
        return f"{self.closes // 60:02d}:{self.closes % 60:02d}"


@dataclass
class Employee:
    """A member of staff. ``customer_id`` is their own loyalty id (blank for some)."""

    employee_id: str
    store_id: str
    name: str
    role: str
    hired_on: date
    customer_id: str
    card_token: str
    days_off: tuple[int, ...]

    def works_on(self, day: date) -> bool:
        return day >= self.hired_on and day.weekday() not in self.days_off


class Customer(NamedTuple):
    """A loyalty customer and the card they usually pay with."""

    customer_id: str
    card_token: str
    pays_cash: bool


@dataclass
class CustomerPool:
    """A store's loyalty customers, drawn by how often each one shops."""

    customers: list[Customer] = field(default_factory=list)
    cumulative: list[float] = field(default_factory=list)

    def draw(self, rng: random.Random) -> Customer:
        return weighted_choice(rng, self.customers, self.cumulative)


def card_token(rng: random.Random) -> str:
    """A payment-card token (never a card number)."""
    return f"tok_{rng.getrandbits(64):016x}"


def gift_card_token(rng: random.Random) -> str:
    return f"gc_{rng.getrandbits(56):014x}"


class LoyaltyIds:
    """Hands out loyalty ids that look random but never repeat (staff and customers share
    one numbering, and a customer must never hold an employee's id by accident)."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[int] = set()

    def new(self) -> str:
        number = self._rng.randrange(10**9)
        while number in self._used:
            number = self._rng.randrange(10**9)
        self._used.add(number)
        return f"L{number:09d}"


def build_stores(rng: random.Random, count: int) -> list[Store]:
    """``count`` stores spread over two or more regions (one region for a single store)."""
    regions = 1 if count == 1 else min(len(REGIONS), max(2, count // 4))
    stores = []
    for index in range(count):
        code, timezone, cities = REGIONS[index * regions // count]
        early = rng.random() < 0.3
        stores.append(
            Store(
                store_id=f"S{101 + index}",
                name=f"{rng.choice(cities)} #{101 + index}",
                region=code,
                timezone=timezone,
                opens=7 * 60 if early else 8 * 60,
                closes=22 * 60 if early or rng.random() < 0.6 else 23 * 60,
                tax_rate_bp=rng.choice((625, 700, 725, 800, 825, 875)),
                index=index,
            )
        )
    return stores


ROLE_COUNTS = {
    "cashier": (17, 20),
    "service_desk": (1, 2),
    "supervisor": (1, 2),
    "manager": (1, 1),
}


def build_staff(
    rng: random.Random, ids: LoyaltyIds, stores: list[Store], start: date
) -> list[Employee]:
    """Every store's staff, employee ids E1001 upwards in store order."""
    employees: list[Employee] = []
    for store in stores:
        roles = [
            role for role, (low, high) in ROLE_COUNTS.items() for _ in range(rng.randint(low, high))
        ]
        if store.index % 2 == 0:
            roles.append("lp")
        for role in roles:
            employees.append(_employee(rng, ids, store, role, start, 1001 + len(employees)))
    return employees


def _employee(
    rng: random.Random, ids: LoyaltyIds, store: Store, role: str, start: date, number: int
) -> Employee:
    tenure_days = rng.randint(60, 9 * 365) if role == "cashier" else rng.randint(400, 15 * 365)
    first_off = rng.randrange(7)
    return Employee(
        employee_id=f"E{number}",
        store_id=store.store_id,
        name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        role=role,
        hired_on=start - timedelta(days=tenure_days),
        customer_id=ids.new() if rng.random() < 0.8 else "",
        card_token=card_token(rng),
        days_off=(first_off, (first_off + rng.choice((1, 3, 4))) % 7),
    )


def build_customers(
    rng: random.Random, ids: LoyaltyIds, stores: list[Store], per_register_day: int
) -> dict[str, CustomerPool]:
    """A loyalty pool per store; commuters belong to the pools of two stores."""
    size = max(MIN_CUSTOMERS, CUSTOMERS_PER_TRANSACTION_PER_DAY * per_register_day)
    pools = {store.store_id: _pool(rng, ids, size) for store in stores}
    if len(stores) > 1:
        for _ in range(max(10, int(size * COMMUTER_SHARE))):
            commuter = new_customer(rng, ids)
            for store in rng.sample(stores, 2):
                pools[store.store_id].customers.append(commuter)
    for pool in pools.values():
        # Most customers shop a few times a month; a few regulars shop almost daily.
        weights = [rng.paretovariate(2.5) for _ in pool.customers]
        pool.cumulative = list(accumulate(weights))
    return pools


def _pool(rng: random.Random, ids: LoyaltyIds, size: int) -> CustomerPool:
    return CustomerPool(customers=[new_customer(rng, ids) for _ in range(size)])


def new_customer(rng: random.Random, ids: LoyaltyIds) -> Customer:
    """A loyalty customer with a card of their own; one in five usually pays cash."""
    return Customer(ids.new(), card_token(rng), rng.random() < 0.2)
