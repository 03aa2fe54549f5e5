"""Subject and vehicle pages: BOLO list, descriptions, plates, and what they are linked to."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from vigil.cases import lookups, search
from vigil.cases.forms import SubjectFilterForm, SubjectForm, VehicleFilterForm, VehicleForm
from vigil.cases.models import Incident, Subject, Vehicle
from vigil.cases.tables import SubjectTable, VehicleTable
from vigil.cases.views.common import filters_of, stores_for
from vigil.core.lists import list_page
from vigil.core.pages import signed_in_user
from vigil.core.roles import Capability, can, require
from vigil.core.storeswitch import current_store
from vigil.core.writes import writes


@login_required
@require_GET
def subject_list(request: HttpRequest) -> HttpResponseBase:
    user = signed_in_user(request)
    form = SubjectFilterForm(request.GET)
    chosen = current_store(request)
    filters = filters_of(form)
    found = search.subjects(
        Subject.objects.visible_to(user).select_related("store"),
        store=chosen.code if chosen else None,
        **filters,
    )
    context = {"form": form, "can_record": can(user, Capability.RECORD)}
    return list_page(
        request, SubjectTable, found, "cases/subject_list.html", context, filters=filters
    )


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.RECORD)
def subject_form(request: HttpRequest, subject_id: int | None = None) -> HttpResponse:
    user = signed_in_user(request)
    subject = lookups.subject(user, subject_id) if subject_id else None
    require(user, Capability.RECORD)
    form = SubjectForm(request.POST or None, instance=subject, stores=stores_for(user, request))
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"{saved} saved.")
        return redirect("cases:subject-detail", saved.pk)
    return render(request, "cases/subject_form.html", {"form": form, "subject": subject})


@login_required
@require_GET
def subject_detail(request: HttpRequest, subject_id: int) -> HttpResponse:
    from vigil.evidence.models import EvidenceItem

    user = signed_in_user(request)
    subject = lookups.subject(user, subject_id)
    context = {
        "subject": subject,
        "parties": subject.parties.select_related("incident").filter(
            incident__in=Incident.objects.visible_to(user)
        ),
        "vehicles": subject.vehicles.filter(pk__in=Vehicle.objects.visible_to(user)),
        "photos": EvidenceItem.objects.visible_to(user).filter(
            subject=subject, deleted_at__isnull=True
        ),
        "cases": [link.case for link in subject.case_links.select_related("case")],
        "can_record": can(user, Capability.RECORD),
    }
    return render(request, "cases/subject_detail.html", context)


@login_required
@require_GET
def vehicle_list(request: HttpRequest) -> HttpResponseBase:
    user = signed_in_user(request)
    form = VehicleFilterForm(request.GET)
    filters = filters_of(form)
    chosen = current_store(request)
    found = search.vehicles(
        Vehicle.objects.visible_to(user).select_related("store"),
        store=chosen.code if chosen else None,
        **filters,
    )
    return list_page(
        request, VehicleTable, found, "cases/vehicle_list.html", {"form": form}, filters=filters
    )


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.RECORD)
def vehicle_form(request: HttpRequest, vehicle_id: int | None = None) -> HttpResponse:
    user = signed_in_user(request)
    vehicle = lookups.vehicle(user, vehicle_id) if vehicle_id else None
    require(user, Capability.RECORD)
    form = VehicleForm(request.POST or None, instance=vehicle, stores=stores_for(user, request))
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        if subject_id := request.POST.get("subject"):
            saved.subjects.add(lookups.subject(user, int(subject_id)))
        messages.success(request, f"Vehicle {saved} saved.")
        return redirect("cases:vehicle-detail", saved.pk)
    context = {"form": form, "vehicle": vehicle, "subject": request.GET.get("subject", "")}
    return render(request, "cases/vehicle_form.html", context)


@login_required
@require_GET
def vehicle_detail(request: HttpRequest, vehicle_id: int) -> HttpResponse:
    user = signed_in_user(request)
    vehicle = lookups.vehicle(user, vehicle_id)
    context = {
        "vehicle": vehicle,
        "subjects": vehicle.subjects.filter(pk__in=Subject.objects.visible_to(user)),
        "incidents": vehicle.incidents.filter(pk__in=Incident.objects.visible_to(user)),
        "can_record": can(user, Capability.RECORD),
    }
    return render(request, "cases/vehicle_detail.html", context)
