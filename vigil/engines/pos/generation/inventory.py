"""Inventory counts and EAS alarms, the two optional tables that shrink analysis reads.

Counts are monthly, per store, over a sample of SKUs (every CRAVED SKU is counted, since
those are the ones an LP programme watches), and lose a little: about 1 % of units in ordinary
departments, more in CRAVED ones, and much more in the planted hotspot. Exit-gate alarms
sound a few times a day per store.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from vigil.engines.pos.generation.catalogue import Catalogue, Product
from vigil.engines.pos.generation.model import money
from vigil.engines.pos.generation.people import Store

ORDINARY_LOSS = 0.01
CRAVED_LOSS = 0.04
HOTSPOT_LOSS = 0.14
ORDINARY_SAMPLE = 0.35
OVERAGE = 0.04  # a unit found that the book did not know about (a receiving error)
DOORS = ("FRONT", "FRONT", "FRONT", "GARDEN", "SIDE")


def count_dates(store: Store, start: date, days: int) -> list[date]:
    """One count per calendar month the period touches: at month end, or the period's last
    day if sooner, staggered a day or two by store so the chain does not count at once."""
    end = start + timedelta(days=days - 1)
    dates = []
    month = date(start.year, start.month, 1)
    while month <= end:
        last = date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
        when = min(last, end) - timedelta(days=store.index % 3)
        if when >= start:
            dates.append(when)
        month = last + timedelta(days=1)
    return dates or [end]


def inventory_counts(
    rng: random.Random,
    catalogue: Catalogue,
    stores: list[Store],
    start: date,
    days: int,
    hotspots: list[tuple[str, str]],
) -> Iterator[dict[str, Any]]:
    """Count rows for every store and count date."""
    hot = set(hotspots)
    for store in stores:
        for when in count_dates(store, start, days):
            for product in catalogue.products:
                if product.craved or rng.random() < ORDINARY_SAMPLE:
                    loss = _loss_rate(product, (store.store_id, product.department) in hot)
                    yield _count(rng, store, product, when, loss)


def _loss_rate(product: Product, hotspot: bool) -> float:
    if hotspot:
        return HOTSPOT_LOSS
    return CRAVED_LOSS if product.craved else ORDINARY_LOSS


def _count(
    rng: random.Random, store: Store, product: Product, when: date, loss: float
) -> dict[str, Any]:
    book = rng.randint(6, 120)
    missing = sum(1 for _ in range(book) if rng.random() < loss)
    found = rng.randint(1, 3) if rng.random() < OVERAGE else 0
    return {
        "store_id": store.store_id,
        "sku": product.sku,
        "department": product.department,
        "count_date": when,
        "book_qty": f"{book}.00",
        "counted_qty": f"{book - missing + found}.00",
        "unit_cost": money(product.cost),
        "unit_retail": money(product.price),
    }


def eas_alarms(rng: random.Random, store: Store, day: date) -> Iterator[dict[str, Any]]:
    """A few exit-gate alarms in opening hours; the gate reads the tag about half the time."""
    midnight = datetime(day.year, day.month, day.day, tzinfo=store.zone)
    for _ in range(rng.randint(1, 6)):
        at = rng.randint(store.opens * 60, store.closes * 60 - 60)
        yield {
            "store_id": store.store_id,
            "door": rng.choice(DOORS),
            "at": midnight + timedelta(seconds=at),
            "tag_id": f"E280{rng.getrandbits(80):020X}" if rng.random() < 0.5 else "",
        }
