"""Search API: ``GET /api/v1/search?q=…``, the search page's results as JSON."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

from datetime import UTC
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from vigil.cases import lookups
from vigil.core import clock
from vigil.core.pages import api_user
from vigil.search import finder
from vigil.search.finder import Group
from vigil.search.hits import Hit
from vigil.search.schemas import SearchFilters, SearchOut

router = Router(tags=["search"])


@router.get("/search", response=SearchOut)
def search(request: HttpRequest, filters: Query[SearchFilters]) -> dict[str, Any]:
    """Incidents, cases, subjects, vehicles, evidence, POS leads and people that match, in
    the caller's stores, grouped by kind (each group one page of ``limit``)."""
    user = api_user(request)
    store = lookups.store(user, filters.store) if filters.store else None
    found = finder.find(
        user,
        filters.q,
        kinds=[filters.kind] if filters.kind else None,
        store=store,
        limit=filters.limit,
        offset=filters.offset,
    )
    return {
        "q": found.query.text,
        "total": found.total,
        "groups": [_group(g) for g in found.groups],
    }


def _group(group: Group) -> dict[str, Any]:
    return {
        "kind": group.kind,
        "label": group.label,
        "total": group.total,
        "capped": group.capped,
        "items": [_hit(hit) for hit in group.hits],
    }


def _hit(hit: Hit) -> dict[str, Any]:
    return {
        "kind": hit.kind,
        "url": hit.url,
        "reference": hit.reference,
        "title": hit.title,
        "facts": [fact for fact in hit.facts if fact],
        "store": hit.store.code,
        "store_name": hit.store.name,
        "at": hit.at.astimezone(UTC) if hit.at else None,
        "at_store": clock.at_store(hit.at, hit.store) if hit.at else "",
        "note": hit.note,
    }
