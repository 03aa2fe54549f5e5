"""Query budgets of retention: the overview (periods, the dry run, the holds in force), the
holds API, and the legal-hold panel on a case's, an incident's and a subject's page answer in
the same number of queries for 3 holds or records due as for 30 (see ``tests.budgets``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.budgets import assert_flat
from tests.conftest import World, client_for, make_case, make_incident, make_subject
from tests.retention.conftest import (
    add_evidence,
    long_ago,
    make_alert,
    old_closed_case,
    old_subject,
)
from vigil.cases.models import Case, CaseLink, Incident, IncidentParty, PartyRole, Subject
from vigil.core.models import User
from vigil.retention import holds

pytestmark = pytest.mark.django_db


def _holds_in_force(world: World, owner: User) -> Any:
    """``grow(n)``: n more holds on a case, an incident and a subject each, and one placed
    and released again, as a legal team answers subpoenas."""

    def grow(count: int) -> None:
        for number in range(count):
            for record in (
                make_case(world.store_a, owner),
                make_incident(world.store_a, owner),
                make_subject(world.store_a),
            ):
                holds.place(owner, record, reason=f"Subpoena 2026-{number:03d}")
            ended = holds.place(owner, make_case(world.store_a, owner), reason="Court order")
            holds.release(owner, ended, reason="Case dismissed")

    return grow


def _due_and_kept(world: World, owner: User) -> Any:
    """``grow(n)``: n more records past their time (closed cases with evidence, subjects,
    alerts), half of them kept back by a hold, for the dry run to sort out."""
    hold = _holds_in_force(world, owner)

    def grow(count: int) -> None:
        hold(count)
        for number in range(count):
            case = old_closed_case(world, owner)
            add_evidence(owner, f"old clip {number}".encode(), case=case.number)
            subject = old_subject(world)
            make_alert(world, started_at=long_ago())
            if number % 2:
                holds.place(owner, case, reason="Preservation letter")
                holds.place(owner, subject, reason="Preservation letter")

    return grow


def test_the_retention_overview_has_a_fixed_budget_however_much_is_due_or_held(
    world: World, owner: User, admin_user: User
) -> None:
    assert_flat(client_for(admin_user), "/retention/", _due_and_kept(world, owner), budget=56)


def test_the_retention_preview_api_has_a_fixed_budget(
    world: World, owner: User, admin_user: User
) -> None:
    grow = _due_and_kept(world, owner)
    assert_flat(client_for(admin_user), "/api/v1/retention/preview", grow, budget=52)


def test_the_legal_hold_list_api_has_a_fixed_budget(
    world: World, owner: User, owner_client: Client
) -> None:
    # One hold a row, so that 30 fit on one page (a full page is counted, one more query).
    def grow(count: int) -> None:
        makers = (
            lambda: make_case(world.store_a, owner),
            lambda: make_incident(world.store_a, owner),
            lambda: make_subject(world.store_a),
        )
        for number in range(count):
            hold = holds.place(owner, makers[number % 3](), reason=f"Subpoena 2026-{number:03d}")
            if number % 4 == 0:
                holds.release(owner, hold, reason="Case dismissed")

    assert_flat(owner_client, "/api/v1/legal-holds", grow, budget=10)


# --- the hold panel on a record's page ---------------------------------------------------


def _holds_on_and_around(owner: User, record: Case | Incident | Subject, *around: Any) -> Any:
    """``grow(n)``: n more holds on ``record`` (each placed and released), n more on the
    records ``around(...)`` makes that keep it through a link, and the holds in force
    elsewhere: before, the panel asked every hold in force whether it reached the record."""

    def grow(count: int) -> None:
        store = record.store
        for number in range(count):
            placed = holds.place(owner, record, reason=f"Subpoena 2026-{number:03d}")
            holds.release(owner, placed, reason="Answered")
            for make in around:
                holds.place(owner, make(), reason="Court order")
            holds.place(owner, make_case(store, owner), reason="Another matter")

    return grow


def test_a_case_pages_hold_panel_has_a_fixed_budget_however_many_holds(
    world: World, owner: User, owner_client: Client
) -> None:
    case = make_case(world.store_a, owner)

    def linked_incident() -> Any:
        incident = make_incident(world.store_a, owner)
        CaseLink.objects.create(case=case, incident=incident)
        return incident

    def linked_subject() -> Any:
        subject = make_subject(world.store_a)
        CaseLink.objects.create(case=case, subject=subject)
        return subject

    grow = _holds_on_and_around(owner, case, linked_incident, linked_subject)
    # 28 with the court, civil recovery and POS-lead panels (tests/cases/test_query_budgets.py
    # says which); the hold panel adds none however many holds there are.
    assert_flat(owner_client, f"/cases/{case.number}/", grow, budget=28)


def test_an_incident_pages_hold_panel_has_a_fixed_budget_however_many_holds(
    world: World, owner: User, owner_client: Client
) -> None:
    incident = make_incident(world.store_a, owner)

    def linking_case() -> Any:
        case = make_case(world.store_a, owner)
        CaseLink.objects.create(case=case, incident=incident)
        return case

    grow = _holds_on_and_around(owner, incident, linking_case)
    assert_flat(owner_client, f"/incidents/{incident.number}/", grow, budget=28)


def test_a_subject_pages_hold_panel_has_a_fixed_budget_however_many_holds(
    world: World, owner: User, owner_client: Client
) -> None:
    subject = make_subject(world.store_a)

    def linking_case() -> Any:
        case = make_case(world.store_a, owner)
        CaseLink.objects.create(case=case, subject=subject)
        return case

    def incident_with_them() -> Any:
        incident = make_incident(world.store_a, owner)
        IncidentParty.objects.create(incident=incident, role=PartyRole.SUSPECT, subject=subject)
        return incident

    def case_of_that_incident() -> Any:
        case = make_case(world.store_a, owner)
        CaseLink.objects.create(case=case, incident=incident_with_them())
        return case

    grow = _holds_on_and_around(
        owner, subject, linking_case, incident_with_them, case_of_that_incident
    )
    assert_flat(owner_client, f"/subjects/{subject.pk}/", grow, budget=22)
