"""Shrink in Vigil: the counts of a POS data set, what the shrink engine found in them, and
the recommendations an LP manager accepts or rejects.

A ``ShrinkAnalysis`` is one run of the shrink engine over a data set's copy. Its count lines,
sales, hot spots and recommendations are kept row by row under their store, so store scope
applies as everywhere: a store manager sees their store's shrink, and of the chain only its
rates, the yardstick their store is judged against.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models

from vigil.core.changelog import AuditedModel
from vigil.core.scoping import Scoped, ScopedQuerySet


class ShrinkAnalysis(Scoped, models.Model):
    """One run of the shrink engine over a POS data set's counts."""

    scope_path: ClassVar[str] = "stores"

    data_set = models.ForeignKey(
        "pos.DataSet", on_delete=models.CASCADE, related_name="shrink_analyses"
    )
    stores = models.ManyToManyField("core.Store", related_name="+")
    engine = models.CharField(max_length=16, default="duckdb")
    first_count = models.DateField()
    last_count = models.DateField()
    rate_basis = models.CharField(max_length=40)
    chain_rate = models.FloatField(help_text="The chain's shrink rate, on the rate basis")
    department_rates = models.JSONField(
        default=dict, help_text="The chain's shrink at cost over book value, per department"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet["ShrinkAnalysis"].as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "shrink analyses"

    def __str__(self) -> str:
        return f"Shrink {self.first_count} to {self.last_count}"

    @property
    def period(self) -> tuple[date, date]:
        """The counted period: from the data set's first day (what the first count closes)
        to the last count."""
        first = self.data_set.first_day or self.first_count - timedelta(days=30)
        return min(first, self.first_count), self.last_count


class CountLine(Scoped, models.Model):
    """One SKU counted at one store on one day, against the book (the contract's row)."""

    analysis = models.ForeignKey(ShrinkAnalysis, on_delete=models.CASCADE, related_name="lines")
    store = models.ForeignKey("core.Store", on_delete=models.CASCADE, related_name="+")
    sku = models.CharField(max_length=64)
    department = models.CharField(max_length=100)
    count_date = models.DateField()
    book_qty = models.DecimalField(max_digits=18, decimal_places=2)
    counted_qty = models.DecimalField(max_digits=18, decimal_places=2)
    unit_cost = models.DecimalField(max_digits=18, decimal_places=2)
    unit_retail = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    # Kept with the line so sums are plain SQL sums on either database.
    shrink_units = models.DecimalField(max_digits=18, decimal_places=2)
    shrink_cost = models.DecimalField(max_digits=18, decimal_places=2)
    shrink_retail = models.DecimalField(max_digits=18, decimal_places=2)
    book_cost = models.DecimalField(max_digits=18, decimal_places=2)

    objects = ScopedQuerySet["CountLine"].as_manager()

    class Meta:
        ordering = ["count_date", "sku"]
        indexes = [
            models.Index(fields=["analysis", "store", "department"]),
            models.Index(fields=["analysis", "store", "sku"]),
        ]

    def __str__(self) -> str:
        return f"{self.sku} at {self.store_id} on {self.count_date}"

    @property
    def accuracy(self) -> float | None:
        """Units found over units on the book: how right the book was."""
        return float(self.counted_qty / self.book_qty) if self.book_qty else None

    @classmethod
    def from_row(cls, analysis: ShrinkAnalysis, store_id: int, row: dict) -> CountLine:  # type: ignore[type-arg]
        book, counted = Decimal(row["book_qty"]), Decimal(row["counted_qty"])
        cost = Decimal(row["unit_cost"])
        retail = Decimal(row["unit_retail"]) if row["unit_retail"] is not None else None
        lost = book - counted
        return cls(
            analysis=analysis,
            store_id=store_id,
            sku=row["sku"],
            department=row["department"],
            count_date=row["count_date"],
            book_qty=book,
            counted_qty=counted,
            unit_cost=cost,
            unit_retail=retail,
            shrink_units=lost,
            shrink_cost=lost * cost,
            shrink_retail=lost * (retail if retail is not None else cost),
            book_cost=book * cost,
        )


class DepartmentSales(Scoped, models.Model):
    """Completed sales of one department at one store in one calendar month."""

    analysis = models.ForeignKey(ShrinkAnalysis, on_delete=models.CASCADE, related_name="sales")
    store = models.ForeignKey("core.Store", on_delete=models.CASCADE, related_name="+")
    department = models.CharField(max_length=100)
    month = models.DateField(help_text="The month's first day")
    sales = models.DecimalField(max_digits=18, decimal_places=2)

    objects = ScopedQuerySet["DepartmentSales"].as_manager()

    def __str__(self) -> str:
        return f"{self.department} at {self.store_id}, {self.month:%Y-%m}"


class Hotspot(Scoped, models.Model):
    """A store x department losing more than the chain does, with why in words and numbers."""

    analysis = models.ForeignKey(ShrinkAnalysis, on_delete=models.CASCADE, related_name="hotspots")
    store = models.ForeignKey("core.Store", on_delete=models.CASCADE, related_name="+")
    department = models.CharField(max_length=100)
    rank = models.PositiveIntegerField()
    shrink_cost = models.DecimalField(max_digits=18, decimal_places=2)
    shrink_rate = models.FloatField()
    chain_rate = models.FloatField()
    counted_units = models.PositiveIntegerField()
    lost_units = models.DecimalField(max_digits=18, decimal_places=2)
    reasons = models.JSONField(default=list, help_text="The engine's reasons, then the drivers")
    drivers = models.JSONField(default=dict, help_text="The other signals' numbers, by signal")

    objects = ScopedQuerySet["Hotspot"].as_manager()

    class Meta:
        ordering = ["analysis", "rank"]

    def __str__(self) -> str:
        return f"#{self.rank} {self.department} at {self.store_id}"

    @property
    def times_chain(self) -> float | None:
        return self.shrink_rate / self.chain_rate if self.chain_rate > 0 else None


class RecommendationStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class Recommendation(Scoped, AuditedModel):
    """What to change where inventory is lost, with the evidence behind it."""

    number = models.CharField(max_length=32, unique=True, editable=False)
    hotspot = models.OneToOneField(Hotspot, on_delete=models.CASCADE, related_name="recommendation")
    # The hot spot's store, kept here as every store-scoped row keeps its own (scope, filters).
    store = models.ForeignKey("core.Store", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=300)
    measures = models.JSONField(default=list, help_text="What to do, one measure per entry")
    evidence = models.JSONField(default=list, help_text="[{text, link}] behind the measures")
    count_frequency = models.CharField(max_length=16)
    status = models.CharField(
        max_length=16,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.PROPOSED,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    action = models.OneToOneField(
        "audits.CorrectiveAction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shrink_recommendation",
        help_text="The tracked action an accepted recommendation became",
    )

    objects = ScopedQuerySet["Recommendation"].as_manager()

    class Meta:
        ordering = ["status", "hotspot__rank"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
