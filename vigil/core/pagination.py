"""Page-number pagination for every API list (set as django-ninja's default class)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase


class Pagination(PaginationBase):
    """Page-number pagination that says where it is: items, count, page, page size."""

    class Input(Schema):
        # Bounded, so a page number past any list is an answer (an empty page), not an
        # offset the database cannot hold.
        page: int = Field(1, ge=1, le=1_000_000, description="1-based page number")
        page_size: int = Field(50, ge=1, le=500, description="Items per page (at most 500)")

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int

    def paginate_queryset(
        self, queryset: Any, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        offset = (pagination.page - 1) * pagination.page_size
        return {
            "items": list(queryset[offset : offset + pagination.page_size]),
            # A list (records gathered from several tables) counts itself; a queryset asks SQL.
            "count": len(queryset) if isinstance(queryset, list) else queryset.count(),
            "page": pagination.page,
            "page_size": pagination.page_size,
        }
