"""Saved views: an analyst's named filters of the lead report, opened again each morning."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import ValidationError

from vigil.core.models import User
from vigil.pos.filters import LeadFilters
from vigil.pos.models import SavedView

MAX_VIEWS = 50
MAX_QUERY = 1000  # SavedView.query's length


def save(user: User, name: str, filters: LeadFilters) -> SavedView:
    """Keep ``filters`` under ``name`` for ``user`` (the same name replaces the old one)."""
    name = " ".join(name.split())
    if not name or len(name) > 80:
        raise ValidationError({"name": "Name the view in 1 to 80 characters."})
    query = urlencode(filters.as_query())
    if len(query) > MAX_QUERY:
        raise ValidationError({"name": "These filters are too long to keep; shorten them."})
    found = SavedView.objects.filter(owner=user, name=name).first()
    if found is None and SavedView.objects.filter(owner=user).count() >= MAX_VIEWS:
        raise ValidationError({"name": f"Keep at most {MAX_VIEWS} views; remove one first."})
    view, _ = SavedView.objects.update_or_create(owner=user, name=name, defaults={"query": query})
    return view


def of(user: User) -> list[SavedView]:
    return list(SavedView.objects.filter(owner=user))
