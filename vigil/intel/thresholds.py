"""Each state's felony threshold for theft from a retailer, and whether a network reaches it.

The table ships in ``data/thresholds.json`` with the statute and its source; it is read once.
A state the table does not know is shown as such: no threshold is ever guessed.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).parent / "data" / "thresholds.json"


@dataclass(frozen=True)
class Threshold:
    """One state's felony line for theft, with where it comes from."""

    code: str
    name: str
    felony_threshold: Decimal
    statute: str
    aggregation: str
    source_url: str
    verify: bool


@functools.cache
def table() -> dict[str, Threshold]:
    raw = json.loads(DATA.read_text(encoding="utf-8"))["states"]
    return {
        code: Threshold(
            code=code,
            name=entry["name"],
            felony_threshold=Decimal(entry["felony_threshold"]),
            statute=entry["statute"],
            aggregation=entry["aggregation"],
            source_url=entry["source_url"],
            verify=bool(entry.get("verify", True)),
        )
        for code, entry in raw.items()
    }


def for_state(state: str) -> Threshold | None:
    """The threshold of a store's state, written as a code ("MN") or a name ("Minnesota")."""
    wanted = state.strip()
    known = table()
    if wanted.upper() in known:
        return known[wanted.upper()]
    for threshold in known.values():
        if threshold.name.lower() == wanted.lower():
            return threshold
    return None
