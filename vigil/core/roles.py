"""What each role may do. Scope (which stores) is ``vigil.core.scoping``; this is the verbs.

Capability checks come after the scoped lookup: a user first fails to *find* an object
outside their stores (404), and only then may be refused an action on one they can see (403).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from vigil.core.models import Role


class Capability(models.TextChoices):
    VIEW = "view", "See data of stores in scope"
    RECORD = "record", "Record incidents, audits and evidence"
    INVESTIGATE = "investigate", "Work cases and POS exceptions"
    MANAGE_PEOPLE = "manage_people", "Edit employee records"
    MANAGE_ORGANISATION = "manage_organisation", "Edit regions and stores"
    MANAGE_USERS = "manage_users", "Manage users, roles and API tokens"
    VIEW_AUDIT_LOG = "view_audit_log", "Read and export the audit log"
    USE_API_TOKENS = "use_api_tokens", "Create one's own API tokens"
    SET_REVIEW_CHOICES = "set_review_choices", "Set the reasons reviewers choose from"
    VIEW_EMPLOYEE_RANKINGS = (
        "view_employee_rankings",
        "See individual employees' POS risk rankings",
    )


_READ = {Capability.VIEW}
# Individual employees' risk rankings are for loss prevention and the regional director: a
# store manager sees the store's figures and leads, not a ranking of their own supervisors
# and cashiers (an administrator may give it to more roles, see ROLE_SETTINGS).
_RANKINGS = {Capability.VIEW_EMPLOYEE_RANKINGS}
ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.LP_OFFICER: frozenset(_READ | _RANKINGS | {Capability.RECORD}),
    Role.LP_MANAGER: frozenset(
        _READ
        | _RANKINGS
        | {
            Capability.RECORD,
            Capability.INVESTIGATE,
            Capability.MANAGE_PEOPLE,
            Capability.USE_API_TOKENS,
            Capability.SET_REVIEW_CHOICES,
        }
    ),
    Role.STORE_MANAGER: frozenset(_READ | {Capability.RECORD}),
    Role.REGIONAL_DIRECTOR: frozenset(_READ | _RANKINGS | {Capability.INVESTIGATE}),
    Role.EXECUTIVE: frozenset(_READ),
    Role.AUDITOR: frozenset(_READ | {Capability.VIEW_AUDIT_LOG}),
    Role.ADMIN: frozenset(set(Capability)),
    # External users read what was shared with them and nothing else.
    Role.EXTERNAL: frozenset(_READ),
}


# Capabilities that are a role setting: which roles hold them is the administrator's choice,
# stored by the app that owns the setting, which registers here how to read it (the roles
# holding it now). ROLE_CAPABILITIES then holds only their defaults. POS rankings:
# vigil.pos.rankings.
ROLE_SETTINGS: dict[Capability, Callable[[], frozenset[str]]] = {}


def can(user: Any, capability: Capability) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    setting = ROLE_SETTINGS.get(capability)
    if setting is not None:
        return bool(user.role in setting())
    return capability in ROLE_CAPABILITIES.get(user.role, frozenset())


def default_roles_with(capability: Capability) -> frozenset[str]:
    """The roles that hold ``capability`` before an administrator changes its setting."""
    return frozenset(role for role, held in ROLE_CAPABILITIES.items() if capability in held)


def capabilities_of(user: Any) -> list[Capability]:
    """What ``user`` may do now, role settings included (the API's "me" lists it)."""
    return [capability for capability in Capability if can(user, capability)]


def require(user: Any, capability: Capability) -> None:
    """Raise ``PermissionDenied`` unless ``user``'s role grants ``capability``."""
    if not can(user, capability):
        raise PermissionDenied(f"Your role may not {Capability(capability).label.lower()}.")
