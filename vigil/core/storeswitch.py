"""The store switcher: which of their stores a user is looking at right now.

The choice lives in the session. It narrows lists; it never widens scope, because the
chosen store is re-checked against the user's scope on every request.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from vigil.core.models import Store

SESSION_KEY = "vigil_store_code"
M = TypeVar("M", bound=Model)


def stores_for_switcher(request: HttpRequest) -> QuerySet[Store]:
    return Store.objects.visible_to(request.user).filter(is_active=True).only("code", "name")


def current_store(request: HttpRequest) -> Store | None:
    """The store chosen in the switcher, if the user may still see it."""
    code = request.session.get(SESSION_KEY)
    if not code:
        return None
    return Store.objects.visible_to(request.user).filter(code=code).first()


def in_current_store(request: HttpRequest, found: QuerySet[M], field: str = "store") -> QuerySet[M]:
    """``found`` narrowed to the switcher's store (by ``field``), or as it is for "all"."""
    chosen = current_store(request)
    return found.filter(**{field: chosen}) if chosen is not None else found


def choose_store(request: HttpRequest, code: str | None) -> Store | None:
    """Remember ``code`` (or 'all my stores' for None); unknown codes choose nothing."""
    store = Store.objects.visible_to(request.user).filter(code=code).first() if code else None
    if store is None:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session[SESSION_KEY] = store.code
    return store
