"""Case tasks on the case page: given to someone, dated, reassigned, marked done in words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.conftest import World, client_for, make_case, make_user, store_today
from vigil.cases import casework
from vigil.cases.models import Case, CaseTask, Statement, TaskStatus
from vigil.core import clock
from vigil.core.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(world: World) -> User:
    user = make_user(Role.LP_OFFICER, stores=(world.store_a,), username="officer")
    user.first_name, user.last_name, user.email = "Dana", "Reyes", "dana@example.com"
    user.save()
    return user


def _tomorrow() -> str:
    return (store_today() + dt.timedelta(days=1)).isoformat()


def test_a_task_added_on_the_case_page_goes_to_the_person_chosen(
    world: World, owner: User, officer: User, owner_client: Client
):
    case = make_case(world.store_a, owner)

    owner_client.post(
        f"/cases/{case.number}/tasks/",
        {"title": "Pull the register journal", "assignee": officer.pk, "due_on": _tomorrow()},
    )

    task = case.tasks.get(title="Pull the register journal")
    assert task.assignee == officer
    assert [message.to for message in mail.outbox] == [["dana@example.com"]]
    page = owner_client.get(f"/cases/{case.number}/").content.decode()
    assert "Dana Reyes" in page


def test_the_case_page_offers_only_people_who_can_see_the_cases_store(
    world: World, owner: User, officer: User, outsider: User, owner_client: Client
):
    case = make_case(world.store_a, owner)

    page = owner_client.get(f"/cases/{case.number}/").content.decode()

    assert f'value="{officer.pk}"' in page
    assert f'value="{outsider.pk}"' not in page


def test_a_task_for_someone_outside_the_store_is_refused_and_nothing_is_stored(
    world: World, owner: User, outsider: User, owner_client: Client
):
    case = make_case(world.store_a, owner)
    before = case.tasks.count()

    answer = owner_client.post(
        f"/cases/{case.number}/tasks/",
        {"title": "Interview the cashier", "assignee": outsider.pk},
        follow=True,
    )

    assert case.tasks.count() == before
    assert "Assign to: Select a valid choice" in answer.content.decode()


def test_a_task_due_before_today_is_refused(world: World, owner: User, owner_client: Client):
    case = make_case(world.store_a, owner)
    yesterday = (store_today() - dt.timedelta(days=1)).isoformat()

    answer = owner_client.post(
        f"/cases/{case.number}/tasks/", {"title": "Too late", "due_on": yesterday}, follow=True
    )

    assert not case.tasks.filter(title="Too late").exists()
    assert "Due: A task cannot be due before today." in answer.content.decode()


def test_a_task_is_reassigned_and_moved_and_the_new_assignee_is_told(
    world: World, owner: User, officer: User, owner_client: Client
):
    case = make_case(world.store_a, owner)
    task = CaseTask.objects.create(case=case, title="Preserve video", assignee=owner)

    owner_client.post(f"/tasks/{task.pk}/", {"assignee": officer.pk, "due_on": _tomorrow()})

    task.refresh_from_db()
    assert (task.assignee, task.due_on.isoformat()) == (officer, _tomorrow())
    assert [message.to for message in mail.outbox] == [["dana@example.com"]]


def test_a_teammate_without_casework_cannot_reassign(world: World, owner: User):
    case = make_case(world.store_a, owner)
    task = CaseTask.objects.create(case=case, title="Preserve video", assignee=owner)
    manager = make_user(Role.STORE_MANAGER, stores=(world.store_a,))

    answer = client_for(manager).post(f"/tasks/{task.pk}/", {"assignee": manager.pk})

    assert answer.status_code == 403
    task.refresh_from_db()
    assert task.assignee == owner


def test_an_open_task_offers_to_be_marked_done_and_a_done_one_says_done(
    world: World, owner: User, owner_client: Client
):
    case = make_case(world.store_a, owner)
    case.tasks.all().delete()
    task = CaseTask.objects.create(case=case, title="Preserve video")

    open_page = owner_client.get(f"/cases/{case.number}/").content.decode()
    owner_client.post(f"/tasks/{task.pk}/status/", {"status": "done"})
    done_page = owner_client.get(f"/cases/{case.number}/").content.decode()

    assert "✓ Mark done" in open_page and "status-passed" not in open_page
    assert '<span class="badge status-passed">Done</span>' in done_page
    assert "✓ Mark done" not in done_page and "Reopen" in done_page
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_a_done_task_can_be_reopened(world: World, owner: User, owner_client: Client):
    case = make_case(world.store_a, owner)
    task = CaseTask.objects.create(
        case=case, title="Preserve video", status=TaskStatus.DONE, done_at=timezone.now()
    )

    owner_client.post(f"/tasks/{task.pk}/status/", {"status": "open"})

    task.refresh_from_db()
    assert (task.status, task.done_at) == (TaskStatus.OPEN, None)


def test_an_overdue_task_is_marked_overdue(world: World, owner: User, owner_client: Client):
    case = make_case(world.store_a, owner)
    CaseTask.objects.create(
        case=case, title="Send the letter", due_on=store_today() - dt.timedelta(days=3)
    )

    page = owner_client.get(f"/cases/{case.number}/").content.decode()

    assert '<span class="badge status-overdue">Overdue</span>' in page


# --- a case's own due date ---------------------------------------------------------------


def test_a_case_is_due_by_its_types_target(world: World, owner: User):
    case = casework.open_case(
        owner, {"store": world.store_a, "title": "Razor boosters", "kind": "shoplifting"}
    )

    assert case.template is not None and case.template.due_in_days == 14
    assert case.due_on == store_today() + dt.timedelta(days=14)


def test_an_overdue_case_says_so_on_its_page_in_the_list_and_first_in_my_work(
    world: World, owner: User, owner_client: Client
):
    late = make_case(world.store_a, owner, title="Late one")
    Case.objects.filter(pk=late.pk).update(due_on=store_today() - dt.timedelta(days=2))
    make_case(world.store_a, owner, title="On time")

    detail = owner_client.get(f"/cases/{late.number}/").content.decode()
    listed = owner_client.get("/cases/").content.decode()
    work = owner_client.get("/my-work/").content.decode()

    assert "2 days overdue" in detail
    assert "2 days overdue" in listed
    assert work.index("Late one") < work.index("On time")


def test_the_due_date_of_a_case_can_be_moved(world: World, owner: User, owner_client: Client):
    case = make_case(world.store_a, owner)
    later = (store_today() + dt.timedelta(days=30)).isoformat()

    owner_client.post(
        f"/cases/{case.number}/edit/",
        {
            "title": case.title,
            "priority": case.priority,
            "due_on": later,
            "assignee": owner.pk,
            "recovered_amount": "0",
        },
    )

    case.refresh_from_db()
    assert case.due_on.isoformat() == later


# --- statements on a case ------------------------------------------------------------------


def test_a_statement_is_taken_on_the_case_itself(world: World, owner: User, owner_client: Client):
    case = make_case(world.store_a, owner)
    # The form reads a time on the store's wall clock.
    started = timezone.localtime(timezone=clock.zone_of(case.store)) - dt.timedelta(hours=1)

    case_page = owner_client.get(f"/cases/{case.number}/").content.decode()
    answer = owner_client.post(
        f"/cases/{case.number}/statements/new/",
        {
            "witness_name": "Sam Ortiz",
            "started_at": started.strftime("%Y-%m-%dT%H:%M"),
            "language": "English",
            "body": "I saw the same two men at the Elm Street store last week.",
        },
    )

    statement = Statement.objects.get(witness_name="Sam Ortiz")
    assert f"/cases/{case.number}/statements/new/" in case_page
    assert answer.status_code == 302
    assert (statement.case, statement.incident, statement.store) == (case, None, case.store)
    assert "Sam Ortiz" in owner_client.get(f"/cases/{case.number}/").content.decode()


def test_an_outsider_cannot_take_a_statement_on_a_case(world: World, owner: User, outsider: User):
    case = make_case(world.store_a, owner)

    answer = client_for(outsider).get(f"/cases/{case.number}/statements/new/")

    assert answer.status_code == 404
