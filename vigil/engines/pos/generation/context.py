"""The state a transaction builder works in: the chain (``World``) and one register shift.

Builders take ``(world, shift, at, room)``: ``at`` is when the transaction starts, in seconds
after the store's local midnight, and ``room`` is how many seconds it may last before the
next one on that register begins. They return the transactions they rang (usually one).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from vigil.engines.pos.generation.catalogue import Catalogue, Product
from vigil.engines.pos.generation.model import Txn
from vigil.engines.pos.generation.people import Customer, CustomerPool, Employee, Store
from vigil.engines.pos.generation.plan import Plan, Planted

# Share of completed honest sales kept as candidates for later receipted returns, and how
# many each store keeps: enough for a few days of returns without holding the data set.
ORIGINAL_SAMPLE = 0.3
ORIGINALS_KEPT = 1500


@dataclass(frozen=True, slots=True)
class Original:
    """A completed sale that a customer may bring back with the receipt."""

    transaction_id: str
    items: tuple[tuple[Product, int, int], ...]  # product, quantity, net unit price
    tender_type: str
    card_token: str
    customer_id: str


def transaction_prefix(store_id: str, register_id: str, day: date) -> str:
    """Transaction ids read ``S101-R03-260305-0042``: store, register, day, number that day."""
    return f"{store_id}-{register_id}-{day:%y%m%d}"


@dataclass
class RegisterDay:
    """One register on one business day: hands out its transaction numbers in time order."""

    register_id: str
    prefix: str
    seq: int = 0

    def next_id(self) -> str:
        self.seq += 1
        return f"{self.prefix}-{self.seq:04d}"


@dataclass
class Shift:
    """Who rings one register for half a day, and who approves their overrides."""

    store: Store
    day: date
    day_index: int
    midnight: datetime
    register: RegisterDay
    operator: Employee | None
    approver: Employee
    start: int
    end: int
    number: int = 0  # 0 = opening shift, 1 = closing shift
    planted: Planted | None = None
    learning: bool = False  # a new hire in their first two weeks
    card_sales: list[Txn] = field(default_factory=list)  # rung now, refunded in cash later

    @property
    def operator_id(self) -> str:
        return self.operator.employee_id if self.operator else ""

    @property
    def self_checkout(self) -> bool:
        return self.register.register_id.startswith("SCO")

    def at(self, seconds: int) -> datetime:
        return self.midnight + timedelta(seconds=seconds)


class Injected(Protocol):
    """A transaction that something outside the shift wants rung on it (a gift card spent
    after a load at another store, an organised returner's visit, a manager's paid-out)."""

    def build(self, world: World, shift: Shift, at: int, room: int) -> list[Txn]: ...


@dataclass
class World:
    """The chain being simulated, and what it remembers from one day to the next."""

    rng: random.Random
    catalogue: Catalogue
    stores: list[Store]
    employees: list[Employee]
    pools: dict[str, CustomerPool]
    plan: Plan
    start: date
    days: int
    per_register_day: int
    originals: dict[str, list[Original]] = field(default_factory=dict)
    todays_originals: dict[str, list[Original]] = field(default_factory=dict)
    pending: dict[tuple[int, str], list[Injected]] = field(default_factory=dict)
    register_counts: dict[tuple[str, str, date], int] = field(default_factory=dict)
    shoppers: dict[str, list[Employee]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for store in self.stores:
            self.originals[store.store_id] = []
            self.todays_originals[store.store_id] = []
            self.shoppers[store.store_id] = [
                e for e in self.employees if e.store_id == store.store_id and e.customer_id
            ]

    def open_txn(self, shift: Shift, at: int, duration: int, kind: str = "sale") -> Txn:
        """A new transaction on the shift's register, numbered in time order."""
        return Txn(
            transaction_id=shift.register.next_id(),
            store_id=shift.store.store_id,
            register_id=shift.register.register_id,
            employee_id=shift.operator_id,
            business_date=shift.day,
            started_at=shift.at(at),
            ended_at=shift.at(at + duration),
            kind=kind,
        )

    def customer(self, store: Store) -> Customer:
        return self.pools[store.store_id].draw(self.rng)

    def remember(self, store: Store, original: Original) -> None:
        """Keep a sale so that a later day may bring a receipted return of it."""
        self.todays_originals[store.store_id].append(original)

    def close_day(self, store: Store) -> None:
        """Today's sales become returnable from tomorrow (so a return never precedes its sale)."""
        kept = self.originals[store.store_id]
        for original in self.todays_originals[store.store_id]:
            if len(kept) < ORIGINALS_KEPT:
                kept.append(original)
            else:
                kept[self.rng.randrange(ORIGINALS_KEPT)] = original
        self.todays_originals[store.store_id] = []

    def take_original(self, store: Store) -> Original | None:
        """A random earlier sale of this store, removed so it is returned only once."""
        kept = self.originals[store.store_id]
        if not kept:
            return None
        index = self.rng.randrange(len(kept))
        kept[index], kept[-1] = kept[-1], kept[index]
        return kept.pop()

    def inject(self, day_index: int, store_id: str, item: Injected) -> None:
        self.pending.setdefault((day_index, store_id), []).append(item)

    def duration(self, lines: int, room: int) -> int:
        """Seconds a transaction of ``lines`` items takes, never more than the room it has."""
        wanted = 20 + 9 * lines + self.rng.randrange(45)
        return max(5, min(wanted, room))


Builder = Callable[[World, Shift, int, int], list[Txn]]
Spec = str | Injected  # a builder's name, or a transaction brought in from elsewhere
