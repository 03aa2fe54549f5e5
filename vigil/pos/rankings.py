"""Who sees individual employees' risk rankings, and the places the rankings show.

Which roles see a ranking of named employees is a role setting
(``Capability.VIEW_EMPLOYEE_RANKINGS``): its defaults are declared with the other roles in
:mod:`vigil.core.roles`, and an administrator's choice is the one ``RankingAccess`` row. This
module registers that row as the setting's source, so ``can()`` answers from it everywhere:
pages, menus and links, and the API.

A scan ranks every employee (and store) of its data set: 1 is the one most in need of
review. Someone who sees some stores only would read those ranks with gaps (6, 8, 15), so
what is shown is the *place* among the rows the user sees, in the scan's order: 1, 2, 3 …
without gaps. The scan's own rank stays in the data (and the API), for anyone comparing.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import F, Model, QuerySet, Value
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber

from vigil.core.models import Role, User
from vigil.core.roles import ROLE_SETTINGS, Capability, default_roles_with, require
from vigil.pos.models import RankingAccess

Ranked = TypeVar("Ranked", bound=Model)


def current_access() -> RankingAccess:
    """The stored setting, or the default (as declared in the roles) before anyone saved one."""
    return RankingAccess.objects.filter(pk=RankingAccess.SINGLETON_PK).first() or (
        RankingAccess(pk=RankingAccess.SINGLETON_PK)
    )


def roles_seeing_rankings() -> frozenset[str]:
    """The roles whose users see individual employees' risk rankings now."""
    return frozenset(current_access().roles)


def set_roles(admin: User, roles: list[str]) -> RankingAccess:
    """Store which roles see individual rankings (audited); an administrator's choice."""
    require(admin, Capability.MANAGE_USERS)
    unknown = sorted(set(roles) - set(Role.values))
    if unknown:
        raise ValidationError({"roles": f"Unknown roles: {', '.join(unknown)}."})
    if Role.EXTERNAL in roles:
        raise ValidationError(
            {"roles": "External users see only what is shared with them, never a ranking."}
        )
    access = current_access()
    access.roles = list(roles)
    access.save()
    return access


def default_labels() -> list[str]:
    """The roles that see rankings by default, in words, for the setting's page."""
    held = default_roles_with(Capability.VIEW_EMPLOYEE_RANKINGS)
    return [str(label) for value, label in Role.choices if value in held]


def register() -> None:
    """Make the stored setting the source of ``can(user, VIEW_EMPLOYEE_RANKINGS)``."""
    ROLE_SETTINGS[Capability.VIEW_EMPLOYEE_RANKINGS] = roles_seeing_rankings


def placed(rows: QuerySet[Ranked]) -> QuerySet[Ranked]:
    """``rows`` (rankings of one scan, as the user sees them) with ``place``: 1, 2, 3 … in
    the scan's order, counted among these rows only, so there is no gap where another
    store's employee stands."""
    order = (F("rank").asc(), F("pk").asc())
    annotated: QuerySet[Ranked] = rows.annotate(place=Window(RowNumber(), order_by=order))
    return annotated


def placed_one(rows: QuerySet[Ranked], **lookup: object) -> QuerySet[Ranked]:
    """The row of ``rows`` that ``lookup`` finds (an employee searched for), with its place
    among all of ``rows``: searching for someone does not make them number 1."""
    found = rows.filter(**lookup).values_list("pk", "rank").first()
    if found is None:
        return rows.none()
    pk, rank = found
    annotated: QuerySet[Ranked] = rows.filter(pk=pk).annotate(place=Value(place_of(rows, rank)))
    return annotated


def place_of(rows: QuerySet[Ranked], rank: int) -> int:
    """The place of the row ranked ``rank`` among ``rows``."""
    return rows.filter(rank__lt=rank).count() + 1
