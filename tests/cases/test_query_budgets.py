"""Query budgets of the investigation pages and API: each answers in a fixed number of
queries, the same for 3 rows as for 30 (see ``tests.budgets``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.budgets import assert_flat
from tests.conftest import World, make_case, make_incident, make_person, make_subject
from vigil.cases import casework, filing, statements, stops
from vigil.cases.models import Case, Incident, PartyRole, Statement, Subject, Vehicle
from vigil.core.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world: World, owner: User) -> Case:
    return make_case(world.store_a, owner)


@pytest.fixture
def incident(world: World, owner: User) -> Incident:
    return make_incident(world.store_a, owner)


def _incidents(world: World, owner: User, teammate: User) -> Any:
    """Incidents as a team files them: each with a subject and an employee named in it."""

    def grow(count: int) -> None:
        for _ in range(count):
            incident = make_incident(world.store_a, owner)
            subject = make_subject(world.store_a)
            person = make_person(world.store_a)
            filing.add_party(owner, incident, PartyRole.SUSPECT, subject=subject)
            filing.add_party(owner, incident, PartyRole.WITNESS, person=person)

    return grow


def _cases(world: World, owner: User, teammate: User) -> Any:
    """Cases with a team, a linked incident and subject, and their template's tasks."""

    def grow(count: int) -> None:
        for _ in range(count):
            case = make_case(world.store_a, owner)
            case.team.set([owner, teammate])
            casework.link(owner, case, make_incident(world.store_a, owner))
            casework.link(owner, case, make_subject(world.store_a))

    return grow


def _subjects(world: World) -> Any:
    def grow(count: int) -> None:
        for _ in range(count):
            make_subject(world.store_a)

    return grow


def _vehicles(world: World) -> Any:
    def grow(count: int) -> None:
        for number in range(count):
            vehicle = Vehicle.objects.create(store=world.store_a, plate=f"7XY{number:04d}")
            vehicle.subjects.set([make_subject(world.store_a), make_subject(world.store_a)])

    return grow


def _statements(owner: User, incident: Incident) -> Any:
    def grow(count: int) -> None:
        for _ in range(count):
            statements.take_statement(
                owner,
                {
                    "store": incident.store,
                    "incident": incident,
                    "witness_name": "Sam Witness",
                    "started_at": timezone.now(),
                },
                body="I saw the tote bag.",
            )

    return grow


# --- API lists -------------------------------------------------------------------------


def test_the_incident_list_api_runs_the_same_queries_for_30_incidents_as_for_3(
    world: World, owner: User, teammate: User, owner_client: Client
) -> None:
    assert_flat(owner_client, "/api/v1/incidents", _incidents(world, owner, teammate), budget=12)


def test_the_case_list_api_runs_the_same_queries_for_30_cases_as_for_3(
    world: World, owner: User, teammate: User, owner_client: Client
) -> None:
    assert_flat(owner_client, "/api/v1/cases", _cases(world, owner, teammate), budget=14)


def test_the_subject_list_api_has_a_fixed_budget(world: World, owner_client: Client) -> None:
    assert_flat(owner_client, "/api/v1/subjects", _subjects(world), budget=10)


def test_the_vehicle_list_api_has_a_fixed_budget(world: World, owner_client: Client) -> None:
    assert_flat(owner_client, "/api/v1/vehicles", _vehicles(world), budget=12)


def test_the_statement_list_api_has_a_fixed_budget(
    owner: User, incident: Incident, owner_client: Client
) -> None:
    assert_flat(owner_client, "/api/v1/statements", _statements(owner, incident), budget=12)


def test_a_cases_task_list_api_has_a_fixed_budget(
    owner: User, case: Case, owner_client: Client
) -> None:
    def grow(count: int) -> None:
        for number in range(count):
            casework.add_task(owner, case, f"Task {number}", assignee=owner)

    assert_flat(owner_client, f"/api/v1/cases/{case.number}/tasks", grow, budget=12)


def test_a_cases_note_list_api_has_a_fixed_budget(
    owner: User, case: Case, owner_client: Client
) -> None:
    def grow(count: int) -> None:
        for number in range(count):
            note = casework.save_note(owner, case, f"Note {number}")
            casework.save_note(owner, case, f"Note {number}, corrected", note=note)

    assert_flat(owner_client, f"/api/v1/cases/{case.number}/notes", grow, budget=12)


def test_a_cases_timeline_api_has_a_fixed_budget(
    owner: User, case: Case, owner_client: Client
) -> None:
    from vigil.cases.timeline import add_entry

    def grow(count: int) -> None:
        for number in range(count):
            add_entry(case, f"Called the store manager ({number})")

    assert_flat(owner_client, f"/api/v1/cases/{case.number}/timeline", grow, budget=12)


# --- API details -----------------------------------------------------------------------


def test_an_incident_answers_in_a_fixed_budget_however_many_parties(
    world: World, owner: User, incident: Incident, owner_client: Client
) -> None:
    def grow(count: int) -> None:
        for _ in range(count):
            filing.add_party(
                owner, incident, PartyRole.SUSPECT, subject=make_subject(world.store_a)
            )
            filing.add_party(owner, incident, PartyRole.WITNESS, person=make_person(world.store_a))

    assert_flat(owner_client, f"/api/v1/incidents/{incident.number}", grow, budget=12)


def test_a_case_answers_in_a_fixed_budget_however_many_links_and_tasks(
    world: World, owner: User, teammate: User, case: Case, owner_client: Client
) -> None:
    def grow(count: int) -> None:
        for number in range(count):
            casework.link(owner, case, make_incident(world.store_a, owner))
            casework.link(owner, case, make_subject(world.store_a))
            casework.add_task(owner, case, f"Task {number}", assignee=teammate)

    assert_flat(owner_client, f"/api/v1/cases/{case.number}", grow, budget=12)


def test_a_statement_answers_in_a_fixed_budget_however_many_versions(
    owner: User, incident: Incident, owner_client: Client
) -> None:
    _statements(owner, incident)(1)
    statement = Statement.objects.get()

    def grow(count: int) -> None:
        for number in range(count):
            statements.revise(owner, statement, f"Version {number}", reason="Typo")

    assert_flat(owner_client, f"/api/v1/statements/{statement.pk}", grow, budget=10)


# --- pages -----------------------------------------------------------------------------


def test_the_incident_list_page_has_a_fixed_budget(
    world: World, owner: User, teammate: User, owner_client: Client
) -> None:
    assert_flat(owner_client, "/incidents/", _incidents(world, owner, teammate), budget=16)


def test_the_case_list_page_has_a_fixed_budget(
    world: World, owner: User, teammate: User, owner_client: Client
) -> None:
    assert_flat(owner_client, "/cases/", _cases(world, owner, teammate), budget=16)


def test_the_subject_list_page_has_a_fixed_budget(world: World, owner_client: Client) -> None:
    assert_flat(owner_client, "/subjects/", _subjects(world), budget=16)


def test_the_vehicle_list_page_has_a_fixed_budget(world: World, owner_client: Client) -> None:
    assert_flat(owner_client, "/vehicles/", _vehicles(world), budget=16)


def test_the_incident_page_has_a_fixed_budget_however_many_parties_and_stops(
    world: World, owner: User, incident: Incident, owner_client: Client
) -> None:
    def grow(count: int) -> None:
        for _ in range(count):
            filing.add_party(
                owner, incident, PartyRole.SUSPECT, subject=make_subject(world.store_a)
            )
            filing.add_party(owner, incident, PartyRole.WITNESS, person=make_person(world.store_a))
            stops.record_stop(owner, incident, {"started_at": timezone.now()})
            casework.link(owner, make_case(world.store_a, owner), incident)

    assert_flat(owner_client, f"/incidents/{incident.number}/", grow, budget=26)


def test_the_case_file_page_has_a_fixed_budget_however_much_work_it_holds(
    world: World, owner: User, teammate: User, case: Case, owner_client: Client
) -> None:
    def grow(count: int) -> None:
        for number in range(count):
            incident = make_incident(world.store_a, owner)
            casework.link(owner, case, incident)
            casework.link(owner, case, make_subject(world.store_a))
            casework.add_task(owner, case, f"Task {number}", assignee=teammate)
            casework.save_note(owner, case, f"Note {number}")
            _statements(owner, incident)(1)

    # 30: three of them are the court and civil recovery panel (court dates, the outcome,
    # civil demands with their totals), one the POS leads worked in the case (its links).
    assert_flat(owner_client, f"/cases/{case.number}/", grow, budget=30)


def test_the_subject_page_has_a_fixed_budget_however_many_incidents(
    world: World, owner: User, owner_client: Client
) -> None:
    subject: Subject = make_subject(world.store_a)

    def grow(count: int) -> None:
        for number in range(count):
            incident = make_incident(world.store_a, owner)
            filing.add_party(owner, incident, PartyRole.SUSPECT, subject=subject)
            casework.link(owner, make_case(world.store_a, owner), subject)
            vehicle = Vehicle.objects.create(store=world.store_a, plate=f"8AB{number:04d}")
            vehicle.subjects.add(subject)

    assert_flat(owner_client, f"/subjects/{subject.pk}/", grow, budget=20)


def test_the_vehicle_page_has_a_fixed_budget_however_many_subjects(
    world: World, owner: User, owner_client: Client
) -> None:
    vehicle = Vehicle.objects.create(store=world.store_a, plate="7XYZ321")

    def grow(count: int) -> None:
        for _ in range(count):
            vehicle.subjects.add(make_subject(world.store_a))
            vehicle.incidents.add(make_incident(world.store_a, owner))

    assert_flat(owner_client, f"/vehicles/{vehicle.pk}/", grow, budget=20)


def test_the_statement_page_has_a_fixed_budget_however_many_versions(
    owner: User, incident: Incident, owner_client: Client
) -> None:
    _statements(owner, incident)(1)
    statement = Statement.objects.get()

    def grow(count: int) -> None:
        for number in range(count):
            statements.revise(owner, statement, f"Version {number}", reason="Typo")

    assert_flat(owner_client, f"/statements/{statement.pk}/", grow, budget=20)


def test_a_note_page_has_a_fixed_budget_however_many_revisions(
    owner: User, case: Case, owner_client: Client
) -> None:
    note = casework.save_note(owner, case, "First words")

    def grow(count: int) -> None:
        for number in range(count):
            casework.save_note(owner, case, f"Revision {number}", note=note)

    assert_flat(owner_client, f"/notes/{note.pk}/", grow, budget=16)
