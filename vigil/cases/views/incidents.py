"""Incident pages: the phone capture form, the list, the incident with everything attached."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil.cases import filing, lookups, narrative, reports, search, stops
from vigil.cases.forms import (
    IncidentCaptureForm,
    IncidentFilterForm,
    IncidentForm,
    ObservationForm,
    PartyForm,
    StopForm,
)
from vigil.cases.models import Incident, StopElement, StopRecord, Subject
from vigil.cases.tables import IncidentTable
from vigil.cases.views.common import add_errors, filters_of, store_from_post, store_time, stores_for
from vigil.core.lists import list_page
from vigil.core.pages import signed_in_user
from vigil.core.roles import Capability, can, require
from vigil.core.scoping import get_visible_or_404
from vigil.core.storeswitch import current_store
from vigil.core.writes import writes


@login_required
@require_GET
def incident_list(request: HttpRequest) -> HttpResponseBase:
    user = signed_in_user(request)
    form = IncidentFilterForm(request.GET)
    visible = Incident.objects.visible_to(user).select_related("store", "reported_by")
    chosen = current_store(request)
    store = chosen.code if chosen else None
    filters = filters_of(form)
    found = search.incidents(visible, store=store, **filters)
    return list_page(
        request, IncidentTable, found, "cases/incident_list.html", {"form": form}, filters=filters
    )


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.RECORD)
def incident_new(request: HttpRequest) -> HttpResponse:
    """The phone capture form: store, type, one line, when, where, value. Nothing more."""
    user = signed_in_user(request)
    require(user, Capability.RECORD)
    stores = stores_for(user, request)
    store = store_from_post(request, stores) if request.method == "POST" else stores.first()
    with store_time(store):
        form = IncidentCaptureForm(request.POST or None, stores=stores)
        if request.method == "POST" and form.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items() if k != "store" and v is not None}
            try:
                incident = filing.file_incident(user, form.cleaned_data["store"], fields)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, f"Incident {incident.number} filed. Add details below.")
                return redirect("cases:incident-detail", incident.number)
    return render(request, "cases/incident_new.html", {"form": form})


@login_required
@require_GET
def incident_detail(request: HttpRequest, incident_number: str) -> HttpResponse:
    from vigil.evidence.models import EvidenceItem

    user = signed_in_user(request)
    incident = lookups.incident(user, incident_number)
    subjects = Subject.objects.visible_to(user).filter(store=incident.store)
    with store_time(incident.store):
        context = {
            "incident": incident,
            "parties": incident.parties.select_related("subject", "person"),
            "stops": incident.stop_records.prefetch_related("observations"),
            "statements": incident.statements.all(),
            "evidence": EvidenceItem.objects.filter(
                incident=incident, deleted_at__isnull=True
            ).select_related("store"),
            "cases": [link.case for link in incident.case_links.select_related("case")],
            "vehicles": incident.vehicles.all(),
            "party_form": PartyForm(subjects=subjects),
            "can_record": can(user, Capability.RECORD),
            "can_investigate": can(user, Capability.INVESTIGATE),
            "findings": narrative.check(incident.narrative, narrative.terms_for()),
        }
        return render(request, "cases/incident_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.RECORD)
def incident_edit(request: HttpRequest, incident_number: str) -> HttpResponse:
    user = signed_in_user(request)
    incident = lookups.incident(user, incident_number)
    require(user, Capability.RECORD)
    with store_time(incident.store):
        form = IncidentForm(request.POST or None, instance=incident)
        if request.method == "POST" and form.is_valid():
            try:
                filing.update_incident(user, incident, _changed(form))
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "Incident saved.")
                return redirect("cases:incident-detail", incident.number)
        findings = narrative.check(form["narrative"].value() or "", narrative.terms_for())
        context = {"form": form, "incident": incident, "findings": findings}
        return render(request, "cases/incident_edit.html", context)


def _changed(form: IncidentForm) -> dict[str, object]:
    return {name: form.cleaned_data[name] for name in form.changed_data}


@login_required
@require_POST
def narrative_check(request: HttpRequest) -> HttpResponse:
    """htmx: the findings for the narrative being typed, as a small list."""
    text = request.POST.get("narrative", "")
    findings = narrative.check(text, narrative.terms_for())
    return render(request, "cases/_narrative_findings.html", {"findings": findings})


@login_required
@require_POST
@writes(Capability.RECORD)
def party_add(request: HttpRequest, incident_number: str) -> HttpResponse:
    user = signed_in_user(request)
    incident = lookups.incident(user, incident_number)
    subjects = Subject.objects.visible_to(user).filter(store=incident.store)
    form = PartyForm(request.POST, subjects=subjects)
    if form.is_valid():
        try:
            filing.add_party(
                user,
                incident,
                form.cleaned_data["role"],
                subject=form.cleaned_data["subject"],
                name=form.cleaned_data["name"],
                contact=form.cleaned_data["contact"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, "Choose a role and name the person or pick a subject.")
    return redirect("cases:incident-detail", incident.number)


@login_required
@require_GET
def incident_report(request: HttpRequest, incident_number: str) -> HttpResponse:
    incident = lookups.incident(signed_in_user(request), incident_number)
    response = HttpResponse(reports.incident_report(incident), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{incident.number}.pdf"'
    return response


# --- stops ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.RECORD)
def stop_new(request: HttpRequest, incident_number: str) -> HttpResponse:
    user = signed_in_user(request)
    incident = lookups.incident(user, incident_number)
    require(user, Capability.RECORD)
    subjects = Subject.objects.visible_to(user).filter(store=incident.store)
    with store_time(incident.store):
        form = StopForm(request.POST or None, subjects=subjects)
        if request.method == "POST" and form.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            try:
                stop = stops.record_stop(user, incident, fields)
            except ValidationError as error:
                add_errors(form, error)
            else:
                return redirect("cases:stop-detail", stop.pk)
        return render(request, "cases/stop_new.html", {"form": form, "incident": incident})


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.RECORD)
def stop_detail(request: HttpRequest, stop_id: int) -> HttpResponse:
    user = signed_in_user(request)
    found = StopRecord.objects.select_related("incident__store", "subject")
    stop = get_visible_or_404(found, user, pk=stop_id)
    with store_time(stop.incident.store):
        if request.method == "POST":
            _observe(request, stop)
            return redirect("cases:stop-detail", stop.pk)
        rows = [
            (obs, ObservationForm(prefix=obs.element, initial=_initial(obs)))
            for obs in stop.observations.all()
        ]
        context = {"stop": stop, "rows": rows, "warnings": stop.warnings()}
        return render(request, "cases/stop_detail.html", context)


def _initial(obs: object) -> dict[str, object]:
    return {
        "status": getattr(obs, "status", ""),
        "observed_by": getattr(obs, "observed_by", ""),
        "observed_at": getattr(obs, "observed_at", None),
        "notes": getattr(obs, "notes", ""),
    }


def _observe(request: HttpRequest, stop: StopRecord) -> None:
    element = request.POST.get("element", "")
    if element not in StopElement.values:
        messages.error(request, "Unknown stop element.")
        return
    form = ObservationForm(request.POST, prefix=element)
    if not form.is_valid():
        messages.error(request, "Choose observed, not observed or not applicable.")
        return
    values = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    try:
        stops.observe(signed_in_user(request), stop, element, values)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{StopElement(element).label}: saved.")
