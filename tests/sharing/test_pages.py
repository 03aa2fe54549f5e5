"""The company's side of sharing: the panel on a record's page, revoking, agencies."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for, make_user
from tests.sharing.conftest import Sharing
from vigil.core.models import AccessGrant, Role


def _share_form(recipient: str, days: int = 30, reason: str = "PD 26-11873") -> dict[str, str]:
    until = (timezone.localdate() + timedelta(days=days)).isoformat()
    return {"recipient": recipient, "until": until, "reason": reason}


def test_an_investigator_shares_a_case_from_its_page(sharing: Sharing) -> None:
    client = client_for(sharing.investigator)
    page = client.get(reverse("cases:case-detail", args=[sharing.case.number])).content.decode()
    assert "Share this case with police, legal or an insurer" in page
    assert "Metro Police Department" in page

    response = client.post(
        reverse("sharing:grant-new", args=["case", sharing.case.number]),
        _share_form(f"user:{sharing.officer.pk}"),
    )

    assert response.status_code == 302
    grant = AccessGrant.objects.get()
    assert grant.shared_object == sharing.case and grant.grantee == sharing.officer
    # Through the end of the chosen day, on the store's clock.
    local = grant.expires_at.astimezone(zoneinfo.ZoneInfo(sharing.world.store_a.timezone))
    assert (local.hour, local.minute) == (23, 59)
    after = client.get(reverse("cases:case-detail", args=[sharing.case.number])).content.decode()
    assert "Dana Rivera" in after and "not opened yet" in after


def test_sharing_with_an_agency_from_the_incident_page(sharing: Sharing) -> None:
    client = client_for(sharing.investigator)

    client.post(
        reverse("sharing:grant-new", args=["incident", sharing.incident.number]),
        _share_form(f"agency:{sharing.agency.pk}"),
    )

    assert AccessGrant.objects.get().agency == sharing.agency


def test_a_bad_share_is_refused_with_the_reason_and_nothing_saved(sharing: Sharing) -> None:
    client = client_for(sharing.investigator)

    response = client.post(
        reverse("sharing:grant-new", args=["case", sharing.case.number]),
        _share_form(f"user:{sharing.officer.pk}", days=900),
        follow=True,
    )

    assert "at most 366 days" in response.content.decode()
    assert not AccessGrant.objects.exists()


def test_a_record_outside_the_sharers_stores_is_not_found(sharing: Sharing) -> None:
    elsewhere = make_user(Role.LP_MANAGER, stores=(sharing.world.store_b,))

    response = client_for(elsewhere).post(
        reverse("sharing:grant-new", args=["case", sharing.case.number]),
        _share_form(f"user:{sharing.officer.pk}"),
    )

    assert response.status_code == 404


def test_roles_that_may_not_share_are_refused_before_the_form_is_read(sharing: Sharing) -> None:
    for role in (Role.LP_OFFICER, Role.AUDITOR, Role.EXECUTIVE, Role.STORE_MANAGER):
        user = make_user(role, stores=(sharing.world.store_a,))
        response = client_for(user).post(
            reverse("sharing:grant-new", args=["case", sharing.case.number]), {}
        )
        assert response.status_code == 403, role


def test_revoking_from_the_sharing_list(sharing: Sharing) -> None:
    client = client_for(sharing.investigator)
    client.post(
        reverse("sharing:grant-new", args=["case", sharing.case.number]),
        _share_form(f"user:{sharing.officer.pk}"),
    )
    grant = AccessGrant.objects.get()
    assert sharing.case.number in client.get(reverse("sharing:grant-list")).content.decode()

    client.post(
        reverse("sharing:grant-revoke", args=[grant.pk]),
        {"reason": "Sent to the wrong officer", "next": "list"},
    )

    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoke_reason == "Sent to the wrong officer"
    live = client.get(reverse("sharing:grant-list")).content.decode()
    assert "Nothing is shared right now" in live


def test_administrators_run_agencies_and_their_members(sharing: Sharing) -> None:
    admin = make_user(Role.ADMIN, everything=True)
    client = client_for(admin)

    created = client.post(
        reverse("sharing:agency-list"), {"name": "County Prosecutor", "kind": "prosecutor"}
    )
    agency_url = created["Location"]
    client.post(agency_url, {"user": sharing.officer.pk})

    sharing.officer.refresh_from_db()
    assert sharing.officer.agency is not None and sharing.officer.agency.name == "County Prosecutor"
    manager = client_for(sharing.investigator).get(reverse("sharing:agency-list"))
    assert manager.status_code == 403
