"""The case page's links section: what is linked, the link box, and the inline
"New subject" / "New vehicle" forms (:mod:`vigil.cases.views.linking`)."""

from __future__ import annotations

from typing import Any

from django import template

from vigil.cases.forms import CaseSubjectForm, CaseVehicleForm
from vigil.cases.linking import MIN_CHARS
from vigil.cases.models import CaseStatus
from vigil.core.roles import Capability, can

register = template.Library()


@register.inclusion_tag("cases/_links.html", takes_context=True)
def case_links(context: template.Context) -> dict[str, Any]:
    """Uses the case page's ``case``, ``links`` and ``hidden_links``; adds its POS leads."""
    from vigil.pos.models import PosException

    request = context.get("request")
    user = getattr(request, "user", None)
    case = context["case"]
    leads = PosException.objects.visible_to(user).filter(case=case)
    return {
        "case": case,
        "links": context.get("links", []),
        "hidden_links": context.get("hidden_links", 0),
        "leads": leads.select_related("store", "person").order_by("pk"),
        "can_investigate": can(user, Capability.INVESTIGATE) and case.status != CaseStatus.CLOSED,
        "subject_form": CaseSubjectForm(),
        "vehicle_form": CaseVehicleForm(),
        "min_chars": MIN_CHARS,
        "csrf_token": context.get("csrf_token"),
    }
