"""Reference numbers an officer can read over the phone: ``INC-2026-000042``.

Numbers come from a locked counter row per prefix and year, so two officers filing at the
same moment never get the same number and no number is skipped by a failed insert that
rolls back with it.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from vigil.core.models.numbering import NumberSequence


def next_number(prefix: str, digits: int = 6) -> str:
    """The next reference number for ``prefix`` in the current year."""
    year = timezone.now().year
    with transaction.atomic():
        counter = _locked_counter(prefix, year)
        counter.last += 1
        counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:0{digits}d}"


def _locked_counter(prefix: str, year: int) -> NumberSequence:
    counter = NumberSequence.objects.select_for_update().filter(prefix=prefix, year=year).first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():
            return NumberSequence.objects.create(prefix=prefix, year=year)
    except IntegrityError:  # another writer created it between our read and insert
        return NumberSequence.objects.select_for_update().get(prefix=prefix, year=year)
