"""Court and civil recovery pages of a case: hearings, the outcome, the testimony pack, civil
demands with their letters and payments. Lookups come first (404 outside the user's
stores), then the capability, then the form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil.cases import civil, court, lookups
from vigil.cases.court_forms import (
    DemandForm,
    HearingEditForm,
    HearingForm,
    OutcomeForm,
    PaymentForm,
)
from vigil.cases.models import Case, CivilDemand, CivilLetter, CourtOutcome, Hearing
from vigil.cases.views.common import add_errors, assignable_users, store_time
from vigil.core.pages import signed_in_user
from vigil.core.roles import Capability, can, require
from vigil.core.scoping import get_visible_or_404
from vigil.core.writes import writes


def _court_of(case: Case) -> str:
    return reverse("cases:case-detail", args=[case.number]) + "#court"


def _pdf(content: bytes, filename: str, disposition: str = "inline") -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.INVESTIGATE)
def hearing_new(request: HttpRequest, case_number: str) -> HttpResponse:
    user = signed_in_user(request)
    case = lookups.case(user, case_number)
    require(user, Capability.INVESTIGATE)
    attendees = assignable_users(case.store)
    with store_time(case.store):
        form = HearingForm(request.POST or None, attendees=attendees)
        if request.method == "POST" and form.is_valid():
            try:
                court.schedule_hearing(user, case, form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "Court date added.")
                return redirect(_court_of(case))
        context = {"case": case, "form": form, "hearing": None, "can_investigate": True}
        return render(request, "cases/court_hearing.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.INVESTIGATE)
def hearing_detail(request: HttpRequest, hearing_id: int) -> HttpResponse:
    user = signed_in_user(request)
    found = Hearing.objects.select_related("case__store", "attendee")
    hearing = get_visible_or_404(found, user, pk=hearing_id)
    case = hearing.case
    with store_time(case.store):
        form = HearingEditForm(
            request.POST or None, instance=hearing, attendees=assignable_users(case.store)
        )
        if request.method == "POST":
            require(user, Capability.INVESTIGATE)
            if form.is_valid():
                changes = {name: form.cleaned_data[name] for name in form.changed_data}
                try:
                    court.update_hearing(user, Hearing.objects.get(pk=hearing.pk), changes)
                except ValidationError as error:
                    add_errors(form, error)
                else:
                    messages.success(request, "Court date saved.")
                    return redirect(_court_of(case))
        context = {
            "case": case,
            "form": form,
            "hearing": hearing,
            "can_investigate": can(user, Capability.INVESTIGATE),
        }
        return render(request, "cases/court_hearing.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.INVESTIGATE)
def outcome_edit(request: HttpRequest, case_number: str) -> HttpResponse:
    user = signed_in_user(request)
    case = lookups.case(user, case_number)
    require(user, Capability.INVESTIGATE)
    current = CourtOutcome.objects.filter(case=case).first()
    form = OutcomeForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in OutcomeForm.Meta.fields}
        try:
            court.record_outcome(user, case, fields)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Court outcome saved.")
            return redirect(_court_of(case))
    return render(request, "cases/court_outcome.html", {"case": case, "form": form})


@login_required
@require_GET
def testimony_pack(request: HttpRequest, case_number: str) -> HttpResponse:
    user = signed_in_user(request)
    case = lookups.case(user, case_number)
    pdf = court.testimony_pack(user, case)
    return _pdf(pdf, f"{case.number}-testimony-pack.pdf", "attachment")


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.INVESTIGATE)
def demand_new(request: HttpRequest, case_number: str) -> HttpResponse:
    user = signed_in_user(request)
    case = lookups.case(user, case_number)
    require(user, Capability.INVESTIGATE)
    form = DemandForm(request.POST or None, initial=civil.suggested_values(case))
    if request.method == "POST" and form.is_valid():
        try:
            demand = civil.make_demand(user, case, form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Civil demand of {demand.amount:,.2f} made.")
            return redirect("cases:civil-demand-detail", demand.pk)
    context = {"case": case, "form": form, "statutes": civil.statutes(), "book": civil.book()}
    return render(request, "cases/civil_demand_new.html", context)


def _demand(user: Any, demand_id: int) -> CivilDemand:
    found = CivilDemand.objects.select_related("case__store", "created_by")
    return get_visible_or_404(found, user, pk=demand_id)


def _demand_page(
    request: HttpRequest, demand: CivilDemand, payment_form: PaymentForm | None = None
) -> HttpResponse:
    user = signed_in_user(request)
    with store_time(demand.case.store):
        context = {
            "demand": demand,
            "case": demand.case,
            "statute": civil.statute(demand.state),
            "letters": demand.letters.select_related("sent_by").defer("pdf"),
            "payments": demand.payments.select_related("recorded_by"),
            "paid": civil.paid(demand),
            "outstanding": civil.outstanding(demand),
            "payment_form": payment_form or PaymentForm(),
            "can_investigate": can(user, Capability.INVESTIGATE),
        }
        return render(request, "cases/civil_demand.html", context)


@login_required
@require_GET
def demand_detail(request: HttpRequest, demand_id: int) -> HttpResponse:
    return _demand_page(request, _demand(signed_in_user(request), demand_id))


@login_required
@require_GET
def letter_draft(request: HttpRequest, demand_id: int) -> HttpResponse:
    """The letter as it would read if sent today, marked as a draft."""
    demand = _demand(signed_in_user(request), demand_id)
    return _pdf(civil.letter_pdf(demand), f"{demand.case.number}-civil-demand-draft.pdf")


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def letter_send(request: HttpRequest, demand_id: int) -> HttpResponse:
    user = signed_in_user(request)
    demand = _demand(user, demand_id)
    try:
        letter = civil.send_letter(user, demand)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Letter {letter.number} recorded as sent; print or e-mail it.")
    return redirect("cases:civil-demand-detail", demand.pk)


@login_required
@require_GET
def letter_pdf(request: HttpRequest, letter_id: int) -> HttpResponse:
    """A letter exactly as it was sent (its SHA-256 is on the demand's page)."""
    found = CivilLetter.objects.select_related("demand__case")
    letter = get_visible_or_404(found, signed_in_user(request), pk=letter_id)
    name = f"{letter.demand.case.number}-civil-demand-{letter.number}.pdf"
    return _pdf(bytes(letter.pdf), name)


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def payment_add(request: HttpRequest, demand_id: int) -> HttpResponse:
    user = signed_in_user(request)
    demand = _demand(user, demand_id)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            civil.record_payment(user, demand, form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Payment recorded.")
            return redirect("cases:civil-demand-detail", demand.pk)
    return _demand_page(request, demand, form)
