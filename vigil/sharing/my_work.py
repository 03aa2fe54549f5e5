"""What the sharing app puts in a person's My work: requests for records still to answer.

A subpoena or a records request has a due date and no assignee: it is the work of every
investigator of its store until someone shares records in answer or declines it, so the
one due first comes first.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from vigil.core.models import Store, User
from vigil.core.roles import Capability, can
from vigil.core.work import WorkItem, WorkSource, bounded_count, in_store, register
from vigil.sharing.models import InformationRequest, RequestStatus


def requests_to_answer(user: User, store: Store | None) -> QuerySet[InformationRequest]:
    """Open requests of the user's stores."""
    found = InformationRequest.objects.visible_to(user).filter(status=RequestStatus.OPEN)
    return in_store(found, store)


def request_items(user: User, store: Store | None, limit: int) -> list[WorkItem]:
    found = (
        requests_to_answer(user, store)
        .select_related("store", "agency", "requested_by")
        .order_by("due_on", "received_at")[:limit]
    )
    return [
        WorkItem(
            title=f"{request.number} {request.get_kind_display()} from {request.requester}",
            url=reverse("sharing:request-detail", args=[request.number]),
            store=request.store,
            detail=f"Their reference {request.their_reference} · {request.sought}"[:200],
            due_on=request.due_on,
            at=request.received_at,
            at_label="received",
        )
        for request in found
    ]


register(
    WorkSource(
        key="information-requests",
        label="Requests for records to answer",
        order=70,
        applies=lambda user: can(user, Capability.INVESTIGATE),
        count=lambda user, store: bounded_count(requests_to_answer(user, store)),
        items=request_items,
        see_all=lambda: reverse("sharing:request-list") + f"?status={RequestStatus.OPEN}",
        next_step=("Open the requests", "sharing:request-list"),
    ),
)
