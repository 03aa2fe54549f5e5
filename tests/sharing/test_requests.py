"""Requests from police and legal: sent from the portal, answered by sharing, by a due date."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from tests.sharing.conftest import Sharing
from vigil.core.models import AuditAction, AuditEvent
from vigil.sharing import requests
from vigil.sharing.models import InformationRequest, RequestStatus


def _portal_request(sharing: Sharing, **changes: str) -> dict[str, str]:
    return {
        "store": str(sharing.world.store_a.pk),
        "kind": "subpoena",
        "their_reference": "SUB-2026-4471",
        "sought": "Footage of the front entrance, 20 Nov 14:00-15:00",
        "period_start": "2026-11-20T14:00",
        "period_end": "2026-11-20T15:00",
        "due_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
        **changes,
    }


def _send(sharing: Sharing) -> None:
    client_for(sharing.officer).post(
        reverse("sharing:portal-request-new"), _portal_request(sharing)
    )


def test_an_officer_sends_a_request_and_the_store_sees_it_with_its_due_date(
    sharing: Sharing,
) -> None:
    response = client_for(sharing.officer).post(
        reverse("sharing:portal-request-new"), _portal_request(sharing)
    )

    info = InformationRequest.objects.get()
    assert response["Location"] == reverse("sharing:portal-request", args=[info.number])
    assert info.agency == sharing.agency and info.requested_by == sharing.officer
    # The period is the store's clock (America/Chicago), kept as an instant.
    assert info.period_start is not None and info.period_start.isoformat().startswith(
        "2026-11-20T20:00"
    )
    listing = client_for(sharing.investigator).get(reverse("sharing:request-list")).content
    assert info.number.encode() in listing and b"SUB-2026-4471" in listing
    assert AuditEvent.objects.filter(action=AuditAction.REQUEST_RECEIVED).count() == 1


def test_a_request_due_in_the_past_is_refused_naming_the_field(sharing: Sharing) -> None:
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()

    response = client_for(sharing.officer).post(
        reverse("sharing:portal-request-new"), _portal_request(sharing, due_on=yesterday)
    )

    assert not InformationRequest.objects.exists()
    assert b"cannot be in the past" in response.content


def test_answering_shares_with_the_agency_and_the_portal_shows_the_answer(
    sharing: Sharing,
) -> None:
    _send(sharing)
    info = InformationRequest.objects.get()
    investigator = client_for(sharing.investigator)

    investigator.post(
        reverse("sharing:request-share", args=[info.number]),
        {
            "kind": "evidence",
            "reference": sharing.evidence.number,
            "until": (timezone.localdate() + timedelta(days=60)).isoformat(),
        },
    )
    investigator.post(
        reverse("sharing:request-close", args=[info.number]),
        {"response": "Front entrance footage shared.", "outcome": "answered"},
    )

    info.refresh_from_db()
    assert info.status == RequestStatus.ANSWERED and info.answered_by == sharing.investigator
    grant = info.grants.get()
    assert grant.agency == sharing.agency and info.number in grant.reason
    # Every member of the agency reads the answer and opens what was shared.
    page = client_for(sharing.colleague).get(reverse("sharing:portal-request", args=[info.number]))
    assert b"Front entrance footage shared." in page.content
    assert sharing.evidence.number.encode() in page.content


def test_a_request_is_not_answered_without_sharing_anything_but_may_be_declined(
    sharing: Sharing,
) -> None:
    info = requests.record_received(
        sharing.investigator,
        requests.RequestDetails(
            store=sharing.world.store_a, kind="records_request", their_reference="RR-9",
            sought="All incidents in 2025", due_on=timezone.localdate() + timedelta(days=5),
        ),
        sharing.agency,
    )  # fmt: skip

    with pytest.raises(ValidationError, match="Share at least one record"):
        requests.close(sharing.investigator, info, response="Done", declined=False)
    requests.close(sharing.investigator, info, response="Too broad; narrow it.", declined=True)

    info.refresh_from_db()
    assert info.status == RequestStatus.DECLINED


def test_an_officer_follows_only_their_agencys_requests(sharing: Sharing) -> None:
    from tests.conftest import make_user
    from vigil.core.models import Role

    _send(sharing)
    stranger = make_user(Role.EXTERNAL, username="other.pd")
    info = InformationRequest.objects.get()

    assert (
        client_for(stranger).get(reverse("sharing:portal-request", args=[info.number])).status_code
        == 404
    )
    assert (
        info.number.encode()
        in client_for(sharing.colleague).get(reverse("sharing:portal-requests")).content
    )


def test_overdue_requests_are_marked(sharing: Sharing) -> None:
    info = requests.record_received(
        sharing.investigator,
        requests.RequestDetails(
            store=sharing.world.store_a, kind="subpoena", their_reference="SUB-1",
            sought="Receipts", due_on=timezone.localdate(),
        ),
        None,
    )  # fmt: skip
    InformationRequest.objects.filter(pk=info.pk).update(
        due_on=timezone.localdate() - timedelta(days=2)
    )

    page = client_for(sharing.investigator).get(reverse("sharing:request-list"))

    assert b"overdue" in page.content


def test_answering_with_a_mistyped_number_says_which_number_was_not_found(
    sharing: Sharing,
) -> None:
    info = requests.record_received(
        sharing.investigator,
        requests.RequestDetails(
            store=sharing.world.store_a, kind="subpoena", their_reference="SUB-2",
            sought="Footage", due_on=timezone.localdate() + timedelta(days=5),
        ),
        None,
    )  # fmt: skip

    response = client_for(sharing.investigator).post(
        reverse("sharing:request-share", args=[info.number]),
        {"kind": "evidence", "reference": "EV-2026-999999", "until": "2030-01-01"},
        follow=True,
    )

    assert response.status_code == 200
    assert "No evidence item EV-2026-999999 in your stores" in response.content.decode()
    assert not info.grants.exists()
