"""Counters behind human reference numbers (INC-2026-000042, CASE-2026-0007, EV-2026-000310)."""

from __future__ import annotations

from django.db import models


class NumberSequence(models.Model):
    """The last number handed out for one prefix in one year; locked while taking the next."""

    prefix = models.CharField(max_length=16)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="one_sequence_per_prefix_year")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"
