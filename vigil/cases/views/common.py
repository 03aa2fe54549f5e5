"""What every investigation page needs: scoped lookups, store time zones, form errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from vigil.core import clock
from vigil.core.lists import valid_filters
from vigil.core.models import Role, ScopeKind, Store, User


@contextmanager
def store_time(store: Store | None) -> Iterator[None]:
    """Read form input in the store's own zone: the clock its video and receipts use.

    Pages show times with the ``at_store`` filters (``vigil.core.clock``), which name the zone
    whatever zone is active; this override is what lets a typed ``11:53`` mean the store's.
    """
    if store is None:
        yield
        return
    with timezone.override(clock.zone_of(store)):
        yield


def stores_for(user: User, request: HttpRequest) -> QuerySet[Store]:
    """Stores the user may record for, the switcher's current store first."""
    from vigil.core.storeswitch import current_store

    stores = Store.objects.visible_to(user).filter(is_active=True)
    chosen = current_store(request)
    return stores.filter(pk=chosen.pk) if chosen is not None else stores


def add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a domain ValidationError on the form: field errors on fields, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def assignable_users(store: Store) -> QuerySet[User]:
    """Active users who can see ``store``: the only people a case there can go to."""
    # The scope rule of vigil.core.scoping, as one query instead of one scope per user.
    sees_store = (
        Q(scope_kind=ScopeKind.EVERYTHING) | Q(stores=store) | Q(regions__id=store.region_id)
    )
    users = User.objects.filter(sees_store, is_active=True).exclude(role=Role.EXTERNAL)
    return User.objects.filter(pk__in=users.values("pk")).order_by("first_name", "username")


def store_from_post(request: HttpRequest, stores: QuerySet[Store]) -> Store | None:
    code = request.POST.get("store", "")
    return stores.filter(code=code).first() if code else stores.first()


# The valid filters of a list's form (the list mechanism's rule, under the name the views use).
filters_of = valid_filters
