"""The portal, page and API: an external user reads what was shared, and nothing else."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for
from tests.sharing.conftest import Sharing, in_days
from vigil.core.models import AccessGrant, AuditAction, AuditEvent
from vigil.evidence.models import CustodyAction
from vigil.sharing import grants


@pytest.fixture
def shared_case(sharing: Sharing) -> AccessGrant:
    return grants.share(
        sharing.investigator, sharing.case, grantee=sharing.officer, until=in_days(30),
        reason="Metro PD report 26-11873",
    )  # fmt: skip


@pytest.fixture
def officer_client(sharing: Sharing) -> Client:
    return client_for(sharing.officer)


def test_shared_with_me_lists_the_case_and_its_page_shows_no_unshared_link(
    sharing: Sharing, shared_case: AccessGrant, officer_client: Client
) -> None:
    listing = officer_client.get(reverse("sharing:portal")).content.decode()
    assert sharing.case.number in listing

    page = officer_client.get(reverse("sharing:portal-item", args=[shared_case.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Three thefts of razors in a week" in text
    for hidden in (sharing.incident.number, "Razor packs taken", "Jordan Example", "cam7.mp4"):
        assert hidden not in text


def test_the_api_shows_the_same_and_no_more(
    sharing: Sharing, shared_case: AccessGrant, officer_client: Client
) -> None:
    listing = officer_client.get("/api/v1/shared-with-me").json()
    assert [item["title"] for item in listing["items"]] == [
        f"{sharing.case.number} · {sharing.case.title}"
    ]
    detail = officer_client.get(f"/api/v1/shared-with-me/{shared_case.pk}")
    assert detail.status_code == 200
    assert detail.json()["also_shared"] == []
    body = detail.content.decode()
    assert "Jordan Example" not in body and sharing.incident.number not in body


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/cases/",
        "/incidents/",
        "/subjects/",
        "/evidence/",
        "/pos/",
        "/api/v1/cases",
        "/api/v1/incidents",
        "/api/v1/subjects",
    ],
)
def test_every_other_page_and_api_is_closed_to_external_users(
    sharing: Sharing, shared_case: AccessGrant, officer_client: Client, path: str
) -> None:
    response = officer_client.get(path)

    if path == "/":
        assert response.status_code == 302
        assert response["Location"] == reverse("sharing:portal")
    elif path.startswith("/api/"):
        assert response.status_code == 403
        assert "shared-with-me" in response.json()["error"]["message"]
    else:
        assert response.status_code == 404


def test_even_the_shared_case_is_not_reachable_through_the_company_pages(
    sharing: Sharing, shared_case: AccessGrant, officer_client: Client
) -> None:
    response = officer_client.get(reverse("cases:case-detail", args=[sharing.case.number]))
    api = officer_client.get(f"/api/v1/cases/{sharing.case.number}")

    assert response.status_code == 404
    assert api.status_code == 403


def test_the_menu_is_the_portal_only(
    sharing: Sharing, shared_case: AccessGrant, officer_client: Client
) -> None:
    text = officer_client.get(reverse("sharing:portal")).content.decode()

    assert "Shared with me" in text
    for internal in ("New incident", "Incidents", "POS exceptions", "API tokens", "Admin"):
        assert internal not in text


def test_opening_and_downloading_are_logged_with_the_grant(
    sharing: Sharing, officer_client: Client
) -> None:
    grant = grants.share(
        sharing.investigator, sharing.evidence, grantee=sharing.officer, until=in_days(3),
        reason="Report 26-11873",
    )  # fmt: skip

    officer_client.get(reverse("sharing:portal-item", args=[grant.pk]))
    download = officer_client.get(reverse("sharing:portal-download", args=[grant.pk]))

    assert b"".join(download.streaming_content) == b"clip bytes"  # type: ignore[attr-defined]
    actions = AuditEvent.objects.filter(actor=sharing.officer).values_list("action", flat=True)
    assert {AuditAction.SHARED_OPEN, AuditAction.SHARED_DOWNLOAD} <= set(actions)
    assert sharing.evidence.custody.filter(
        action=CustodyAction.DOWNLOADED, actor=sharing.officer
    ).exists()


def test_after_revocation_the_portal_answers_404(
    sharing: Sharing, shared_case: AccessGrant, officer_client: Client
) -> None:
    grants.revoke(sharing.investigator, shared_case, "Case closed")

    item = officer_client.get(reverse("sharing:portal-item", args=[shared_case.pk]))
    assert item.status_code == 404
    assert sharing.case.number not in officer_client.get(reverse("sharing:portal")).content.decode()


def test_another_agency_member_reads_nothing_shared_with_one_officer(
    sharing: Sharing, shared_case: AccessGrant
) -> None:
    response = client_for(sharing.colleague).get(
        reverse("sharing:portal-item", args=[shared_case.pk])
    )

    assert response.status_code == 404


def test_company_users_do_not_use_the_portal(sharing: Sharing, shared_case: AccessGrant) -> None:
    response = client_for(sharing.investigator).get(reverse("sharing:portal"))

    assert response.status_code == 404


def test_an_external_user_holds_no_api_token(sharing: Sharing) -> None:
    from django.core.exceptions import ValidationError

    from vigil.core import tokens

    with pytest.raises(ValidationError, match="portal"):
        tokens.issue(sharing.officer, name="script")
