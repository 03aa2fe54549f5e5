"""Linking from the case page: one box that finds subjects, vehicles, incidents, evidence and
POS leads as one types (in the user's stores only), "Link" buttons that work without script,
and a new subject or vehicle recorded and linked in one step, or not at all."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.conftest import World, add_evidence, client_for, make_case, make_incident, make_subject
from tests.search.test_finder import make_lead, make_vehicle
from vigil.cases import casework
from vigil.cases.models import Case, CaseLink, Subject, Vehicle
from vigil.core.models import User
from vigil.evidence.models import EvidenceItem
from vigil.pos.models import PosException, ReviewStatus

JSON = {"HTTP_ACCEPT": "application/json"}
TYPING = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def case(world: World, owner: User) -> Case:
    return make_case(world.store_a, owner)


def candidates(client: Client, case: Case, typed: str, **headers: Any) -> Any:
    return client.get(f"/cases/{case.number}/links/candidates/", {"q": typed}, **headers)


def found(client: Client, case: Case, typed: str) -> dict[str, list[dict[str, Any]]]:
    groups = candidates(client, case, typed, **JSON).json()["groups"]
    return {group["kind"]: group["items"] for group in groups}


def link(client: Client, case: Case, kind: str, ref: Any) -> Any:
    return client.post(f"/cases/{case.number}/links/", {"kind": kind, "ref": ref})


# --- finding ---------------------------------------------------------------------------


def test_the_link_box_finds_only_records_of_the_users_stores(
    world: World, owner: User, case: Case
) -> None:
    mine = make_subject(world.store_a, name="Jordan Mine")
    make_subject(world.store_b, name="Jordan Elsewhere")
    make_vehicle(world.store_b, "JOR123")
    subjects = found(client_for(owner), case, "jordan")["subject"]
    assert [item["title"] for item in subjects] == ["Jordan Mine"]
    assert subjects[0]["ref"] == str(mine.pk) and subjects[0]["store"] == "SA1"


def test_a_plate_typed_with_o_for_zero_finds_the_vehicle(
    world: World, owner: User, case: Case
) -> None:
    vehicle = make_vehicle(world.store_a, "KDL4071")
    make_vehicle(world.store_b, "KDL4071")
    vehicles = found(client_for(owner), case, "KDL4O71")["vehicle"]
    assert [item["ref"] for item in vehicles] == [str(vehicle.pk)]
    assert "look-alike" in vehicles[0]["note"]


def test_incidents_evidence_and_leads_are_found_by_their_numbers(
    world: World, owner: User, case: Case
) -> None:
    incident = make_incident(world.store_a, owner)
    item = add_evidence(owner, store=world.store_a.code)
    lead = make_lead(world.store_a, "S101-R02-000777")
    client = client_for(owner)
    assert found(client, case, incident.number)["incident"][0]["ref"] == incident.number
    assert found(client, case, item.number)["evidence"][0]["ref"] == item.number
    assert found(client, case, "S101-R02-000777")["lead"][0]["ref"] == str(lead.pk)


def test_one_character_is_not_searched(world: World, owner: User, case: Case) -> None:
    make_subject(world.store_a, name="J Example")
    assert found(client_for(owner), case, "j") == {}


def test_results_as_one_types_are_a_list_with_link_buttons(
    world: World, owner: User, case: Case
) -> None:
    subject = make_subject(world.store_a, name="Jordan Mine")
    body = candidates(client_for(owner), case, "jordan", **TYPING).content.decode()
    assert "<html" not in body  # the fragment the box shows, not a page
    assert 'name="kind" value="subject"' in body and f'name="ref" value="{subject.pk}"' in body
    assert "csrfmiddlewaretoken" in body


def test_without_script_the_search_is_a_page_with_link_buttons(
    world: World, owner: User, case: Case
) -> None:
    make_subject(world.store_a, name="Jordan Mine")
    response = candidates(client_for(owner), case, "jordan")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body
    assert f'action="/cases/{case.number}/links/"' in body and ">Link</button>" in body


def test_what_is_linked_already_is_marked_not_offered_again(
    world: World, owner: User, case: Case
) -> None:
    subject = make_subject(world.store_a, name="Jordan Mine")
    casework.link(owner, case, subject)
    client = client_for(owner)
    assert found(client, case, "jordan")["subject"][0]["linked"] is True
    body = candidates(client, case, "jordan", **TYPING).content.decode()
    assert "Linked</span>" in body and f'value="{subject.pk}"' not in body


def test_an_outsider_gets_404_for_the_link_box_of_another_stores_case(
    outsider: User, case: Case
) -> None:
    assert candidates(client_for(outsider), case, "jordan").status_code == 404


def test_the_case_page_has_the_link_box_and_the_new_subject_and_vehicle_forms(
    owner: User, case: Case
) -> None:
    body = client_for(owner).get(f"/cases/{case.number}/").content.decode()
    assert f'hx-get="/cases/{case.number}/links/candidates/"' in body
    assert 'data-min-chars="2"' in body and "cases/link-search" in body
    assert f'action="/cases/{case.number}/subjects/"' in body
    assert f'action="/cases/{case.number}/vehicles/"' in body


# --- linking and unlinking -------------------------------------------------------------


def test_a_subject_chosen_from_the_results_is_linked_and_can_be_unlinked(
    world: World, owner: User, case: Case
) -> None:
    subject = make_subject(world.store_a, name="Jordan Mine")
    client = client_for(owner)
    response = link(client, case, "subject", subject.pk)
    assert response.status_code == 302 and response["Location"].endswith("#links")
    linked = CaseLink.objects.get(case=case, subject=subject)
    assert "Jordan Mine" in client.get(f"/cases/{case.number}/").content.decode()
    client.post(f"/cases/{case.number}/links/{linked.pk}/removal/")
    assert not CaseLink.objects.filter(case=case).exists()


def test_linking_the_same_record_twice_links_it_once(world: World, owner: User, case: Case) -> None:
    vehicle = make_vehicle(world.store_a, "ABC123")
    client = client_for(owner)
    link(client, case, "vehicle", vehicle.pk)
    link(client, case, "vehicle", vehicle.pk)
    assert CaseLink.objects.filter(case=case, vehicle=vehicle).count() == 1


def test_an_incident_is_linked_by_its_number(world: World, owner: User, case: Case) -> None:
    incident = make_incident(world.store_a, owner)
    link(client_for(owner), case, "incident", incident.number)
    assert CaseLink.objects.filter(case=case, incident=incident).exists()


def test_evidence_is_linked_by_its_number_and_shows_on_the_case(
    world: World, owner: User, case: Case
) -> None:
    item = add_evidence(owner, store=world.store_a.code)
    client = client_for(owner)
    link(client, case, "evidence", item.number)
    assert EvidenceItem.objects.get(pk=item.pk).case == case
    assert item.number in client.get(f"/cases/{case.number}/").content.decode()
    assert case.timeline.filter(text__contains=item.number).exists()


def test_evidence_of_another_case_stays_there(world: World, owner: User, case: Case) -> None:
    other = make_case(world.store_a, owner)
    item = add_evidence(owner, store=world.store_a.code, case=other.number)
    response = link(client_for(owner), case, "evidence", item.number)
    assert response.status_code == 302
    assert EvidenceItem.objects.get(pk=item.pk).case == other


def test_a_lead_linked_from_the_case_is_worked_in_it(world: World, owner: User, case: Case) -> None:
    lead = make_lead(world.store_a)
    link(client_for(owner), case, "lead", lead.pk)
    lead = PosException.objects.get(pk=lead.pk)
    assert lead.case == case and lead.status == ReviewStatus.ESCALATED
    assert Subject.objects.get(employee_id=lead.employee_id).case_links.get().case == case


def test_another_stores_record_cannot_be_linked(
    world: World, owner: User, outsider: User, case: Case
) -> None:
    subject = make_subject(world.store_b)
    incident = make_incident(world.store_b, outsider)
    client = client_for(owner)
    assert link(client, case, "subject", subject.pk).status_code == 404
    assert link(client, case, "incident", incident.number).status_code == 404
    assert not case.links.exists()


def test_a_closed_case_takes_no_new_links(world: World, owner: User, case: Case) -> None:
    subject = make_subject(world.store_a)
    case.status = "closed"
    case.save()
    link(client_for(owner), case, "subject", subject.pk)
    assert not case.links.exists()


# --- a new subject or vehicle, recorded and linked in one step -------------------------


def test_a_new_subject_is_recorded_at_the_cases_store_and_linked(owner: User, case: Case) -> None:
    response = client_for(owner).post(
        f"/cases/{case.number}/subjects/",
        {"name": "Casey Newperson", "clothing": "Red hoodie, grey joggers"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#links")
    subject = Subject.objects.get(name="Casey Newperson")
    assert subject.store == case.store and subject.kind == "public"
    assert case.links.get().subject == subject


def test_a_new_subject_with_nothing_to_recognise_them_by_stores_nothing(
    owner: User, case: Case
) -> None:
    response = client_for(owner).post(f"/cases/{case.number}/subjects/", {"aliases": ""})
    assert response.status_code == 400
    assert "Give a name, or describe them" in response.content.decode()
    assert not Subject.objects.exists() and not case.links.exists()


def test_a_new_vehicle_is_recorded_and_linked(owner: User, case: Case) -> None:
    client_for(owner).post(
        f"/cases/{case.number}/vehicles/", {"plate": "kdl 4471", "make": "Honda"}
    )
    vehicle = Vehicle.objects.get()
    assert vehicle.plate == "KDL4471" and case.links.get().vehicle == vehicle


def test_a_new_vehicle_with_a_bad_year_stores_nothing(owner: User, case: Case) -> None:
    response = client_for(owner).post(
        f"/cases/{case.number}/vehicles/", {"plate": "ABC123", "year": "19x7"}
    )
    assert response.status_code == 400
    assert "A year is four digits" in response.content.decode()
    assert not Vehicle.objects.exists() and not case.links.exists()


def test_the_new_subject_page_works_without_script(owner: User, case: Case) -> None:
    body = client_for(owner).get(f"/cases/{case.number}/subjects/").content.decode()
    assert "Record and link subject" in body and case.store.code in body


@pytest.mark.parametrize("path", ["subjects/", "vehicles/", "links/"])
def test_an_outsider_cannot_add_anything_to_another_stores_case(
    world: World, outsider: User, case: Case, path: str
) -> None:
    theirs = make_subject(world.store_b, name="Theirs")
    body = {"name": "X", "plate": "ABC123", "kind": "subject", "ref": theirs.pk}
    response = client_for(outsider).post(f"/cases/{case.number}/{path}", body)
    assert response.status_code == 404
    assert Subject.objects.get() == theirs and not Vehicle.objects.exists()
    assert not case.links.exists()
