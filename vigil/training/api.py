"""Training API: modules, assignments (by role and store), quiz attempts, and completion as
at a day (the training page's and the executive summary's figure)."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from vigil.core.apiauth import may
from vigil.core.models import Store
from vigil.core.pages import api_user
from vigil.core.roles import Capability
from vigil.core.scoping import get_visible_or_404
from vigil.training import courses
from vigil.training.models import Assignment, Attempt, Module
from vigil.training.schemas import (
    AssignIn,
    AssignmentOut,
    AttemptIn,
    AttemptOut,
    CompletionsOut,
    ModuleOut,
)

router = Router(tags=["training"])


@router.get("/training/modules", response=list[ModuleOut])
def list_modules(request: HttpRequest) -> list[Module]:
    return courses.current_modules()


@router.get("/training/assignments", response=list[AssignmentOut])
@paginate
def list_assignments(request: HttpRequest, open_only: bool = False) -> QuerySet[Assignment]:
    found = Assignment.objects.visible_to(api_user(request)).select_related(
        "store", "person", "module"
    )
    return found.filter(completed_at__isnull=True) if open_only else found


@router.get("/training/completion", response=CompletionsOut)
def completion(request: HttpRequest, as_at: dt.date | None = None) -> dict[str, Any]:
    """Assignments done out of those given in the caller's stores, as at a day (today by
    default; a later day reads as today), in total and per store."""
    day = min(as_at or timezone.localdate(), timezone.localdate())
    found = Assignment.objects.visible_to(api_user(request))
    codes = dict(Store.objects.values_list("pk", "code"))
    by_store = courses.completion_by_store(found, day)
    return {
        "as_at": day,
        "total": _completion_out(courses.completion(found, day), None),
        "stores": [
            _completion_out(done, codes[store_id])
            for store_id, done in sorted(by_store.items(), key=lambda kv: codes[kv[0]])
        ],
    }


def _completion_out(done: courses.Completion, store: str | None) -> dict[str, Any]:
    return {
        "as_at": done.as_at,
        "store": store,
        "assigned": done.assigned,
        "completed": done.completed,
        "overdue": done.overdue,
        "rate": done.rate,
    }


@router.post(
    "/training/assignments", response={201: list[AssignmentOut]}, auth=may(Capability.RECORD)
)
def assign(request: HttpRequest, payload: AssignIn) -> Status[Any]:
    user = api_user(request)
    module = next((m for m in courses.current_modules() if m.key == payload.module), None)
    if module is None:
        raise HttpError(404, f"No module {payload.module!r}.")
    stores = [get_visible_or_404(Store.objects.all(), user, code=code) for code in payload.stores]
    return Status(201, courses.assign(user, module, stores, payload.roles, payload.due_on))


@router.post(
    "/training/assignments/{assignment_id}/attempts",
    response={201: AttemptOut},
    auth=may(Capability.RECORD, admit=courses.takes_own_quiz),
)
def attempt(request: HttpRequest, assignment_id: int, payload: AttemptIn) -> Status[Attempt]:
    user = api_user(request)
    found = Assignment.objects.select_related("module", "person")
    assignment = get_visible_or_404(found, user, pk=assignment_id)
    return Status(201, courses.take_quiz(user, assignment, list(payload.answers)))
