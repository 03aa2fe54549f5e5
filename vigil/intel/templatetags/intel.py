"""``{% intel_suggestions incident %}``: the link suggestions panel of an incident, subject or
vehicle page, shown to loss-prevention roles only."""

from __future__ import annotations

from typing import Any

from django import template

from vigil.core.roles import Capability, can
from vigil.intel.access import is_lp
from vigil.intel.profiles import suggestions_about

register = template.Library()


@register.inclusion_tag("intel/_suggestion_panel.html", takes_context=True)
def intel_suggestions(context: template.Context, about: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if about is None or user is None or not is_lp(user):
        return {"shown": False}
    lines = suggestions_about(user, about)
    return {
        "shown": bool(lines),
        "lines": lines,
        "can_investigate": can(user, Capability.INVESTIGATE),
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
    }
