"""Query budgets of sharing: the company's grant, agency and request pages, and the portal's
pages and API, answer in the same number of queries for 3 rows as for 30 (see
``tests.budgets``). Every kind of record is shared in each batch, so a page that looked each
one up on its own (one query per grant) shows as a count that grows."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.utils import timezone

from tests.budgets import assert_flat
from tests.conftest import (
    World,
    add_evidence,
    client_for,
    make_case,
    make_incident,
    make_subject,
    make_user,
)
from tests.sharing.conftest import Sharing, in_days
from vigil.cases.models import CaseLink, IncidentParty, PartyRole, Vehicle
from vigil.core.models import AccessGrant, Agency, Role, User
from vigil.evidence import packages
from vigil.sharing import grants, requests
from vigil.sharing.models import InformationRequest, RequestKind

# Each batch builds a real police package (PDF and ZIP), so the module is slow; the queries
# the ORM runs are the same on either database, so it runs on the SQLite pass only.
pytestmark = [pytest.mark.django_db, pytest.mark.any_database]

_numbers = itertools.count(1)


def _one_of_each_kind(world: World, owner: User, *, package: bool) -> list[models.Model]:
    """A case, an incident, a subject, a vehicle, an evidence item and (with ``package``) a
    police package, as an investigator shares them when answering a subpoena."""
    number = next(_numbers)
    incident = make_incident(world.store_a, owner, summary=f"Razor packs, aisle {number}")
    case = make_case(world.store_a, owner, title=f"Razor thefts {number}")
    subject = make_subject(world.store_a, name=f"Subject {number}")
    vehicle = Vehicle.objects.create(store=world.store_a, plate=f"7SH{number:04d}")
    evidence = add_evidence(
        owner, f"clip {number}".encode(), filename=f"cam{number}.mp4", incident=incident.number
    )
    shared: list[models.Model] = [case, incident, subject, vehicle, evidence]
    if package:
        shared.append(packages.build_package(owner, purpose="For Metro PD", incident=incident))
    return shared


def _batch(world: World, owner: User, count: int) -> list[models.Model]:
    """``count`` of every kind; a package (slow to build: a PDF and a ZIP) once a batch, so
    that every kind is there at 3 rows as at 30. It comes last, so that it is shared last
    and shows on the first page of a list, newest first."""
    return [
        record
        for row in range(count)
        for record in _one_of_each_kind(world, owner, package=row == count - 1)
    ]


def _shared_with(sharing: Sharing, recipient: dict[str, Any], *, ended: bool = False) -> Any:
    """``grow(n)``: n more records of every kind shared with ``recipient`` (grantee= or
    agency=); with ``ended``, every other grant revoked as well, for the "all" view."""

    def grow(count: int) -> None:
        for record in _batch(sharing.world, sharing.investigator, count):
            grant = grants.share(
                sharing.investigator, record, until=in_days(30),
                reason="Metro PD report 26-11873", **recipient,
            )  # fmt: skip
            if ended and grant.pk % 2:
                grants.revoke(sharing.investigator, grant, "The detective has what he needs")

    return grow


def _details(sharing: Sharing, number: int) -> requests.RequestDetails:
    return requests.RequestDetails(
        store=sharing.world.store_a,
        kind=RequestKind.SUBPOENA if number % 2 else RequestKind.RECORDS_REQUEST,
        their_reference=f"26-{number:05d}",
        sought="CCTV of the front door, 2 to 4 pm",
        due_on=timezone.localdate() + timedelta(days=14),
    )


def _answered(sharing: Sharing, info: InformationRequest) -> Any:
    """``grow(n)``: n more records of every kind shared in answer to ``info``."""

    def grow(count: int) -> None:
        for record in _batch(sharing.world, sharing.investigator, count):
            requests.share_in_answer(sharing.investigator, info, record, in_days(30))

    return grow


@pytest.fixture
def officer_client(sharing: Sharing) -> Client:
    return client_for(sharing.officer)


@pytest.fixture
def investigator_client(sharing: Sharing) -> Client:
    return client_for(sharing.investigator)


# --- the company's side ----------------------------------------------------------------


def test_the_grant_list_has_a_fixed_budget_however_many_records_are_shared(
    sharing: Sharing, investigator_client: Client
) -> None:
    grow = _shared_with(sharing, {"grantee": sharing.officer})
    assert_flat(investigator_client, "/sharing/", grow, budget=18)


def test_the_grant_list_of_ended_shares_has_a_fixed_budget_too(
    sharing: Sharing, investigator_client: Client
) -> None:
    grow = _shared_with(sharing, {"agency": sharing.agency}, ended=True)
    assert_flat(investigator_client, "/sharing/?show=all", grow, budget=18)


def test_the_agency_list_has_a_fixed_budget_however_many_agencies_and_members(
    sharing: Sharing, admin_user: User
) -> None:
    def grow(count: int) -> None:
        for _ in range(count):
            agency = Agency.objects.create(name=f"County Sheriff {next(_numbers)}", kind="police")
            for _ in range(2):
                member = make_user(Role.EXTERNAL)
                member.agency = agency
                member.save()

    assert_flat(client_for(admin_user), "/sharing/agencies/", grow, budget=10)


def test_an_agency_page_has_a_fixed_budget_however_many_members_and_shares(
    sharing: Sharing, admin_user: User
) -> None:
    share = _shared_with(sharing, {"agency": sharing.agency})

    def grow(count: int) -> None:
        share(count)
        for _ in range(count):
            member = make_user(Role.EXTERNAL)
            member.agency = sharing.agency
            member.save()

    url = f"/sharing/agencies/{sharing.agency.pk}/"
    assert_flat(client_for(admin_user), url, grow, budget=14)


def test_the_request_list_has_a_fixed_budget_however_many_requests(
    sharing: Sharing, investigator_client: Client
) -> None:
    def grow(count: int) -> None:
        for _ in range(count):
            number = next(_numbers)
            if number % 2:
                requests.submit(sharing.officer, _details(sharing, number))
            else:
                received = requests.record_received(
                    sharing.investigator, _details(sharing, number), agency=None
                )
                # Entered from a letter, with no agency: named by who sent it.
                InformationRequest.objects.filter(pk=received.pk).update(
                    requested_by=sharing.colleague
                )

    assert_flat(investigator_client, "/requests/", grow, budget=14)


def test_a_request_page_has_a_fixed_budget_however_many_records_answer_it(
    sharing: Sharing, investigator_client: Client
) -> None:
    info = requests.submit(sharing.officer, _details(sharing, 1))
    url = f"/requests/{info.number}/"
    assert_flat(investigator_client, url, _answered(sharing, info), budget=18)


# --- the portal ------------------------------------------------------------------------


def test_shared_with_me_has_a_fixed_budget_however_many_records_are_shared(
    sharing: Sharing, officer_client: Client
) -> None:
    # Half to the officer, half to their agency: both reach them.
    to_officer = _shared_with(sharing, {"grantee": sharing.officer})
    to_agency = _shared_with(sharing, {"agency": sharing.agency})

    def grow(count: int) -> None:
        to_officer(count)
        to_agency(count)

    assert_flat(officer_client, "/portal/", grow, budget=16)


def test_shared_with_me_api_has_a_fixed_budget(sharing: Sharing, officer_client: Client) -> None:
    grow = _shared_with(sharing, {"grantee": sharing.officer})
    assert_flat(officer_client, "/api/v1/shared-with-me", grow, budget=14)


def _case_with_shared_links(sharing: Sharing) -> tuple[AccessGrant, Any]:
    """The shared case, and ``grow(n)``: n more incidents, subjects and evidence linked to it,
    each shared with the officer in its own right (and so listed on the case's page)."""
    grant = grants.share(
        sharing.investigator, sharing.case, grantee=sharing.officer, until=in_days(30),
        reason="Metro PD report 26-11873",
    )  # fmt: skip
    owner, store = sharing.investigator, sharing.world.store_a

    def grow(count: int) -> None:
        for _ in range(count):
            number = next(_numbers)
            incident = make_incident(store, owner)
            subject = make_subject(store, name=f"Linked subject {number}")
            vehicle = Vehicle.objects.create(store=store, plate=f"8LK{number:04d}")
            CaseLink.objects.create(case=sharing.case, incident=incident)
            CaseLink.objects.create(case=sharing.case, subject=subject)
            CaseLink.objects.create(case=sharing.case, vehicle=vehicle)
            IncidentParty.objects.create(incident=incident, role=PartyRole.SUSPECT, subject=subject)
            evidence = add_evidence(
                owner, f"linked clip {number}".encode(), case=sharing.case.number
            )
            for record in (incident, subject, vehicle, evidence):
                grants.share(
                    owner, record, grantee=sharing.officer, until=in_days(30),
                    reason="Metro PD report 26-11873",
                )  # fmt: skip

    return grant, grow


def test_a_shared_case_has_a_fixed_budget_however_many_shared_records_it_links(
    sharing: Sharing, officer_client: Client
) -> None:
    grant, grow = _case_with_shared_links(sharing)
    assert_flat(officer_client, f"/portal/items/{grant.pk}/", grow, budget=28)


def test_a_shared_case_in_the_api_has_a_fixed_budget(
    sharing: Sharing, officer_client: Client
) -> None:
    grant, grow = _case_with_shared_links(sharing)
    assert_flat(officer_client, f"/api/v1/shared-with-me/{grant.pk}", grow, budget=28)


def test_the_portals_request_list_has_a_fixed_budget_however_many_requests(
    sharing: Sharing, officer_client: Client
) -> None:
    def grow(count: int) -> None:
        for _ in range(count):
            number = next(_numbers)
            # Their own, and their colleague's for the same agency: both are theirs to follow.
            requester = sharing.officer if number % 2 else sharing.colleague
            requests.submit(requester, _details(sharing, number))

    assert_flat(officer_client, "/portal/requests/", grow, budget=10)


def test_a_request_in_the_portal_has_a_fixed_budget_however_many_records_answer_it(
    sharing: Sharing, officer_client: Client
) -> None:
    info = requests.submit(sharing.officer, _details(sharing, 1))
    answer = _answered(sharing, info)

    def grow(count: int) -> None:
        answer(count)
        # One answer ended since: the page names it without opening it.
        ended = info.grants.order_by("-pk").first()
        assert ended is not None
        grants.revoke(sharing.investigator, ended, "Sent on paper instead")

    url = f"/portal/requests/{info.number}/"
    assert_flat(officer_client, url, grow, budget=16)


def test_a_records_share_panel_has_a_fixed_budget_however_many_it_is_shared_with(
    sharing: Sharing, investigator_client: Client
) -> None:
    # The panel on the case's own page: each grant names its recipient and their agency.
    def grow(count: int) -> None:
        for _ in range(count):
            agency = Agency.objects.create(name=f"District Attorney {next(_numbers)}", kind="legal")
            detective = make_user(Role.EXTERNAL)
            detective.agency = agency
            detective.save()
            grants.share(
                sharing.investigator, sharing.case, grantee=detective, until=in_days(30),
                reason="Subpoena 26-CR-118",
            )  # fmt: skip

    url = f"/cases/{sharing.case.number}/"
    # 28 with the court, civil recovery and POS-lead panels (tests/cases/test_query_budgets.py
    # says which); the share panel adds none however many it is shared with.
    assert_flat(investigator_client, url, grow, budget=28)
