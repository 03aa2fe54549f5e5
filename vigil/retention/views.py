"""Retention pages: the administrators' policy page, and placing and releasing legal holds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from vigil.cases import lookups
from vigil.cases.models import Case, Incident, Subject
from vigil.core.pages import signed_in_user
from vigil.core.roles import Capability
from vigil.core.scoping import get_visible_or_404
from vigil.core.writes import writes
from vigil.retention import holds, policies, purge
from vigil.retention.forms import HoldForm, PolicyForm, ReleaseForm
from vigil.retention.models import LegalHold, RetentionRun


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.MANAGE_ORGANISATION)
def overview(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not policies.may_set(user):
        raise PermissionDenied("Only an administrator may set retention.")
    form = PolicyForm(request.POST or None, current=policies.periods())
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for kind, days in form.cleaned_data.items():
                if days != policies.periods()[kind]:
                    policies.set_period(user, kind, days)
        messages.success(request, "Retention periods saved.")
        return redirect("retention:overview")
    last_run = RetentionRun.objects.exclude(finished_at=None).first()
    context = {
        "form": form,
        "rules": [(rule, form[kind]) for kind, rule in policies.RULES.items()],
        "preview": purge.plan(),
        "last_run": last_run,
        "last_run_summary": purge.describe_counts(last_run.purged) if last_run else "",
        "holds": LegalHold.objects.visible_to(user).in_force().select_related("store", "placed_by"),
    }
    return render(request, "retention/overview.html", context)


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def hold_new(
    request: HttpRequest,
    case_number: str = "",
    incident_number: str = "",
    subject_id: int | None = None,
) -> HttpResponse:
    user = signed_in_user(request)
    record: Case | Incident | Subject
    if case_number:
        record = lookups.case(user, case_number)
    elif incident_number:
        record = lookups.incident(user, incident_number)
    elif subject_id is not None:
        record = lookups.subject(user, subject_id)
    else:
        raise Http404("No such record.")
    form = HoldForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return _back_to(record)
    try:
        holds.place(
            user, record, reason=form.cleaned_data["reason"], until=form.cleaned_data["until"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Legal hold placed: nothing it keeps will be purged.")
    return _back_to(record)


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def hold_release(request: HttpRequest, hold_id: int) -> HttpResponse:
    user = signed_in_user(request)
    hold = get_visible_or_404(LegalHold.objects.all(), user, pk=hold_id)
    record = hold.case or hold.incident or hold.subject
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
    else:
        try:
            holds.release(user, hold, reason=form.cleaned_data["release_reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Legal hold on {hold.reference} released.")
    return _back_to(record) if record is not None else redirect("retention:overview")


def _back_to(record: Case | Incident | Subject) -> HttpResponse:
    if isinstance(record, Case):
        return redirect("cases:case-detail", record.number)
    if isinstance(record, Incident):
        return redirect("cases:incident-detail", record.number)
    return redirect("cases:subject-detail", record.pk)


def _errors(form: HoldForm | ReleaseForm) -> str:
    return " ".join(
        f"{form.fields[name].label or name}: {' '.join(str(error) for error in errors)}"
        for name, errors in form.errors.items()
    )
