"""Store scope: the one mechanism that decides which rows a user may see.

Every model that belongs to a store declares ``scope_path``, the ORM path from the model to
its ``Store`` (``"home_store"`` for a person, ``"id"`` for a store itself), and uses
:class:`ScopedQuerySet`. Views and API handlers fetch through ``visible_to(user)`` or
:func:`get_visible_or_404`, so an object outside a user's scope is simply not found: the user
gets 404, never 403, and never learns that the object exists.

External users (police, legal, insurers) have no store scope at all; they see exactly the
objects shared with them through an :class:`~vigil.core.models.AccessGrant`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar, cast

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.http import Http404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from vigil.core.models import User

_SCOPE_CACHE_ATTR = "_vigil_store_scope"
M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class StoreScope:
    """The stores one user may see: everything, or a fixed set of store ids."""

    everything: bool
    store_ids: frozenset[int]

    def allows(self, store_id: int | None) -> bool:
        if self.everything:
            return True
        return store_id is not None and store_id in self.store_ids

    @property
    def is_empty(self) -> bool:
        return not self.everything and not self.store_ids


NO_STORES = StoreScope(everything=False, store_ids=frozenset())
ALL_STORES = StoreScope(everything=True, store_ids=frozenset())


def scope_of(user: User | AnonymousUser | None) -> StoreScope:
    """The store scope of ``user``, computed once per user object (so once per request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_STORES
    cached: StoreScope | None = getattr(user, _SCOPE_CACHE_ATTR, None)
    if cached is None:
        cached = _compute_scope(user)
        setattr(user, _SCOPE_CACHE_ATTR, cached)
    return cached


def forget_scope(user: object) -> None:
    """Drop the cached scope after the user's role or stores changed."""
    if hasattr(user, _SCOPE_CACHE_ATTR):
        delattr(user, _SCOPE_CACHE_ATTR)


def _compute_scope(user: User) -> StoreScope:
    from vigil.core.models import Role, ScopeKind, Store

    if user.role == Role.EXTERNAL:
        return NO_STORES
    if user.scope_kind == ScopeKind.EVERYTHING:
        return ALL_STORES
    ids = set(user.stores.values_list("id", flat=True))
    region_ids = list(user.regions.values_list("id", flat=True))
    if region_ids:
        ids.update(Store.objects.filter(region_id__in=region_ids).values_list("id", flat=True))
    return StoreScope(everything=False, store_ids=frozenset(ids))


class ScopedQuerySet(models.QuerySet[M]):
    """A queryset that can narrow itself to what a user may see."""

    def visible_to(self, user: User | AnonymousUser | None) -> Self:
        scope = scope_of(user)
        if scope.everything:
            return self.all()
        path: str = getattr(self.model, "scope_path")  # noqa: B009 - declared per model
        condition = Q(**{f"{path}__in": scope.store_ids}) if scope.store_ids else Q(pk__in=[])
        granted = granted_ids(user, self.model)
        if granted:
            condition |= Q(pk__in=granted)
        narrowed = self.filter(condition)
        # A path through a to-many relation (a region's stores) would repeat rows.
        return narrowed.distinct() if _crosses_to_many(self.model, path) else narrowed


class Scoped(models.Model):
    """Abstract base for models that belong to a store."""

    scope_path: ClassVar[str] = "store"

    class Meta:
        abstract = True


def _crosses_to_many(model: type[models.Model], path: str) -> bool:
    current: Any = model
    for part in path.split("__"):
        if part in {"id", "pk"}:
            return False
        field = current._meta.get_field(part)
        if field.one_to_many or field.many_to_many:
            return True
        current = field.related_model
    return False


def store_id_of(obj: models.Model) -> int | None:
    """Follow an object's ``scope_path`` to the id of its store (None for none or many)."""
    path: str | None = getattr(obj, "scope_path", None)
    if path is None:
        return None
    if path in {"id", "pk"}:
        return int(obj.pk) if obj.pk is not None else None
    parts = path.split("__")
    target: Any = obj
    for part in parts[:-1]:
        target = getattr(target, part, None)
        if target is None:
            return None
    last = parts[-1]
    value = getattr(target, f"{last}_id", None)
    return int(value) if isinstance(value, int) else None


def granted_ids(user: User | AnonymousUser | None, model: type[models.Model]) -> list[Any]:
    """Primary keys of ``model`` rows shared with ``user`` (or their agency) by a live grant.

    Only external users hold grants; everyone else sees by store scope alone, so their
    lists cost no extra query.
    """
    from vigil.core.models import AccessGrant, Role

    if user is None or not user.is_authenticated or getattr(user, "role", None) != Role.EXTERNAL:
        return []

    content_type = ContentType.objects.get_for_model(model)
    live = AccessGrant.objects.live().reaching(user).filter(content_type=content_type)
    return [_typed_pk(model, raw) for raw in live.values_list("object_id", flat=True)]


def _typed_pk(model: type[models.Model], raw: str) -> Any:
    return model._meta.pk.to_python(raw) if model._meta.pk is not None else raw


def get_visible_or_404(
    queryset: models.QuerySet[M], user: User | AnonymousUser | None, **lookup: Any
) -> M:
    """The one object matching ``lookup`` that ``user`` may see, or Http404."""
    if not isinstance(queryset, ScopedQuerySet):
        raise TypeError(f"{queryset.model.__name__} has no store scope (use ScopedQuerySet)")
    try:
        return cast(M, queryset.visible_to(user).get(**lookup))
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404(f"No {queryset.model._meta.verbose_name} matches the given query.") from None
