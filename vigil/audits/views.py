"""Floor-walk pages, phone first: what is due, the walk itself (answers saved as you go,
photos from the phone's camera), its result and PDF, corrective actions, and history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil.audits import actions, walks
from vigil.audits.models import ActionStatus, CorrectiveAction, FloorWalk, Schedule, WalkStatus
from vigil.audits.photos import photo_response, receive_photo
from vigil.audits.reports import walk_pdf
from vigil.audits.tables import (
    OPEN,
    ActionFilterForm,
    ActionTable,
    WalkFilterForm,
    WalkTable,
    filtered_actions,
    filtered_walks,
)
from vigil.cases.views.common import filters_of
from vigil.core.blobs import BlobRefused
from vigil.core.limits import NOTE_CHARS
from vigil.core.lists import list_page
from vigil.core.models import Store
from vigil.core.pages import signed_in_user
from vigil.core.roles import Capability, can
from vigil.core.scoping import get_visible_or_404
from vigil.core.storeswitch import in_current_store
from vigil.core.writes import writes

RECENT_WALKS = 5  # on the floor-walk page; the walk list has the rest


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    """What is due and overdue, a walk to start, recent walks and open actions."""
    user = signed_in_user(request)
    schedules = in_current_store(request, Schedule.objects.visible_to(user))
    recent = in_current_store(request, FloorWalk.objects.visible_to(user)).select_related(
        "store", "checklist", "walked_by"
    )
    open_actions = in_current_store(request, CorrectiveAction.objects.visible_to(user)).exclude(
        status=ActionStatus.VERIFIED
    )
    # The newest walks as the walk list shows them, without its sorting: the list sorts.
    walk_table = WalkTable(recent.order_by("-started_at", "-pk")[:RECENT_WALKS], orderable=False)
    states = walks.due_states(schedules)
    return render(
        request,
        "audits/audit_list.html",
        {
            # What needs walking comes first; schedules walked in time fold away beneath.
            "due": [state for state in states if state.state != "ok"],
            "up_to_date": [state for state in states if state.state == "ok"],
            "checklists": walks.current_versions(),
            "stores": Store.objects.visible_to(user).order_by("code"),
            "table": walk_table,
            "open_actions": open_actions.count(),
            "overdue_actions": actions.overdue(open_actions).count(),
            "can_record": can(user, Capability.RECORD),
        },
    )


@login_required
@require_GET
def walk_list(request: HttpRequest) -> HttpResponseBase:
    """Every walk in scope: by checklist, result and day; sorted, exported, saved as views."""
    user = signed_in_user(request)
    form = WalkFilterForm(request.GET)
    filters = filters_of(form)
    found = in_current_store(request, FloorWalk.objects.visible_to(user)).select_related(
        "store", "checklist", "walked_by"
    )
    return list_page(
        request,
        WalkTable,
        filtered_walks(found, filters),
        "audits/walk_list.html",
        {"form": form, "can_record": can(user, Capability.RECORD)},
        filters=filters,
    )


@login_required
@require_POST
@writes(Capability.RECORD)
def walk_start(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    store = get_visible_or_404(Store.objects.all(), user, code=request.POST.get("store", ""))
    try:
        walk = walks.start_walk(user, store, request.POST.get("checklist", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("audits:audit-list")
    return redirect("audits:walk-detail", walk.number)


@login_required
@require_POST
@writes(Capability.RECORD)
def schedule_defaults(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    store = get_visible_or_404(Store.objects.all(), user, code=request.POST.get("store", ""))
    added = walks.schedule_defaults(user, store)
    messages.success(request, f"{added} checklist schedule(s) set up for {store.code}.")
    return redirect("audits:audit-list")


def _walk(request: HttpRequest, walk_number: str) -> FloorWalk:
    found = FloorWalk.objects.select_related("store", "checklist", "walked_by")
    return get_visible_or_404(found, signed_in_user(request), number=walk_number)


@login_required
@require_GET
def walk_detail(request: HttpRequest, walk_number: str) -> HttpResponse:
    return _walk_page(request, _walk(request, walk_number))


def _walk_page(
    request: HttpRequest,
    walk: FloorWalk,
    errors: dict[str, list[str]] | None = None,
    notes: str = "",
) -> HttpResponse:
    """The walk; after a refused completion, each item's error on the item itself."""
    checklist = walks.checklist_of(walk.checklist)
    return render(
        request,
        "audits/walk_detail.html",
        {
            "walk": walk,
            "checklist": checklist,
            "sections": walks.results(walk),
            "actions": walk.actions.all() if walk.status == WalkStatus.COMPLETED else [],
            "editable": walk.status == WalkStatus.DRAFT
            and can(signed_in_user(request), Capability.RECORD),
            "item_errors": errors or {},
            "notes": notes,
            "notes_limit": NOTE_CHARS,
        },
    )


@login_required
@require_POST
@writes(Capability.RECORD)
def walk_answer(request: HttpRequest, walk_number: str) -> JsonResponse:
    """One answer, sent by the page as soon as it is given (JSON back, for the page)."""
    walk = _walk(request, walk_number)
    try:
        answer = walks.save_answer(
            signed_in_user(request),
            walk,
            request.POST.get("item", ""),
            request.POST.get("value", ""),
            request.POST.get("note", ""),
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=422)
    return JsonResponse({"item": answer.item_key, "value": answer.value, "saved": True})


@login_required
@writes(Capability.RECORD)
def walk_photo(request: HttpRequest, walk_number: str, item_key: str) -> HttpResponseBase:
    """GET: the item's photo. POST: a photo from the phone (the raw request body)."""
    walk = _walk(request, walk_number)
    if request.method == "GET":
        answer = walk.answers.filter(item_key=item_key).exclude(photo_sha256="").first()
        if answer is None:
            raise Http404("No photo for this item.")
        return photo_response(answer.photo_sha256)
    if request.method != "POST":
        return HttpResponse(status=405)
    try:
        sha256 = receive_photo(request)
        walks.attach_photo(signed_in_user(request), walk, item_key, sha256)
    except BlobRefused as refused:
        return JsonResponse({"error": str(refused)}, status=refused.status)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=422)
    return JsonResponse({"item": item_key, "photo": sha256})


@login_required
@require_POST
@writes(Capability.RECORD)
def walk_complete(request: HttpRequest, walk_number: str) -> HttpResponse:
    """Save any answers sent with the form (the page works without JavaScript too), then
    score the walk and raise its corrective actions."""
    walk = _walk(request, walk_number)
    user = signed_in_user(request)
    try:
        checklist = walks.checklist_of(walk.checklist)
        for item in checklist.items():
            value = request.POST.get(f"answer-{item.key}")
            if value is not None and value != "":
                note = request.POST.get(f"note-{item.key}", "")
                walks.save_answer(user, walk, item.key, value, note)
        walks.complete_walk(user, walk, request.POST.get("notes", ""))
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            messages.error(request, " ".join(error.messages))
            return redirect("audits:walk-detail", walk.number)
        # The walk again, each missing item marked where the officer sees it; the answers
        # sent are kept, the walk stays a draft and raises nothing.
        errors = dict(error.message_dict)
        for summary in errors.pop(NON_FIELD_ERRORS, []):
            messages.error(request, summary)
        walk.refresh_from_db()
        return _walk_page(request, walk, errors, request.POST.get("notes", ""))
    raised = walk.actions.count()
    verdict = "passed" if walk.passed else "failed"
    messages.success(
        request,
        f"{walk.number} {verdict} with {walk.score}%; {raised} corrective action(s) raised.",
    )
    return redirect("audits:walk-detail", walk.number)


@login_required
@require_GET
def walk_report(request: HttpRequest, walk_number: str) -> HttpResponse:
    walk = _walk(request, walk_number)
    if walk.status != WalkStatus.COMPLETED:
        raise Http404("The report is made once the walk is completed.")
    response = HttpResponse(walk_pdf(walk), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{walk.number}.pdf"'
    return response


# --- corrective actions ---------------------------------------------------------------


@login_required
@require_GET
def action_list(request: HttpRequest) -> HttpResponseBase:
    """What must be fixed, soonest due first; open ones unless another status is chosen."""
    user = signed_in_user(request)
    form = ActionFilterForm(request.GET)
    filters = filters_of(form)
    found = in_current_store(request, CorrectiveAction.objects.visible_to(user)).select_related(
        "store", "owner", "walk", "hazard"
    )
    return list_page(
        request,
        ActionTable,
        filtered_actions(found, filters, user),
        "audits/action_list.html",
        {"form": form, "status": filters.get("status", OPEN)},
        filters=filters,
    )


def _action(request: HttpRequest, action_number: str) -> CorrectiveAction:
    found = CorrectiveAction.objects.select_related("store", "owner", "walk", "verified_by")
    return get_visible_or_404(found, signed_in_user(request), number=action_number)


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.RECORD)
def action_detail(request: HttpRequest, action_number: str) -> HttpResponse:
    action = _action(request, action_number)
    user = signed_in_user(request)
    if request.method == "POST":
        try:
            if request.POST.get("do") == "verify":
                actions.verify(user, action)
                messages.success(request, f"{action.number} verified.")
            else:
                actions.mark_fixed(user, action, request.POST.get("note", ""))
                messages.success(request, f"{action.number} marked fixed; someone else verifies.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("audits:action-detail", action.number)
    return render(
        request,
        "audits/action_detail.html",
        {"action": action, "can_record": can(user, Capability.RECORD)},
    )


@login_required
def action_photo(request: HttpRequest, action_number: str, which: str) -> HttpResponseBase:
    """GET the finding's or the fix's photo; POST the fix's photo (raw request body)."""
    action = _action(request, action_number)
    if which not in ("finding", "fix"):
        raise Http404("No such photo.")
    if request.method == "GET":
        sha256 = action.finding_photo_sha256 if which == "finding" else action.fix_photo_sha256
        if not sha256:
            raise Http404("No photo yet.")
        return photo_response(sha256)
    if request.method != "POST" or which != "fix":
        return HttpResponse(status=405)
    try:
        actions.attach_fix_photo(signed_in_user(request), action, receive_photo(request))
    except BlobRefused as refused:
        return JsonResponse({"error": str(refused)}, status=refused.status)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=422)
    return JsonResponse({"photo": action.fix_photo_sha256})


# --- history ----------------------------------------------------------------------------


@login_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    """Scores over time per store and checklist, as small charts readable without colour."""
    user = signed_in_user(request)
    found = in_current_store(request, FloorWalk.objects.visible_to(user)).filter(
        status=WalkStatus.COMPLETED
    )
    key = request.GET.get("checklist", "")
    if key:
        found = found.filter(checklist__key=key)
    series: dict[tuple[str, str], list[FloorWalk]] = {}
    for walk in found.select_related("store", "checklist").order_by("completed_at"):
        series.setdefault((walk.store.code, walk.checklist.title), []).append(walk)
    charts = [
        {"store": store, "title": title, "walks": rows[-30:], "points": _points(rows[-30:])}
        for (store, title), rows in sorted(series.items())
    ]
    return render(
        request,
        "audits/history.html",
        {"charts": charts, "checklists": walks.current_versions(), "chosen": key},
    )


def _points(rows: list[FloorWalk]) -> str:
    """SVG polyline points for scores 0-100 in a 300x100 box."""
    if len(rows) == 1:
        return f"0,{100 - float(rows[0].score or 0):.1f} 300,{100 - float(rows[0].score or 0):.1f}"
    step = 300 / max(1, len(rows) - 1)
    return " ".join(f"{i * step:.1f},{100 - float(w.score or 0):.1f}" for i, w in enumerate(rows))
