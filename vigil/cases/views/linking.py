"""Linking from the case page: the link box's results (a page without script, the list the
box shows as one types, or JSON), the "Link" buttons, and "New subject" / "New vehicle"
recorded and linked in one step (:mod:`vigil.cases.linking`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil.cases import linking, lookups
from vigil.cases.forms import CaseSubjectForm, CaseVehicleForm
from vigil.cases.models import Case
from vigil.cases.views.common import add_errors
from vigil.core import clock
from vigil.core.pages import signed_in_user
from vigil.core.roles import Capability, can
from vigil.core.writes import writes


@login_required
@require_GET
def link_candidates(request: HttpRequest, case_number: str) -> HttpResponse:
    """What matches the link box's text, among the records the user may see."""
    user = signed_in_user(request)
    case = lookups.case(user, case_number)
    typed = request.GET.get("q", "").strip()
    offers = linking.candidates(user, case, typed)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(_as_json(case, typed, offers))
    context = {
        "case": case,
        "q": typed,
        "offers": offers,
        "min_chars": linking.MIN_CHARS,
        "can_investigate": can(user, Capability.INVESTIGATE),
    }
    if request.headers.get("HX-Request"):
        return render(request, "cases/_link_results.html", context)
    return render(request, "cases/link_candidates.html", context)


def _as_json(case: Case, typed: str, offers: list[linking.Offer]) -> dict[str, Any]:
    return {
        "q": typed,
        "link_url": reverse("cases:link-add", args=[case.number]),
        "groups": [
            {
                "kind": offer.kind,
                "label": offer.label,
                "total": offer.total,
                "items": [
                    {
                        "kind": offer.kind,
                        "ref": found.ref,
                        "title": found.hit.title,
                        "reference": found.hit.reference,
                        "line": found.hit.line,
                        "note": found.hit.note,
                        "store": found.hit.store.code,
                        "at": clock.at_store(found.hit.at, found.hit.store) if found.hit.at else "",
                        "url": found.hit.url,
                        "linked": found.linked,
                    }
                    for found in offer.candidates
                ],
            }
            for offer in offers
        ],
    }


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def link_add(request: HttpRequest, case_number: str) -> HttpResponse:
    """Link the record a "Link" button names (its kind and reference), in the user's scope."""
    user = signed_in_user(request)
    case = lookups.case(user, case_number)
    kind, ref = request.POST.get("kind", ""), request.POST.get("ref", "")
    try:
        messages.success(request, linking.link(user, case, linking.target(user, kind, ref)))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_links_of(case))


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.INVESTIGATE)
def case_subject_new(request: HttpRequest, case_number: str) -> HttpResponse:
    """A new subject, recorded at the case's store and linked to the case."""
    return _create_and_link(request, case_number, CaseSubjectForm, "subject")


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.INVESTIGATE)
def case_vehicle_new(request: HttpRequest, case_number: str) -> HttpResponse:
    """A new vehicle, recorded at the case's store and linked to the case."""
    return _create_and_link(request, case_number, CaseVehicleForm, "vehicle")


def _create_and_link(
    request: HttpRequest, case_number: str, form_class: type[ModelForm[Any]], noun: str
) -> HttpResponse:
    user = signed_in_user(request)
    case = lookups.case(user, case_number)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        record.store = case.store
        try:
            linking.create_and_link(user, case, record)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"{noun.capitalize()} {record} recorded and linked.")
            return redirect(_links_of(case))
    status = 400 if request.method == "POST" else 200
    context = {"case": case, "form": form, "noun": noun}
    return render(request, "cases/case_link_new.html", context, status=status)


def _links_of(case: Case) -> str:
    return reverse("cases:case-detail", args=[case.number]) + "#links"
