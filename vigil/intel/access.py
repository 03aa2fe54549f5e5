"""Who sees link suggestions, profiles and networks: loss prevention, never the stores.

A suggestion that two people are one is an investigator's lead, not a fact: store managers,
associates, executives, auditors and outside parties never see one. Deciding a suggestion,
opening a case from a network or running the linking needs the investigate capability.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from vigil.core.models import Role

LP_ROLES = frozenset({Role.LP_OFFICER, Role.LP_MANAGER, Role.REGIONAL_DIRECTOR, Role.ADMIN})


def is_lp(user: Any) -> bool:
    """Whether ``user``'s role is a loss-prevention one (officer, investigator, director, admin)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "role", None) in LP_ROLES
    )


def require_lp(user: Any) -> None:
    if not is_lp(user):
        raise PermissionDenied("Link suggestions and profiles are for loss-prevention roles.")
