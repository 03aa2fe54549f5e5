"""``{% share_panel record %}``: who a record is shared with, and the form to share it."""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models

from vigil.core.roles import Capability, can
from vigil.sharing import grants
from vigil.sharing.forms import RevokeForm, ShareForm
from vigil.sharing.shareables import kind_of

register = template.Library()


@register.inclusion_tag("sharing/_share_panel.html", takes_context=True)
def share_panel(context: template.Context, record: models.Model) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not can(user, Capability.INVESTIGATE):
        return {"shown": False}
    kind = kind_of(record)
    return {
        "shown": True,
        "kind": kind,
        "reference": kind.reference(record),
        "grants": list(grants.grants_for(record)[:20]),
        "store": getattr(record, "store", None),
        "form": ShareForm(auto_id=f"share-{kind.key}-%s"),
        "revoke_form": RevokeForm(),
        "csrf_token": context.get("csrf_token"),
    }
