"""Managing users: creating them, and changing their role and store scope.

An administrator can hand out no more than they hold: only someone who sees every store
may grant every store, and scoped administrators may grant only stores and regions they see.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from vigil.core.models import Person, Region, Role, ScopeKind, Store, User
from vigil.core.scoping import forget_scope, scope_of


def _visible_stores(admin: User, codes: Iterable[str]) -> list[Store]:
    codes = list(dict.fromkeys(codes))
    found = {store.code: store for store in Store.objects.visible_to(admin).filter(code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise ValidationError({"stores": f"unknown store code(s): {', '.join(missing)}"})
    return [found[code] for code in codes]


def _visible_regions(admin: User, codes: Iterable[str]) -> list[Region]:
    codes = list(dict.fromkeys(codes))
    found = {r.code: r for r in Region.objects.visible_to(admin).filter(code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise ValidationError({"regions": f"unknown region code(s): {', '.join(missing)}"})
    if not scope_of(admin).everything:
        allowed = scope_of(admin).store_ids
        for region in found.values():
            if not set(region.stores.values_list("id", flat=True)) <= allowed:
                raise PermissionDenied(f"You do not see every store of region {region.code}.")
    return [found[code] for code in codes]


def _check_grant(admin: User, scope_kind: str) -> None:
    if scope_kind == ScopeKind.EVERYTHING and not scope_of(admin).everything:
        raise PermissionDenied("Only an administrator who sees every store may grant that.")


def filter_users(
    users: QuerySet[User],
    *,
    q: str | None = None,
    role: str | None = None,
    active: str | None = None,
) -> QuerySet[User]:
    """Narrow the user list as an administrator searches it."""
    if q:
        users = users.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
        )
    if role:
        users = users.filter(role=role)
    if active:
        users = users.filter(is_active=active == "yes")
    return users


def create_user(admin: User, data: dict[str, Any]) -> User:
    """Create a login with a validated password, role and scope."""
    username = data["username"].strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"{username!r} is taken"})
    scope_kind = data.get("scope_kind", ScopeKind.STORES)
    _check_grant(admin, scope_kind)
    user = User(
        username=username,
        first_name=data.get("first_name", ""),
        last_name=data.get("last_name", ""),
        email=data.get("email", ""),
        role=data["role"],
        scope_kind=scope_kind,
        organisation_name=data.get("organisation_name", ""),
    )
    if data.get("employee_id"):
        user.person = (
            Person.objects.visible_to(admin).filter(employee_id=data["employee_id"]).first()
        )
        if user.person is None:
            raise ValidationError({"employee_id": f"unknown employee id {data['employee_id']!r}"})
    password_validation.validate_password(data["password"], user)
    user.set_password(data["password"])
    user.full_clean()
    with transaction.atomic():
        user.save()
        _set_scope(admin, user, data.get("stores"), data.get("regions"))
    return user


def change_user(admin: User, user: User, data: dict[str, Any]) -> User:
    """Change a user's details, role, scope or active flag (each change audited)."""
    if user.pk == admin.pk and (
        data.get("role") not in (None, admin.role) or data.get("is_active") is False
    ):
        raise PermissionDenied("You cannot change your own role or deactivate yourself.")
    if data.get("scope_kind") is not None:
        _check_grant(admin, data["scope_kind"])
    with transaction.atomic():
        for name in (
            "first_name",
            "last_name",
            "email",
            "role",
            "scope_kind",
            "is_active",
            "organisation_name",
        ):
            if data.get(name) is not None:
                setattr(user, name, data[name])
        if user.role == Role.EXTERNAL:
            user.scope_kind = ScopeKind.STORES
        user.full_clean()
        user.save()
        _set_scope(admin, user, data.get("stores"), data.get("regions"))
    forget_scope(user)
    return user


def _set_scope(
    admin: User, user: User, stores: list[str] | None, regions: list[str] | None
) -> None:
    if stores is not None:
        user.stores.set(_visible_stores(admin, stores))
    if regions is not None:
        user.regions.set(_visible_regions(admin, regions))
