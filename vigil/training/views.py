"""Training pages: the store's compliance and assignments, assigning by role, a module with
its quiz (phone-sized), results and the completion certificate."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil.core.models import EmployeeRole, Store
from vigil.core.pages import signed_in_user
from vigil.core.pdf import render_pdf
from vigil.core.roles import Capability, can
from vigil.core.scoping import get_visible_or_404
from vigil.core.storeswitch import in_current_store
from vigil.core.writes import writes
from vigil.training import courses
from vigil.training.models import Assignment, Module


def _assignments(request: HttpRequest) -> QuerySet[Assignment]:
    user = signed_in_user(request)
    found = Assignment.objects.visible_to(user).select_related("store", "person", "module")
    return in_current_store(request, found)


def _as_at(request: HttpRequest) -> dt.date:
    """The day ``?as_at=YYYY-MM-DD`` names (not after today), or today."""
    text = request.GET.get("as_at", "")
    today = timezone.localdate()
    if not text:
        return today
    try:
        return min(dt.date.fromisoformat(text), today)
    except ValueError:
        raise Http404("Give the day as YYYY-MM-DD.") from None


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Completion, and compliance per store and module, as at a day (today, or the one a
    monthly summary was read at); what is open (overdue first), and the assign form."""
    user = signed_in_user(request)
    found = _assignments(request)
    as_at = _as_at(request)
    mine = (
        Assignment.objects.filter(person_id=user.person_id, completed_at__isnull=True)
        if user.person_id is not None
        else Assignment.objects.none()
    )
    return render(
        request,
        "training/overview.html",
        {
            "completion": courses.completion(found, as_at),
            "compliance": courses.compliance(found, as_at),
            "as_at": as_at,
            "open": found.filter(completed_at__isnull=True).order_by("due_on")[:100],
            "mine": mine.select_related("module"),
            "modules": courses.current_modules(),
            "roles": EmployeeRole.choices,
            "stores": Store.objects.visible_to(user).order_by("code"),
            "today": timezone.localdate(),
            "default_due": timezone.localdate() + dt.timedelta(days=14),
            "can_record": can(user, Capability.RECORD),
        },
    )


@login_required
@require_POST
@writes(Capability.RECORD)
def assign(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    module = Module.objects.filter(pk=request.POST.get("module") or 0).first()
    if module is None:
        raise Http404("No such module.")
    codes = request.POST.getlist("stores")
    stores = list(Store.objects.visible_to(user).filter(code__in=codes))
    try:
        due_on = dt.date.fromisoformat(request.POST.get("due_on", ""))
        made = courses.assign(user, module, stores, request.POST.getlist("roles"), due_on)
    except ValueError:
        messages.error(request, "Give a due date.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{module.title}: {len(made)} associate(s) assigned.")
    return redirect("training:overview")


def _assignment(request: HttpRequest, assignment_id: int) -> Assignment:
    found = Assignment.objects.select_related("store", "person", "module")
    assignment = get_visible_or_404(found, signed_in_user(request), pk=assignment_id)
    return assignment


@login_required
@require_http_methods(["GET", "POST"])
def assignment_detail(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """The module to read, then its quiz; POST is an attempt."""
    assignment = _assignment(request, assignment_id)
    user = signed_in_user(request)
    if not courses.may_take(user, assignment):
        raise PermissionDenied("Only the associate, or someone recording for their store.")
    questions = courses.questions_of(assignment.module)
    if request.method == "POST":
        answers = []
        for index in range(len(questions)):
            raw = request.POST.get(f"q{index}", "")
            answers.append(int(raw) if raw.isdigit() else None)
        try:
            attempt = courses.take_quiz(user, assignment, answers)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if attempt.passed:
                messages.success(request, f"Passed with {attempt.score}%.")
            else:
                messages.error(
                    request,
                    f"{attempt.score}%: the pass mark is {assignment.module.pass_mark}%. "
                    "Read the module again and retake the quiz.",
                )
        return redirect("training:assignment-detail", assignment.pk)
    return render(
        request,
        "training/assignment.html",
        {
            "assignment": assignment,
            "html": courses.html_of(assignment.module),
            "questions": questions,
            "attempts": assignment.attempts.select_related("recorded_by"),
        },
    )


@login_required
@require_GET
def certificate(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = _assignment(request, assignment_id)
    if assignment.completed_at is None:
        raise Http404("The certificate comes with a pass.")
    pdf = render_pdf(
        "training/report/certificate.html", {"assignment": assignment}, assignment.store
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"certificate-{assignment.module.key}-{assignment.person.employee_id}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
