"""What each role may do. Scope (which stores) is ``vigil.core.scoping``; this is the verbs.

Capability checks come after the scoped lookup: a user first fails to *find* an object
outside their stores (404), and only then may be refused an action on one they can see (403).
"""

from __future__ import annotations

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


_READ = {Capability.VIEW}
ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.LP_OFFICER: frozenset(_READ | {Capability.RECORD}),
    Role.LP_MANAGER: frozenset(
        _READ
        | {
            Capability.RECORD,
            Capability.INVESTIGATE,
            Capability.MANAGE_PEOPLE,
            Capability.USE_API_TOKENS,
            Capability.SET_REVIEW_CHOICES,
        }
    ),
    Role.STORE_MANAGER: frozenset(_READ | {Capability.RECORD}),
    Role.REGIONAL_DIRECTOR: frozenset(_READ | {Capability.INVESTIGATE}),
    Role.EXECUTIVE: frozenset(_READ),
    Role.AUDITOR: frozenset(_READ | {Capability.VIEW_AUDIT_LOG}),
    Role.ADMIN: frozenset(set(Capability)),
    # External users read what was shared with them and nothing else.
    Role.EXTERNAL: frozenset(_READ),
}


def can(user: Any, capability: Capability) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return capability in ROLE_CAPABILITIES.get(user.role, frozenset())


def require(user: Any, capability: Capability) -> None:
    """Raise ``PermissionDenied`` unless ``user``'s role grants ``capability``."""
    if not can(user, capability):
        raise PermissionDenied(f"Your role may not {Capability(capability).label.lower()}.")
