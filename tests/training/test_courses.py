"""Training: shipped modules, assigning by role and store, quizzes, overdue and reminders."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conftest import World, client_for, make_person, make_user
from vigil.core.models import EmployeeRole, Role
from vigil.training import courses
from vigil.training.models import Assignment, Module


def module(key: str = "eas-alarm-response") -> Module:
    return Module.objects.get(key=key)


def right_answers(found: Module) -> list[int | None]:
    return [q.answer for q in courses.questions_of(found)]


def test_the_five_modules_are_shipped_with_quizzes(db) -> None:
    assert {m.key for m in courses.current_modules()} == {
        "shoplifting-awareness", "eas-alarm-response", "cash-handling",
        "emergency-procedures", "de-escalation",
    }  # fmt: skip
    html = courses.html_of(module("shoplifting-awareness"))
    assert "<h2>What you must never do</h2>" in html and "<script" not in html


def test_assigning_by_role_reaches_each_associate_once(world: World, owner) -> None:
    cashiers = [make_person(world.store_a, EmployeeRole.CASHIER) for _ in range(3)]
    make_person(world.store_a, EmployeeRole.MANAGER)
    make_person(world.store_b, EmployeeRole.CASHIER)
    due = timezone.localdate() + dt.timedelta(days=14)
    made = courses.assign(owner, module(), [world.store_a], [EmployeeRole.CASHIER], due)
    assert {a.person for a in made} == set(cashiers)
    again = courses.assign(owner, module(), [world.store_a], [EmployeeRole.CASHIER], due)
    assert again == []  # an open assignment is not repeated
    with pytest.raises(ValidationError, match="in the past"):
        courses.assign(owner, module(), [world.store_a], ["cashier"], dt.date(2020, 1, 1))


def test_a_quiz_passes_at_the_pass_mark_and_keeps_the_best_score(world: World, owner) -> None:
    person = make_person(world.store_a, EmployeeRole.CASHIER)
    due = timezone.localdate() + dt.timedelta(days=7)
    (assignment,) = courses.assign(owner, module(), [world.store_a], ["cashier"], due)
    answers = right_answers(assignment.module)
    wrong = [(a + 1) % 2 for a in answers]
    first = courses.take_quiz(owner, assignment, wrong)
    assert not first.passed and assignment.completed_at is None
    second = courses.take_quiz(owner, assignment, answers)
    assert second.passed and second.score == 100 and assignment.best_score == 100
    assert assignment.completed_at is not None and person == assignment.person
    with pytest.raises(ValidationError, match="Answer every question"):
        courses.take_quiz(owner, assignment, answers[:-1])


def test_only_the_associate_or_a_recorder_of_their_store_takes_it(world: World, owner) -> None:
    person = make_person(world.store_a, EmployeeRole.CASHIER)
    due = timezone.localdate() + dt.timedelta(days=7)
    (assignment,) = courses.assign(owner, module(), [world.store_a], ["cashier"], due)
    associate = make_user(Role.EXECUTIVE, stores=(world.store_a,), person=person)
    colleague = make_user(Role.EXECUTIVE, stores=(world.store_a,))
    assert courses.take_quiz(associate, assignment, right_answers(assignment.module)).passed
    with pytest.raises(PermissionDenied):
        courses.take_quiz(colleague, assignment, right_answers(assignment.module))


def test_compliance_counts_completed_and_overdue(world: World, owner) -> None:
    for _ in range(4):
        make_person(world.store_a, EmployeeRole.CASHIER)
    due = timezone.localdate() + dt.timedelta(days=1)
    made = courses.assign(owner, module(), [world.store_a], ["cashier"], due)
    courses.take_quiz(owner, made[0], right_answers(made[0].module))
    Assignment.objects.filter(pk=made[1].pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    (row,) = courses.compliance(Assignment.objects.all())
    assert (row.assigned, row.completed, row.overdue, row.percent) == (4, 1, 1, 25)


def test_completion_as_at_a_day_counts_what_was_given_and_done_by_then(world: World, owner) -> None:
    for _ in range(3):
        make_person(world.store_a, EmployeeRole.CASHIER)
    today = timezone.localdate()
    made = courses.assign(owner, module(), [world.store_a], ["cashier"], today)
    month_ago = timezone.now() - dt.timedelta(days=30)
    Assignment.objects.filter(pk__in=[a.pk for a in made]).update(
        assigned_at=month_ago, due_on=today - dt.timedelta(days=20)
    )
    Assignment.objects.filter(pk=made[0].pk).update(completed_at=month_ago)  # done early
    Assignment.objects.filter(pk=made[1].pk).update(completed_at=timezone.now())  # done today
    found = Assignment.objects.all()
    ten_days_ago = courses.completion(found, today - dt.timedelta(days=10))
    now = courses.completion(found)
    assert (ten_days_ago.completed, ten_days_ago.assigned, ten_days_ago.overdue) == (1, 3, 2)
    assert (now.completed, now.assigned, now.overdue) == (2, 3, 1)
    assert courses.completion(found, today - dt.timedelta(days=40)).assigned == 0
    (row,) = courses.compliance(found, today - dt.timedelta(days=10))
    assert (row.assigned, row.completed, row.overdue) == (3, 1, 2)
    by_store = courses.completion_by_store(found, today - dt.timedelta(days=10))
    assert by_store == {world.store_a.pk: ten_days_ago}


def test_the_training_page_shows_completion_as_at_a_day(world: World, owner) -> None:
    make_person(world.store_a, EmployeeRole.CASHIER)
    today = timezone.localdate()
    (made,) = courses.assign(owner, module(), [world.store_a], ["cashier"], today)
    Assignment.objects.filter(pk=made.pk).update(
        assigned_at=timezone.now() - dt.timedelta(days=5), completed_at=timezone.now()
    )
    client = client_for(owner)
    earlier = f"{today - dt.timedelta(days=2):%Y-%m-%d}"
    then = " ".join(client.get(f"/training/?as_at={earlier}").content.decode().split())
    assert f"0 of 1</strong> assignments done by {earlier}: <strong>0 %</strong>" in then
    now = " ".join(client.get("/training/").content.decode().split())
    assert "1 of 1</strong> assignments done: <strong>100 %</strong> complete" in now
    api = client.get(f"/api/v1/training/completion?as_at={earlier}").json()
    assert (api["total"]["completed"], api["stores"][0]["store"]) == (0, "SA1")
    assert client.get("/training/?as_at=yesterday").status_code == 404


def test_overdue_assignments_are_reminded_once_a_day(world: World, owner) -> None:
    person = make_person(world.store_a, EmployeeRole.CASHIER)
    make_user(Role.LP_OFFICER, stores=(world.store_a,), person=person).__class__.objects.filter(
        person=person
    ).update(email="cashier@example.com")
    due = timezone.localdate() + dt.timedelta(days=1)
    (assignment,) = courses.assign(owner, module(), [world.store_a], ["cashier"], due)
    Assignment.objects.filter(pk=assignment.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=2)
    )
    assert courses.remind_overdue() == 1
    assert courses.remind_overdue() == 0
    assert mail.outbox[-1].to == ["cashier@example.com"]
    assert "Training overdue: Responding to an EAS alarm" in mail.outbox[-1].subject


def test_the_certificate_names_the_person_and_the_score(world: World, owner) -> None:
    make_person(world.store_a, EmployeeRole.CASHIER, name="Jamie Rivera")
    due = timezone.localdate() + dt.timedelta(days=7)
    (assignment,) = courses.assign(owner, module(), [world.store_a], ["cashier"], due)
    client = client_for(owner)
    assert client.get(f"/training/assignments/{assignment.pk}/certificate.pdf").status_code == 404
    courses.take_quiz(owner, assignment, right_answers(assignment.module))
    pdf = client.get(f"/training/assignments/{assignment.pk}/certificate.pdf")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Jamie Rivera" in text and "Responding to an EAS alarm" in text and "100%" in text
