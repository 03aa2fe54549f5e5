"""``{% load retention %}{% legal_holds record %}``: a record's holds and the controls."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from vigil.retention import holds
from vigil.retention.forms import HoldForm, ReleaseForm
from vigil.retention.models import HoldTarget

register = template.Library()


@register.inclusion_tag("retention/_holds.html", takes_context=True)
def legal_holds(context: dict[str, Any], record: Any) -> dict[str, Any]:
    """The holds ever placed on ``record`` (a case, incident or subject), newest first, with
    place and release forms for those who may hold."""
    request = context["request"]
    target = {"case": HoldTarget.CASE, "incident": HoldTarget.INCIDENT}.get(
        record._meta.model_name, HoldTarget.SUBJECT
    )
    every = holds.holds_on(record)
    return {
        "record": record,
        "store": record.store,
        "target": target,
        "place_url": _place_url(target, record),
        "holds": every,
        "in_force": [hold for hold in every if hold.is_in_force()],
        "reaching": holds.reaching(record),
        "may_hold": holds.may_hold(request.user),
        "hold_form": HoldForm(auto_id=f"hold-%s-{record.pk}"),
        "release_form": ReleaseForm(auto_id=False),
        "csrf_token": context.get("csrf_token"),
    }


def _place_url(target: str, record: Any) -> str:
    if target == HoldTarget.CASE:
        return reverse("retention:case-hold-new", args=[record.number])
    if target == HoldTarget.INCIDENT:
        return reverse("retention:incident-hold-new", args=[record.number])
    return reverse("retention:subject-hold-new", args=[record.pk])
