"""POS leads by transaction id, from the leads' own table.

Leads are written by the thousand per scan, in bulk; copying each into the search index
would double the largest table for the one thing search asks of it, its transaction id,
which the table already indexes. So search asks that index directly: the whole id, or
its start, as typed or in capitals.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from vigil.core.models import User
from vigil.pos.models import PosException
from vigil.search.text import MIN_KEY, Query

# Sorts after every character: a range that is "starts with" on a plain index.
_LAST = "\U0010ffff"


def typed_ids(query: Query) -> list[str]:
    """The transaction ids a query could be the whole or the start of."""
    typed = query.text
    if " " in typed or len(typed) < MIN_KEY:
        return []
    return sorted({typed, typed.upper()})


def matching(user: User, query: Query, store_ids: frozenset[int] | None) -> QuerySet[Any]:
    """The leads ``user`` may see whose transaction id is, or starts with, the query."""
    ids = typed_ids(query)
    if not ids:
        return PosException.objects.none()
    found = PosException.objects.visible_to(user).filter(_starts_with(ids))
    if store_ids is not None:
        found = found.filter(store_id__in=store_ids)
    # In the id's own order: the whole id typed comes before the ids it starts, and the
    # index on it is read in order, however many leads a short start matches.
    return found.select_related("store", "person").order_by("transaction_id", "pk")


def _starts_with(ids: list[str]) -> Q:
    condition = Q()
    for value in ids:
        if connection.vendor == "postgresql":
            # Django indexes a CharField with db_index for LIKE 'prefix%' (varchar_pattern_ops).
            condition |= Q(transaction_id__startswith=value)
        else:
            # SQLite's LIKE ignores case and so its index; a range uses it.
            condition |= Q(transaction_id__gte=value, transaction_id__lt=value + _LAST)
    return condition
