"""What every page's shell needs: the menu, the stores in scope and the chosen store."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from vigil.core.navigation import menu_for
from vigil.core.storeswitch import current_store, stores_for_switcher


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "menu": menu_for(user, request.path),
        "switcher_stores": stores_for_switcher(request),
        "current_store": current_store(request),
    }
