"""The retailer's shape: organisation, regions (districts) and stores."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from vigil.core.changelog import AuditedModel
from vigil.core.scoping import Scoped, ScopedQuerySet

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$",
    "Use 1-32 letters, digits, '.', '_' or '-', starting with a letter or digit.",
)


def validate_timezone(name: str) -> None:
    if name not in zoneinfo.available_timezones():
        raise ValidationError(f"{name!r} is not an IANA time zone (e.g. America/Chicago).")


class Organisation(AuditedModel):
    """The retailer that runs this Vigil instance."""

    name = models.CharField(max_length=200)
    currency = models.CharField(max_length=3, default="USD")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Region(Scoped, AuditedModel):
    """A district or region: a group of stores with one director."""

    scope_path: ClassVar[str] = "stores"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="regions")
    code = models.CharField(max_length=32, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)

    objects = ScopedQuerySet["Region"].as_manager()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Store(Scoped, AuditedModel):
    """A store: the unit of access control. ``code`` is the store id in POS data."""

    scope_path: ClassVar[str] = "id"

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="stores")
    code = models.CharField(
        max_length=32, unique=True, validators=[code_validator], help_text="Store id in POS data"
    )
    name = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    street = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="US")
    phone = models.CharField(max_length=40, blank=True)
    is_active = models.BooleanField(default=True)

    objects = ScopedQuerySet["Store"].as_manager()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def local_now(self) -> datetime:
        return timezone.now().astimezone(self.zone)

    @property
    def address(self) -> str:
        locality = " ".join(part for part in (self.state, self.postal_code) if part)
        parts = [self.street, self.city, locality, self.country]
        return ", ".join(part for part in parts if part)

    def is_open_at(self, moment: datetime) -> bool:
        """Whether ``moment`` falls within the store's opening hours, in store time."""
        local = moment.astimezone(self.zone)
        for hours in self.opening_hours.all():
            if hours.covers(local.weekday(), local.time()):
                return True
        return False


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class OpeningHours(Scoped, AuditedModel):
    """When a store trades on one weekday, in the store's own time zone.

    ``closes`` earlier than ``opens`` means the store closes after midnight.
    """

    scope_path: ClassVar[str] = "store"

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    objects = ScopedQuerySet["OpeningHours"].as_manager()

    class Meta:
        ordering = ["store", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["store", "weekday"], name="one_opening_per_weekday")
        ]
        verbose_name_plural = "opening hours"

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"

    def covers(self, weekday: int, at: time) -> bool:
        if self.opens <= self.closes:
            return weekday == self.weekday and self.opens <= at < self.closes
        # Past midnight: the evening of this weekday or the small hours of the next.
        return (weekday == self.weekday and at >= self.opens) or (
            weekday == (self.weekday + 1) % 7 and at < self.closes
        )
