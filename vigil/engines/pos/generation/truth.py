"""The answer key: who was planted doing what, and who only looks suspicious.

It is written beside the data set, never inside it, so that a scan of the folder cannot see
it; tests and benchmarks read it to score a scan (did the planted employees rank at the top,
did the look-alikes stay out of it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from vigil.engines.pos.generation.plan import LookAlike, Plan


@dataclass(frozen=True)
class PlantedEmployee:
    """A dishonest employee and how many scheme events they left in the data."""

    employee_id: str
    store_id: str
    role: str
    schemes: tuple[str, ...]
    events: int
    events_by_scheme: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "employee_id": self.employee_id,
            "store_id": self.store_id,
            "role": self.role,
            "schemes": list(self.schemes),
            "events": self.events,
            "events_by_scheme": dict(self.events_by_scheme),
        }


@dataclass(frozen=True)
class PlantedCustomer:
    """A customer scheme (an organised returner working several stores)."""

    customer_id: str
    scheme: str
    events: int
    stores: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "customer_id": self.customer_id,
            "scheme": self.scheme,
            "events": self.events,
            "stores": list(self.stores),
        }


@dataclass(frozen=True)
class GroundTruth:
    """What a perfect scan would find in the generated data set."""

    seed: int
    stores: int
    days: int
    start: date
    dishonest: tuple[PlantedEmployee, ...]
    look_alikes: tuple[dict[str, str], ...]
    customers: tuple[PlantedCustomer, ...]
    counts: dict[str, int]
    shrink_hotspots: tuple[dict[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "stores": self.stores,
            "days": self.days,
            "start": self.start.isoformat(),
            "dishonest": [planted.to_dict() for planted in self.dishonest],
            "look_alikes": [dict(look_alike) for look_alike in self.look_alikes],
            "customers": [customer.to_dict() for customer in self.customers],
            "counts": dict(self.counts),
            "shrink_hotspots": [dict(hotspot) for hotspot in self.shrink_hotspots],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2) + "\n"

    @property
    def dishonest_ids(self) -> list[str]:
        return [planted.employee_id for planted in self.dishonest]


def ground_truth(
    plan: Plan, *, seed: int, stores: int, days: int, start: date, counts: dict[str, int]
) -> GroundTruth:
    """The truth for a finished run (event counts are only known once the data is written)."""
    dishonest = tuple(
        PlantedEmployee(
            employee_id=planted.employee.employee_id,
            store_id=planted.employee.store_id,
            role=planted.employee.role,
            schemes=tuple(str(scheme) for scheme in planted.schemes),
            events=sum(planted.events.values()),
            events_by_scheme={str(s): planted.events[s] for s in planted.schemes},
        )
        for planted in plan.dishonest.values()
    )
    customers = tuple(
        PlantedCustomer(
            customer_id=returner.customer.customer_id,
            scheme="multi_store_returns",
            events=returner.events,
            stores=tuple(sorted(set(returner.visits.values()))),
        )
        for returner in plan.orc
    )
    return GroundTruth(
        seed=seed,
        stores=stores,
        days=days,
        start=start,
        dishonest=dishonest,
        look_alikes=tuple(_look_alike(look_alike) for look_alike in plan.look_alikes),
        customers=customers,
        counts=counts,
        shrink_hotspots=tuple(
            {"store_id": store_id, "department": department}
            for store_id, department in plan.shrink_hotspots
        ),
    )


def _look_alike(look_alike: LookAlike) -> dict[str, str]:
    if look_alike.employee_id:
        return {"employee_id": look_alike.employee_id, "kind": str(look_alike.kind)}
    return {"store_id": look_alike.store_id, "kind": str(look_alike.kind)}
