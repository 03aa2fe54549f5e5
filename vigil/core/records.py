"""Creating and editing organisation records (stores, opening hours, people) with validation.

Every change goes through ``full_clean`` and ``save``, so model validation and the audit log
apply whether the change came from a page, the API or the demo seed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import time
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from vigil.core.models import OpeningHours, Person, Store

M = TypeVar("M", bound=models.Model)
PeopleQuerySet = TypeVar("PeopleQuerySet", bound=models.QuerySet[Person])


def apply_changes(obj: M, changes: Mapping[str, Any]) -> M:
    """Set fields from ``changes`` (None means 'leave as is'), validate and save."""
    for name, value in changes.items():
        if value is not None:
            setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


def set_opening_hours(store: Store, hours: Iterable[tuple[int, time, time]]) -> None:
    """Replace a store's weekly opening hours; a weekday left out means closed."""
    wanted = {weekday: (opens, closes) for weekday, opens, closes in hours}
    with transaction.atomic():
        for existing in store.opening_hours.all():
            if existing.weekday not in wanted:
                existing.delete()
            elif (existing.opens, existing.closes) != wanted[existing.weekday]:
                existing.opens, existing.closes = wanted[existing.weekday]
                existing.save()
            wanted.pop(existing.weekday, None)
        for weekday, (opens, closes) in wanted.items():
            if opens == closes:
                raise ValidationError(
                    {"opening_hours": f"weekday {weekday} opens and closes at once"}
                )
            OpeningHours.objects.create(store=store, weekday=weekday, opens=opens, closes=closes)


def search_people(people: PeopleQuerySet, query: str | None) -> PeopleQuerySet:
    """People whose name contains ``query`` or whose employee id is exactly it."""
    if not query:
        return people
    return people.filter(models.Q(name__icontains=query) | models.Q(employee_id__iexact=query))
