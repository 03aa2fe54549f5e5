"""The main menu: every area of Vigil, shown to those whose role may use it.

An area whose app is not installed yet (its URL name does not resolve) is listed but
disabled, so the shell shows the whole product map from day one without dead links.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from vigil.core.roles import Capability, can
from vigil.core.work import offers_work


@dataclass(frozen=True)
class Area:
    label: str
    url_name: str
    capability: Capability = Capability.VIEW
    section: str = "main"
    # "internal" areas are the company's; "external" ones are the portal of police, legal
    # and insurers, who see nothing else.
    audience: str = "internal"
    # Narrower than the capability: offered only where this says so (My work, to a role
    # that has work). ``counted`` areas show the My work badge beside their label.
    offered: Callable[[Any], bool] | None = None
    counted: bool = False


def loss_prevention(user: Any) -> bool:
    """Link suggestions, profiles and networks are for LP roles only (vigil.intel.access)."""
    from vigil.core.models import Role

    lp_roles = {Role.LP_OFFICER, Role.LP_MANAGER, Role.REGIONAL_DIRECTOR, Role.ADMIN}
    return getattr(user, "role", None) in lp_roles


AREAS: tuple[Area, ...] = (
    Area("Dashboard", "core:dashboard"),
    Area("My work", "core:my-work", offered=offers_work, counted=True),
    Area("Reports", "reports:dashboard"),
    Area("Alerts", "video:alerts"),
    Area("Cameras", "video:camera-list"),
    Area("Incidents", "cases:incident-list"),
    Area("Cases", "cases:case-list"),
    Area("Subjects", "cases:subject-list"),
    Area("Evidence", "evidence:evidence-list"),
    Area("POS exceptions", "pos:exception-list"),
    Area("Shrink", "shrink:overview"),
    Area("Audits", "audits:audit-list"),
    Area("Safety", "safety:overview"),
    Area("Training", "training:overview"),
    Area("Intelligence", "intel:overview", offered=loss_prevention),
    Area("Sharing", "sharing:grant-list", Capability.INVESTIGATE),
    Area("Stores", "core:store-list", section="admin"),
    Area("People", "core:person-list", section="admin"),
    Area("Users", "core:user-list", Capability.MANAGE_USERS, section="admin"),
    Area("Two-factor policy", "twofactor:policy", Capability.MANAGE_USERS, section="admin"),
    Area("Who sees rankings", "pos:ranking-access", Capability.MANAGE_USERS, section="admin"),
    Area("API tokens", "core:token-list", section="admin"),
    Area("Audit log", "core:audit-log", Capability.VIEW_AUDIT_LOG, section="admin"),
    Area("Retention", "retention:overview", Capability.MANAGE_ORGANISATION, section="admin"),
    Area("Agencies", "sharing:agency-list", Capability.MANAGE_USERS, section="admin"),
    Area("Shared with me", "sharing:portal", audience="external"),
    Area("Requests", "sharing:portal-requests", audience="external"),
)


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str | None
    active: bool
    section: str
    counted: bool = False

    @property
    def available(self) -> bool:
        return self.url is not None


def menu_for(user: Any, current_path: str) -> list[MenuItem]:
    """The menu items ``user`` may use; unbuilt areas come with ``url=None``."""
    from vigil.core.models import Role

    audience = "external" if getattr(user, "role", None) == Role.EXTERNAL else "internal"
    found: list[tuple[Area, str | None]] = []
    for area in AREAS:
        if area.audience != audience or not can(user, area.capability):
            continue
        if area.offered is not None and not area.offered(user):
            continue
        try:
            found.append((area, reverse(area.url_name)))
        except NoReverseMatch:
            found.append((area, None))
    # The area whose address is the longest start of the current path is the one open
    # (/portal/requests/ belongs to Requests, not to Shared with me at /portal/).
    matching = [
        url
        for _, url in found
        if url is not None and (current_path == url if url == "/" else current_path.startswith(url))
    ]
    open_url = max(matching, key=len, default=None)
    return [
        MenuItem(area.label, url, url is not None and url == open_url, area.section, area.counted)
        for area, url in found
    ]
