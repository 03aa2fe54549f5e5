"""Page-number pagination for every API list (set as django-ninja's default class).

The count is bounded: a list of 150,000 incidents is counted up to :data:`COUNT_BOUND` and
answered with ``count_exact: false``, because counting every row in scope on every page
cost more than the page itself (the load benchmark, bench/README.md). Every page is counted
the same way, so an answer's queries do not depend on how full its page is (the budgets in
tests/*/test_query_budgets.py compare them).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

# The same bound as the pages' lists (vigil.core.lists): past it, "10,000+" is as useful
# to a reader as the exact figure, and it costs a bounded scan instead of the whole table.
COUNT_BOUND = 10_000


class Pagination(PaginationBase):
    """Page-number pagination that says where it is: items, count, page, page size."""

    class Input(Schema):
        # Bounded, so a page number past any list is an answer (an empty page), not an
        # offset the database cannot hold.
        page: int = Field(1, ge=1, le=1_000_000, description="1-based page number")
        page_size: int = Field(50, ge=1, le=500, description="Items per page (at most 500)")

    class Output(Schema):
        items: list[Any]
        count: int = Field(
            ...,
            description=f"Items across all pages, counted up to {COUNT_BOUND:,}: "
            "past that it is the bound and count_exact is false",
        )
        count_exact: bool = Field(
            ..., description=f"False when there are more than {COUNT_BOUND:,} items"
        )
        page: int
        page_size: int

    def paginate_queryset(
        self, queryset: Any, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        offset = (pagination.page - 1) * pagination.page_size
        items = list(queryset[offset : offset + pagination.page_size])
        count, exact = _count(queryset)
        return {
            "items": items,
            "count": count,
            "count_exact": exact,
            "page": pagination.page,
            "page_size": pagination.page_size,
        }


def _count(found: Any) -> tuple[int, bool]:
    """How many items the list holds (up to the bound) and whether that is all of them."""
    if not isinstance(found, QuerySet):  # records gathered from several tables: a list
        return len(found), True
    # COUNT(*) over a LIMIT-ed subquery, unsorted, so the database stops at the bound.
    counted = int(found.order_by()[: COUNT_BOUND + 1].count())
    return min(counted, COUNT_BOUND), counted <= COUNT_BOUND
