"""Case pages: list, open, the case file (links, tasks, notes, timeline), edit, close."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil.cases import casework, lookups, reports, search, timeline
from vigil.cases.forms import (
    CaseEditForm,
    CaseFilterForm,
    CaseForm,
    NoteForm,
    TaskForm,
    TaskUpdateForm,
)
from vigil.cases.models import (
    Case,
    CaseLink,
    CaseTask,
    Note,
    Statement,
    TaskStatus,
)
from vigil.cases.tables import CaseTable
from vigil.cases.views.common import (
    add_errors,
    assignable_users,
    filters_of,
    store_time,
    stores_for,
)
from vigil.core import clock
from vigil.core.lists import list_page
from vigil.core.models import User
from vigil.core.pages import signed_in_user
from vigil.core.roles import Capability, can, require
from vigil.core.scoping import get_visible_or_404
from vigil.core.storeswitch import current_store
from vigil.core.writes import writes


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponseBase:
    user = signed_in_user(request)
    form = CaseFilterForm(request.GET)
    filters = filters_of(form)
    query = {key: value for key, value in filters.items() if key not in ("priority", "mine")}
    visible = Case.objects.visible_to(user).select_related("store", "assignee")
    chosen = current_store(request)
    found = search.cases(visible, store=chosen.code if chosen else None, **query)
    if filters.get("priority"):
        found = found.filter(priority=filters["priority"])
    if filters.get("mine"):
        found = found.filter(assignee=user)
    context = {"form": form, "can_investigate": can(user, Capability.INVESTIGATE)}
    return list_page(request, CaseTable, found, "cases/case_list.html", context, filters=filters)


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.INVESTIGATE)
def case_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(user, Capability.INVESTIGATE)
    stores = stores_for(user, request)
    incident = None
    if number := request.GET.get("incident") or request.POST.get("incident"):
        incident = lookups.incident(user, number)
    store = incident.store if incident else stores.first()
    assignees = assignable_users(store) if store else User.objects.none()
    initial: dict[str, Any] = {"assignee": user}
    if incident is not None:
        initial.update(store=incident.store, kind=incident.kind, title=incident.summary)
    form = CaseForm(request.POST or None, stores=stores, assignees=assignees, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = casework.open_case(user, form.cleaned_data, [incident] if incident else [])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Case {case.number} opened.")
            return redirect("cases:case-detail", case.number)
    return render(request, "cases/case_new.html", {"form": form, "incident": incident})


@login_required
@require_GET
def case_detail(request: HttpRequest, case_number: str) -> HttpResponse:
    from vigil.evidence.models import EvidenceItem, EvidencePackage

    user = signed_in_user(request)
    case = lookups.case(user, case_number)
    links = list(case.links.select_related("incident__store", "subject", "vehicle"))
    incident_ids = [link.incident_id for link in links if link.incident_id]
    with store_time(case.store):
        context = {
            "case": case,
            "links": links,
            "hidden_links": _hidden(user, links),
            "tasks": case.tasks.select_related("assignee"),
            "notes": case.notes.prefetch_related("revisions"),
            "timeline": case.timeline.all()[:200],
            "statements": (
                Statement.objects.visible_to(user).filter(case=case)
                | Statement.objects.visible_to(user).filter(incident_id__in=incident_ids)
            )
            .select_related("incident")
            .distinct(),
            "evidence": (
                EvidenceItem.objects.visible_to(user).filter(case=case)
                | EvidenceItem.objects.visible_to(user).filter(incident_id__in=incident_ids)
            )
            .filter(deleted_at__isnull=True)
            .select_related("store")
            .distinct(),
            "packages": EvidencePackage.objects.visible_to(user).filter(case=case),
            "task_form": TaskForm(assignees=assignable_users(case.store), store=case.store),
            "today": clock.today_at(case.store),
            "assignees": list(assignable_users(case.store)),
            "note_form": NoteForm(),
            "missing": case.missing_fields(),
            "can_investigate": can(user, Capability.INVESTIGATE),
            "can_record": can(user, Capability.RECORD),
        }
        return render(request, "cases/case_detail.html", context)


def _hidden(user: User, links: list[CaseLink]) -> int:
    """How many linked items sit in stores this viewer cannot see (named, not shown)."""
    from vigil.core.scoping import scope_of

    scope = scope_of(user)
    stores = [getattr(link.target, "store_id", None) for link in links]
    return sum(1 for store_id in stores if not scope.allows(store_id))


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.INVESTIGATE)
def case_edit(request: HttpRequest, case_number: str) -> HttpResponse:
    user = signed_in_user(request)
    case = lookups.case(user, case_number)
    require(user, Capability.INVESTIGATE)
    form = CaseEditForm(request.POST or None, instance=case, assignees=assignable_users(case.store))
    if request.method == "POST" and form.is_valid():
        changes: dict[str, Any] = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if not name.startswith("detail_") and name != "team"
        }
        changes["details"] = form.detail_values()
        try:
            updated = casework.update_case(user, Case.objects.get(pk=case.pk), changes)
            updated.team.set(form.cleaned_data["team"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Case saved.")
            return redirect("cases:case-detail", case.number)
    return render(request, "cases/case_edit.html", {"form": form, "case": case})


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def case_close(request: HttpRequest, case_number: str) -> HttpResponse:
    user = signed_in_user(request)
    case = lookups.case(user, case_number)
    try:
        casework.close_case(user, case, request.POST.get("outcome", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Case {case.number} closed.")
    return redirect("cases:case-detail", case.number)


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def case_reopen(request: HttpRequest, case_number: str) -> HttpResponse:
    user = signed_in_user(request)
    casework.reopen_case(user, lookups.case(user, case_number))
    messages.success(request, "Case reopened.")
    return redirect("cases:case-detail", case_number)


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def link_remove(request: HttpRequest, case_number: str, link_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = lookups.case(user, case_number)
    found = get_visible_or_404(CaseLink.objects.filter(case=case), user, pk=link_id)
    casework.unlink(user, case, found.target)  # type: ignore[arg-type]
    return redirect("cases:case-detail", case.number)


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def task_add(request: HttpRequest, case_number: str) -> HttpResponse:
    user = signed_in_user(request)
    case = lookups.case(user, case_number)
    form = TaskForm(request.POST, assignees=assignable_users(case.store), store=case.store)
    if form.is_valid():
        casework.add_task(
            user,
            case,
            form.cleaned_data["title"],
            due_on=form.cleaned_data["due_on"],
            assignee=form.cleaned_data["assignee"] or case.assignee,
        )
    else:
        messages.error(request, _form_problems(form))
    return redirect(_tasks_of(case))


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def task_update(request: HttpRequest, task_id: int) -> HttpResponse:
    """Reassign an open task or move its due date."""
    user = signed_in_user(request)
    task = get_visible_or_404(CaseTask.objects.select_related("case__store"), user, pk=task_id)
    form = TaskUpdateForm(
        request.POST, assignees=assignable_users(task.case.store), store=task.case.store
    )
    if form.is_valid():
        casework.update_task(
            user,
            task,
            due_on=form.cleaned_data["due_on"],
            assignee=form.cleaned_data["assignee"] or task.case.assignee,
        )
    else:
        messages.error(request, _form_problems(form))
    return redirect(_tasks_of(task.case))


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def task_status(request: HttpRequest, task_id: int) -> HttpResponse:
    user = signed_in_user(request)
    task = get_visible_or_404(CaseTask.objects.select_related("case"), user, pk=task_id)
    status = request.POST.get("status", TaskStatus.DONE)
    if status in TaskStatus.values:
        casework.set_task_status(user, task, status)
    return redirect(_tasks_of(task.case))


def _tasks_of(case: Case) -> str:
    return reverse("cases:case-detail", args=[case.number]) + "#tasks"


def _form_problems(form: Any) -> str:
    """A form's errors as one message, each named by its field's label."""
    return " ".join(
        f"{form.fields[name].label if name in form.fields else 'Task'}: {' '.join(errors)}"
        for name, errors in form.errors.items()
    )


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def note_add(request: HttpRequest, case_number: str) -> HttpResponse:
    user = signed_in_user(request)
    case = lookups.case(user, case_number)
    form = NoteForm(request.POST)
    if form.is_valid():
        casework.save_note(user, case, form.cleaned_data["body"], title=form.cleaned_data["title"])
    else:
        problems = [str(e) for e in form.errors.get("body", [])] or ["A note needs some text."]
        messages.error(request, " ".join(problems))
    return redirect("cases:case-detail", case.number)


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.INVESTIGATE)
def note_detail(request: HttpRequest, note_id: int) -> HttpResponse:
    """A note's every revision, newest first; saving adds a revision."""
    user = signed_in_user(request)
    note = get_visible_or_404(Note.objects.select_related("case__store"), user, pk=note_id)
    current = note.current
    form = NoteForm(
        request.POST or None, initial={"title": note.title, "body": current.body if current else ""}
    )
    if request.method == "POST" and form.is_valid():
        casework.save_note(user, note.case, form.cleaned_data["body"], note=note)
        messages.success(request, "Saved as a new revision; earlier ones are kept.")
        return redirect("cases:note-detail", note.pk)
    with store_time(note.case.store):
        context = {"note": note, "form": form, "revisions": note.revisions.select_related("author")}
        return render(request, "cases/note_detail.html", context)


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def timeline_add(request: HttpRequest, case_number: str) -> HttpResponse:
    user = signed_in_user(request)
    case = lookups.case(user, case_number)
    require(user, Capability.INVESTIGATE)
    text = request.POST.get("text", "").strip()
    if text:
        timeline.add_entry(case, text)
    return redirect("cases:case-detail", case.number)


@login_required
@require_GET
def case_report(request: HttpRequest, case_number: str) -> HttpResponse:
    user = signed_in_user(request)
    case = lookups.case(user, case_number)
    response = HttpResponse(reports.case_report(case, user), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.number}.pdf"'
    return response
