"""Saving, finding and deleting a user's named views of a list (:class:`SavedView`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse

from vigil.core.lists import NOT_FILTERS, registered_lists
from vigil.core.models import SavedView, User

MAX_VIEWS_PER_LIST = 30


def clean_query(query: str) -> str:
    """The filters and sort of ``query``, without the page or an export (a view is a list)."""
    parsed = QueryDict(query, mutable=True)
    for name in NOT_FILTERS:
        if name != "sort":
            parsed.pop(name, None)
    return parsed.urlencode()


def save_view(user: User, list_key: str, name: str, query: str) -> SavedView:
    """Keep ``query`` as ``name`` for ``list_key``; a name already used is updated."""
    if list_key not in registered_lists():
        raise ValidationError({"list_key": "There is no list of that name."})
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the view a name."})
    query = clean_query(query)
    if len(query) > SavedView._meta.get_field("query").max_length:  # type: ignore[operator]
        raise ValidationError({"query": "These filters are too long to save as a view."})
    views = SavedView.objects.filter(user=user, list_key=list_key)
    if not views.filter(name=name).exists() and views.count() >= MAX_VIEWS_PER_LIST:
        raise ValidationError(
            {"name": f"A list keeps at most {MAX_VIEWS_PER_LIST} views; delete one first."}
        )
    view, _ = SavedView.objects.update_or_create(
        user=user, list_key=list_key, name=name[:80], defaults={"query": query}
    )
    return view


def url_of(view: SavedView) -> str:
    """The list with the view's filters and sort (the address comes from the list, not input)."""
    address = reverse(registered_lists()[view.list_key].list_url)
    return f"{address}?{view.query}" if view.query else address
