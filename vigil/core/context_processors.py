"""What every page's shell needs: the menu, the stores in scope and the chosen store."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from vigil.core.navigation import menu_for
from vigil.core.roles import Capability, can
from vigil.core.storeswitch import current_store, stores_for_switcher
from vigil.core.work import MenuCount


class May(dict[str, bool]):
    """What the role may do, each capability worked out when a template first asks for it:
    a role setting an administrator stores (``vigil.core.roles.ROLE_SETTINGS``) is read
    from the database only on the pages that use it."""

    def __init__(self, user: Any) -> None:
        super().__init__()
        self._user = user

    def __missing__(self, key: str) -> bool:
        if key not in Capability.values:
            raise KeyError(key)
        allowed = self[key] = can(self._user, Capability(key))
        return allowed


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from vigil.core.models import Role

    external = getattr(user, "role", None) == Role.EXTERNAL
    menu = menu_for(user, request.path)
    store = None if external else current_store(request)
    return {
        "menu": menu,
        "has_admin_menu": any(item.section == "admin" for item in menu),
        # Police, legal and insurers see the portal's shell: no store switcher, no admin.
        "is_external": external,
        "switcher_stores": [] if external else stores_for_switcher(request),
        "current_store": store,
        # The badge beside "My work": counted only when the menu shows that item.
        "my_work": MenuCount(request, store),
        # What the role may do, for buttons: {% if may.record %}+ New incident{% endif %}.
        "may": May(user),
    }
