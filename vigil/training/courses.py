"""Training modules, assignments and quizzes.

A module is a Markdown file with YAML front matter (title, minutes, pass mark, questions).
Assigning by role and store gives every active associate of those roles at those stores the
module, once (someone with an open assignment is not assigned again). A quiz attempt is
scored against the module's answers; passing completes the assignment, and the best score is
kept. Overdue is an open assignment past its due date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from markdown_it import MarkdownIt
from pydantic import BaseModel, ConfigDict, Field, model_validator

from vigil.core.models import Person, Store, User
from vigil.core.roles import Capability, can, require
from vigil.training.models import Assignment, Attempt, Module

FOLDER = Path(__file__).with_name("modules")


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=1)
    choices: list[str] = Field(min_length=2)
    answer: int = Field(ge=0)
    why: str = ""

    @model_validator(mode="after")
    def _answer_is_a_choice(self) -> Question:
        if self.answer >= len(self.choices):
            raise ValueError(f"answer {self.answer} is not one of the {len(self.choices)} choices")
        return self


class FrontMatter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[a-z0-9-]{1,48}$")
    version: int = Field(ge=1)
    title: str
    minutes: int = Field(ge=1)
    pass_mark: int = Field(ge=1, le=100)
    questions: list[Question] = Field(min_length=1)


def read_module(path: Path) -> tuple[FrontMatter, str]:
    """A module file's front matter (checked) and Markdown body."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise ValueError(f"{path.name}: a module starts with '---' front matter")
    head, _, body = text[4:].partition("\n---\n")
    return FrontMatter.model_validate(yaml.safe_load(head)), body.strip()


def install_modules(using: str = "default") -> int:
    """Add every shipped module version the database lacks; how many were added."""
    added = 0
    for path in sorted(FOLDER.glob("*.md")):
        meta, body = read_module(path)
        _, created = Module.objects.using(using).get_or_create(
            key=meta.key,
            version=meta.version,
            defaults={
                "title": meta.title,
                "minutes": meta.minutes,
                "pass_mark": meta.pass_mark,
                "body": body,
                "questions": [q.model_dump() for q in meta.questions],
            },
        )
        added += int(created)
    return added


def current_modules() -> list[Module]:
    newest: dict[str, Module] = {}
    for module in Module.objects.order_by("key", "-version"):
        newest.setdefault(module.key, module)
    return sorted(newest.values(), key=lambda m: m.title)


_MARKDOWN = MarkdownIt("commonmark", {"html": False})  # raw HTML in a module is shown as text


def html_of(module: Module) -> str:
    return str(_MARKDOWN.render(module.body))


def questions_of(module: Module) -> list[Question]:
    return [Question.model_validate(q) for q in module.questions]


def assign(
    user: User,
    module: Module,
    stores: Iterable[Store],
    roles: Sequence[str],
    due_on: dt.date,
) -> list[Assignment]:
    """Assign ``module`` to every active associate of ``roles`` at ``stores``; the new ones."""
    require(user, Capability.RECORD)
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": "The due date is in the past."})
    if not roles:
        raise ValidationError({"roles": "Choose at least one role."})
    made = []
    with transaction.atomic():
        for store in stores:
            people = Person.objects.filter(home_store=store, role__in=roles).exclude(
                left_on__lte=timezone.localdate()  # people who have left are not assigned
            )
            open_for = set(
                Assignment.objects.filter(
                    module__key=module.key, store=store, completed_at__isnull=True
                ).values_list("person_id", flat=True)
            )
            for person in people.exclude(pk__in=open_for):
                made.append(
                    Assignment.objects.create(
                        store=store, person=person, module=module, due_on=due_on, assigned_by=user
                    )
                )
    return made


def may_take(user: User, assignment: Assignment) -> bool:
    """The associate themselves, or someone who may record at their store (administering)."""
    return user.person_id == assignment.person_id or can(user, Capability.RECORD)


def takes_own_quiz(user: User, kwargs: Mapping[str, Any]) -> bool:
    """The associate of the assignment a URL names may answer its quiz without RECORD."""
    if user.person_id is None:
        return False
    assigned = int(kwargs.get("assignment_id") or 0)
    return Assignment.objects.filter(pk=assigned, person=user.person_id).exists()


def take_quiz(user: User, assignment: Assignment, answers: Sequence[int | None]) -> Attempt:
    """Score one attempt; passing completes the assignment."""
    if not may_take(user, assignment):
        raise PermissionDenied("Only the associate, or someone recording for their store.")
    questions = questions_of(assignment.module)
    if len(answers) != len(questions) or any(a is None for a in answers):
        raise ValidationError("Answer every question.")
    right = sum(1 for q, a in zip(questions, answers, strict=True) if a == q.answer)
    score = round(right * 100 / len(questions))
    passed = score >= assignment.module.pass_mark
    with transaction.atomic():
        attempt = Attempt.objects.create(
            assignment=assignment, score=score, passed=passed, answers=list(answers),
            recorded_by=user,
        )  # fmt: skip
        assignment.best_score = max(assignment.best_score or 0, score)
        if passed and assignment.completed_at is None:
            assignment.completed_at = attempt.taken_at
        assignment.save()
    return attempt


def overdue(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return assignments.filter(completed_at__isnull=True, due_on__lt=timezone.localdate())


# Training completion, the one count of it: the training page, its API, the dashboards, store
# risk and the executive summary all read it from here. "As at" a day, an assignment counts
# if it was given by the end of that day, as done if it was completed by then, and as
# overdue if it was not done by then and its due date had passed: so last month's summary
# reads the same as the training page does for its last day, however much was done since.


def _day_end(as_at: dt.date) -> dt.datetime:
    """The first moment after ``as_at`` (in the installation's zone)."""
    return timezone.make_aware(dt.datetime.combine(as_at + dt.timedelta(days=1), dt.time.min))


def given_by(assignments: QuerySet[Assignment], as_at: dt.date) -> QuerySet[Assignment]:
    """The assignments already given at the end of ``as_at``."""
    return assignments.filter(assigned_at__lt=_day_end(as_at))


def _done_by(as_at: dt.date) -> Q:
    return Q(completed_at__lt=_day_end(as_at))


def _is_done(assignment: Assignment, as_at: dt.date) -> bool:
    return assignment.completed_at is not None and assignment.completed_at < _day_end(as_at)


@dataclass(frozen=True)
class Compliance:
    store: Store
    module: Module
    assigned: int
    completed: int
    overdue: int

    @property
    def percent(self) -> int:
        return round(self.completed * 100 / self.assigned) if self.assigned else 100


def compliance(assignments: QuerySet[Assignment], as_at: dt.date | None = None) -> list[Compliance]:
    """Per store and module, as at a day (today by default): assigned, completed, overdue."""
    as_at = as_at or timezone.localdate()
    rows: dict[tuple[int, str], list[Assignment]] = {}
    for assignment in given_by(assignments, as_at).select_related("store", "module"):
        rows.setdefault((assignment.store_id, assignment.module.key), []).append(assignment)
    result = []
    for found in rows.values():
        done = [a for a in found if _is_done(a, as_at)]
        result.append(
            Compliance(
                store=found[0].store,
                module=found[0].module,
                assigned=len(found),
                completed=len(done),
                overdue=sum(1 for a in found if not _is_done(a, as_at) and a.due_on < as_at),
            )
        )
    return sorted(result, key=lambda c: (c.store.code, c.module.title))


@dataclass(frozen=True)
class Completion:
    """Assignments done out of those given, as at a day, as the training page counts them."""

    assigned: int
    completed: int
    overdue: int
    as_at: dt.date | None = None

    @property
    def rate(self) -> float | None:
        return self.completed / self.assigned if self.assigned else None


def _completion_counts(as_at: dt.date) -> dict[str, Any]:
    done = _done_by(as_at)
    return {
        "assigned": Count("pk"),
        "completed": Count("pk", filter=done),
        "overdue": Count("pk", filter=~done & Q(due_on__lt=as_at)),
    }


def completion(assignments: QuerySet[Assignment], as_at: dt.date | None = None) -> Completion:
    """The completion of ``assignments`` as at a day (today by default), in one query: the
    figure every page shows beside the training page's per-module table, counted the same."""
    as_at = as_at or timezone.localdate()
    found = given_by(assignments, as_at).aggregate(**_completion_counts(as_at))
    return Completion(found["assigned"], found["completed"], found["overdue"], as_at)


def completion_by_store(
    assignments: QuerySet[Assignment], as_at: dt.date | None = None
) -> dict[int, Completion]:
    """``completion`` per store id, in one query however many stores."""
    as_at = as_at or timezone.localdate()
    rows = (
        given_by(assignments, as_at)
        .values("store_id")
        .annotate(**_completion_counts(as_at))
        .order_by()
    )
    return {
        row["store_id"]: Completion(row["assigned"], row["completed"], row["overdue"], as_at)
        for row in rows
    }


def remind_overdue(today: dt.date | None = None) -> int:
    """One reminder a day per overdue assignment: to the associate's own login, else to the
    person who assigned it. The count sent."""
    from vigil.cases.notifications import notify

    today = today or timezone.localdate()
    due = Assignment.objects.filter(completed_at__isnull=True, due_on__lt=today).exclude(
        reminded_at__date=today
    )
    sent = 0
    for assignment in due.select_related("module", "person", "store", "assigned_by"):
        recipient = User.objects.filter(person=assignment.person, is_active=True).first()
        notify(
            recipient or assignment.assigned_by,
            "training.overdue",
            f"Training overdue: {assignment.module.title} for {assignment.person.name} "
            f"({assignment.store.code}), due {assignment.due_on:%Y-%m-%d}",
            {
                "module": assignment.module.key,
                "person": assignment.person.employee_id,
                "store": assignment.store.code,
                "due_on": assignment.due_on.isoformat(),
            },
        )
        Assignment.objects.filter(pk=assignment.pk).update(reminded_at=timezone.now())
        sent += 1
    return sent
