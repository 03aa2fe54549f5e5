"""Random streams derived from the seed, one per purpose.

Separate streams keep each part stable when another changes: the plan (who is dishonest)
stays the same whatever the volume or the number of days, and inventory counts do not move
when the transactions do. String seeds hash the same in every process, so the same seed
gives the same bytes on any machine.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def seeded(seed: int | str, purpose: str) -> random.Random:
    """A reproducible random stream for one purpose of one data set."""
    # Simulation, not security: being reproducible from the seed is the point.
    return random.Random(f"vigil-pos:{seed}:{purpose}")  # noqa: S311


def weighted_choice(rng: random.Random, items: Sequence[T], cumulative: Sequence[float]) -> T:
    """One item by cumulative weight: ``rng.choices(..., k=1)`` without its per-call set-up,
    which shows in a run of millions of draws."""
    return items[bisect(cumulative, rng.random() * cumulative[-1], 0, len(cumulative) - 1)]
