"""An escalated POS lead arrives in its case with what an investigator needs first: the
journal as evidence, the employee as a subject of the case, and the camera window as tasks
to pull the video; escalating again, or another lead of the same employee, adds nothing twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import World, client_for, make_case, make_person, make_store, make_user
from tests.pos.test_imports import generated  # noqa: F401 - the module's generated data set
from tests.search.test_finder import make_lead
from vigil.cases.models import Case, CaseTask, Subject
from vigil.core import clock
from vigil.core.models import Role, User
from vigil.pos import casefile, imports, journal, reviews
from vigil.pos.casefile import EN_DASH
from vigil.pos.models import PosException
from vigil.video.models import Camera


@pytest.fixture
def investigator(world: World, generated: Path) -> User:  # noqa: F811
    make_store(world.region_a, "S101")
    make_store(world.region_b, "S102")
    user = make_user(Role.LP_MANAGER, everything=True, username="investigator")
    data_set = imports.import_data_set(user, generated, "March", "generated")
    imports.scan_data_set(data_set, user)
    return user


@pytest.fixture
def lead(investigator: User) -> PosException:
    found = PosException.objects.exclude(employee_id="").exclude(register_id="").first()
    assert found is not None
    return found


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def tasks_of(case: Case) -> list[str]:
    return list(CaseTask.objects.filter(case=case).values_list("title", flat=True))


def video_tasks_of(case: Case) -> list[str]:
    return [title for title in tasks_of(case) if title.startswith("Pull video")]


def test_the_employee_arrives_as_a_subject_of_the_case(
    investigator: User, lead: PosException
) -> None:
    person = make_person(lead.store, name="Robin Cashier")
    person.employee_id = lead.employee_id
    person.save()
    case = reviews.escalate(investigator, lead)
    subject = Subject.objects.get(employee_id=lead.employee_id)
    assert subject.kind == "employee" and subject.person == person
    assert subject.name == "Robin Cashier" and "employee id" in subject.description
    assert case.links.get(subject__isnull=False).subject == subject


def test_the_subjects_page_says_they_are_an_employee_with_their_id(
    investigator: User, lead: PosException
) -> None:
    reviews.escalate(investigator, lead)
    subject = Subject.objects.get(employee_id=lead.employee_id)
    page = client_for(investigator).get(f"/subjects/{subject.pk}/").content.decode()
    assert f"employee id {lead.employee_id}" in page


def test_an_employee_without_a_people_record_is_a_subject_by_their_id(
    investigator: User, lead: PosException
) -> None:
    reviews.escalate(investigator, lead)
    subject = Subject.objects.get(employee_id=lead.employee_id)
    assert subject.person is None and subject.name == f"Employee {lead.employee_id}"


def test_the_camera_window_is_a_task_per_camera_that_sees_the_register(
    investigator: User, lead: PosException
) -> None:
    Camera.objects.create(store=lead.store, name="lanes-1-4", registers=lead.register_id)
    Camera.objects.create(store=lead.store, name="overhead-2", registers=f"X9, {lead.register_id}")
    case = reviews.escalate(investigator, lead)
    found = journal.read(imports.folder_of(lead.data_set), lead.transaction_id)
    assert found is not None
    start = clock.local(_moment(found.video_from), lead.store)
    end = clock.local(_moment(found.video_to), lead.store)
    window = f"{start:%Y-%m-%d %H:%M}{EN_DASH}{end:%H:%M} {end.tzname()} (store time)"
    assert sorted(video_tasks_of(case)) == [
        f"Pull video: camera {name}, {window}, register {lead.register_id}, "
        f"transaction {lead.transaction_id}"
        for name in ("lanes-1-4", "overhead-2")
    ]


def test_the_video_task_is_due_tomorrow_in_the_store_for_the_cases_investigator(
    investigator: User, lead: PosException
) -> None:
    Camera.objects.create(store=lead.store, name="lanes-1-4", registers=lead.register_id)
    case = reviews.escalate(investigator, lead)
    task = CaseTask.objects.get(case=case, title__startswith="Pull video")
    today = timezone.localtime(timezone=clock.zone_of(lead.store)).date()
    assert task.due_on == today + timedelta(days=1) and task.assignee == investigator


def test_a_register_no_camera_sees_is_named_in_the_task(
    investigator: User, lead: PosException
) -> None:
    case = reviews.escalate(investigator, lead)
    (title,) = video_tasks_of(case)
    assert f"no camera is mapped to register {lead.register_id}" in title


def test_without_its_journal_the_window_is_around_the_time_the_lead_was_rung(
    world: World, owner: User
) -> None:
    lead = make_lead(world.store_a, at_text="2026-03-02T15:30:00-06:00")
    Camera.objects.create(store=world.store_a, name="lanes-1-4", registers="R02")
    case = reviews.escalate(owner, lead)
    (title,) = video_tasks_of(case)
    assert f"camera lanes-1-4, 2026-03-02 15:28{EN_DASH}15:32 CST (store time)" in title


def test_escalating_twice_adds_nothing_twice(investigator: User, lead: PosException) -> None:
    Camera.objects.create(store=lead.store, name="lanes-1-4", registers=lead.register_id)
    first = reviews.escalate(investigator, lead)
    again = reviews.escalate(investigator, PosException.objects.get(pk=lead.pk))
    assert again == first
    assert Subject.objects.filter(employee_id=lead.employee_id).count() == 1
    assert first.links.filter(subject__isnull=False).count() == 1
    assert len(video_tasks_of(first)) == 1


def test_two_leads_of_one_employee_share_one_subject(
    investigator: User, lead: PosException
) -> None:
    other = PosException.objects.filter(employee_id=lead.employee_id).exclude(pk=lead.pk).first()
    assert other is not None
    first = reviews.escalate(investigator, lead)
    second = reviews.escalate(investigator, other)
    subject = Subject.objects.get(employee_id=lead.employee_id)
    cases = {link.case for link in subject.case_links.select_related("case")}
    assert first != second and cases == {first, second}


def test_a_second_lead_linked_into_the_case_adds_its_own_window_but_not_the_subject_again(
    investigator: User, lead: PosException
) -> None:
    other = PosException.objects.filter(employee_id=lead.employee_id).exclude(pk=lead.pk).first()
    assert other is not None
    case = reviews.escalate(investigator, lead)
    reviews.link_to_case(investigator, other, case)
    assert case.links.filter(subject__isnull=False).count() == 1
    assert len(video_tasks_of(case)) == 2
    assert PosException.objects.get(pk=other.pk).case == case


def test_a_lead_escalated_to_another_case_stays_there(
    investigator: User, lead: PosException
) -> None:
    escalated = reviews.escalate(investigator, lead)
    elsewhere = make_case(lead.store, investigator)
    with pytest.raises(ValidationError, match="work it there"):
        reviews.link_to_case(investigator, lead, elsewhere)
    assert PosException.objects.get(pk=lead.pk).case == escalated


def test_the_case_page_shows_the_employee_the_lead_and_the_video_task(
    investigator: User, lead: PosException
) -> None:
    client = client_for(investigator)
    response = client.post(f"/pos/exceptions/{lead.pk}/escalation/", {"note": "pattern"})
    body = client.get(response["Location"]).content.decode()
    subject = Subject.objects.get(employee_id=lead.employee_id)
    assert f'<a href="/subjects/{subject.pk}/">Employee {lead.employee_id}</a>' in body
    assert f"transaction {lead.transaction_id}" in body
    assert "Pull video" in body


def test_an_unattended_lead_brings_no_subject(world: World, owner: User) -> None:
    lead = make_lead(world.store_a, employee_id="")
    case = reviews.escalate(owner, lead)
    assert not case.links.exists() and len(video_tasks_of(case)) == 1


def test_the_window_names_both_days_when_it_crosses_midnight(world: World) -> None:
    lead = make_lead(world.store_a, at_text="2026-03-02T23:59:00-06:00")
    window = casefile.camera_window(lead, None)
    assert window == f"2026-03-02 23:57{EN_DASH}2026-03-03 00:01 CST (store time)"
