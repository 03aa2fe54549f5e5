"""Audits API: checklists, walks (start, answer, complete) and corrective actions."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from vigil.audits import actions, walks
from vigil.audits.models import ChecklistVersion, CorrectiveAction, FloorWalk
from vigil.audits.schemas import (
    ActionOut,
    AnswerIn,
    ChecklistOut,
    CompletionIn,
    FixIn,
    WalkIn,
    WalkOut,
)
from vigil.core.apiauth import may
from vigil.core.models import Store
from vigil.core.pages import api_user
from vigil.core.roles import Capability
from vigil.core.scoping import get_visible_or_404

router = Router(tags=["audits"])


@router.get("/audits/checklists", response=list[ChecklistOut])
def list_checklists(request: HttpRequest) -> list[ChecklistVersion]:
    """The newest version of every checklist."""
    return walks.current_versions()


@router.get("/audits/walks", response=list[WalkOut])
@paginate
def list_walks(request: HttpRequest, store: str | None = None) -> QuerySet[FloorWalk]:
    found = FloorWalk.objects.visible_to(api_user(request)).select_related(
        "store", "checklist", "walked_by"
    )
    return found.filter(store__code=store) if store else found


@router.post("/audits/walks", response={201: WalkOut}, auth=may(Capability.RECORD))
def start_walk(request: HttpRequest, payload: WalkIn) -> Status[Any]:
    user = api_user(request)
    store = get_visible_or_404(Store.objects.all(), user, code=payload.store)
    return Status(201, walks.start_walk(user, store, payload.checklist))


def _walk(request: HttpRequest, walk_number: str) -> FloorWalk:
    found = FloorWalk.objects.select_related("store", "checklist", "walked_by")
    return get_visible_or_404(found, api_user(request), number=walk_number)


@router.get("/audits/walks/{walk_number}", response=WalkOut)
def get_walk(request: HttpRequest, walk_number: str) -> FloorWalk:
    return _walk(request, walk_number)


@router.post("/audits/walks/{walk_number}/answers", response=WalkOut, auth=may(Capability.RECORD))
def answer(request: HttpRequest, walk_number: str, payload: AnswerIn) -> FloorWalk:
    walk = _walk(request, walk_number)
    walks.save_answer(api_user(request), walk, payload.item, payload.value, payload.note)
    return walk


@router.post(
    "/audits/walks/{walk_number}/completion", response=WalkOut, auth=may(Capability.RECORD)
)
def complete(request: HttpRequest, walk_number: str, payload: CompletionIn) -> FloorWalk:
    return walks.complete_walk(api_user(request), _walk(request, walk_number), payload.notes)


@router.get("/audits/actions", response=list[ActionOut])
@paginate
def list_actions(
    request: HttpRequest, status: str | None = None, store: str | None = None
) -> QuerySet[CorrectiveAction]:
    found = CorrectiveAction.objects.visible_to(api_user(request)).select_related(
        "store", "walk", "owner"
    )
    if status:
        found = found.filter(status=status)
    return found.filter(store__code=store) if store else found


def _action(request: HttpRequest, action_number: str) -> CorrectiveAction:
    found = CorrectiveAction.objects.select_related("store", "walk", "owner")
    return get_visible_or_404(found, api_user(request), number=action_number)


@router.post("/audits/actions/{action_number}/fix", response=ActionOut, auth=may(Capability.RECORD))
def fix(request: HttpRequest, action_number: str, payload: FixIn) -> CorrectiveAction:
    return actions.mark_fixed(api_user(request), _action(request, action_number), payload.note)


@router.post(
    "/audits/actions/{action_number}/verification", response=ActionOut, auth=may(Capability.RECORD)
)
def verify(request: HttpRequest, action_number: str) -> CorrectiveAction:
    return actions.verify(api_user(request), _action(request, action_number))
