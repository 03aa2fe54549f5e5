"""What the POS app puts in a person's My work: the leads still to review in their stores.

Reviewing is an investigator's work (explain, coach or escalate), so the leads appear for
the roles that may review them, the strongest first, as on the lead report. They are the
team's shared queue, so the menu's badge leaves them out: it counts one person's own work.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from vigil.core.models import Store, User
from vigil.core.roles import Capability, can
from vigil.core.work import WorkItem, WorkSource, bounded_count, in_store, register
from vigil.pos.models import PosException, ReviewStatus


def leads_to_review(user: User, store: Store | None) -> QuerySet[PosException]:
    """Leads still raised and not reviewed, in the user's stores."""
    return in_store(PosException.objects.visible_to(user).to_review(), store)


def lead_items(user: User, store: Store | None, limit: int) -> list[WorkItem]:
    found = leads_to_review(user, store).select_related("store", "person")[:limit]
    return [
        WorkItem(
            title=lead.rule_title,
            url=reverse("pos:exception-detail", args=[lead.pk]),
            store=lead.store,
            detail=_detail(lead),
        )
        for lead in found
    ]


def _detail(lead: PosException) -> str:
    who = lead.person.name if lead.person is not None else f"employee {lead.employee_id or '?'}"
    parts = [f"severity {lead.severity:.2f}", who, f"business day {lead.business_date:%Y-%m-%d}"]
    if lead.register_id:
        parts.append(f"register {lead.register_id}")
    if lead.amount is not None:
        sign = "-" if lead.amount < 0 else ""  # a refund reads -$304.69, not $-304.69
        parts.append(f"{sign}${abs(lead.amount):,.2f}")
    return " · ".join(parts)


register(
    WorkSource(
        key="pos-leads",
        label="POS leads to review",
        order=30,
        applies=lambda user: can(user, Capability.INVESTIGATE),
        count=lambda user, store: bounded_count(leads_to_review(user, store)),
        items=lead_items,
        see_all=lambda: reverse("pos:exception-list") + f"?status={ReviewStatus.NEW}",
        next_step=("Open the POS exceptions", "pos:exception-list"),
        in_badge=False,  # the region's shared queue, not one person's
    ),
)
