"""Emergency pages, phone first: start a playbook, the live timeline (refreshed every few
seconds for everyone watching), responders and headcount, the end, the review, the PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil.audits.photos import photo_response, receive_photo
from vigil.cases.views.common import filters_of
from vigil.core.blobs import BlobRefused
from vigil.core.limits import NOTE_CHARS
from vigil.core.lists import list_page
from vigil.core.models import Store
from vigil.core.pages import signed_in_user
from vigil.core.pdf import render_pdf
from vigil.core.roles import Capability, can
from vigil.core.scoping import get_visible_or_404
from vigil.core.storeswitch import in_current_store
from vigil.core.writes import writes
from vigil.safety import emergencies, hazards, playbooks
from vigil.safety.models import Emergency, EmergencyStatus, Hazard, Severity
from vigil.safety.tables import HazardFilterForm, HazardTable, filtered_hazards

TIMELINE_SECONDS = 3


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    found = in_current_store(
        request, Emergency.objects.visible_to(user).select_related("store", "incident")
    )
    return render(
        request,
        "safety/overview.html",
        {
            "active": found.filter(status=EmergencyStatus.ACTIVE),
            "recent": found.filter(status=EmergencyStatus.ENDED)[:20],
            "playbooks": playbooks.all_playbooks().values(),
            "stores": Store.objects.visible_to(user).order_by("code"),
            "can_record": can(user, Capability.RECORD),
        },
    )


@login_required
@require_POST
@writes(Capability.RECORD)
def start(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    store = get_visible_or_404(Store.objects.all(), user, code=request.POST.get("store", ""))
    try:
        emergency = emergencies.start(
            user, store, request.POST.get("playbook", ""), request.POST.get("where", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("safety:overview")
    return redirect("safety:emergency-detail", emergency.number)


def _emergency(request: HttpRequest, emergency_number: str) -> Emergency:
    found = Emergency.objects.select_related("store", "incident", "started_by")
    return get_visible_or_404(found, signed_in_user(request), number=emergency_number)


def _context(
    request: HttpRequest, emergency: Emergency, errors: dict[str, list[str]] | None = None
) -> dict[str, object]:
    return {
        "emergency": emergency,
        "playbook": playbooks.get(emergency.playbook_key),
        "steps": emergencies.steps_with_state(emergency),
        "still_open": emergencies.still_open(emergency),
        "errors": errors or {},
        "review_limit": NOTE_CHARS,
        "timeline": emergency.timeline.select_related("by"),
        "responders": emergency.responders.all(),
        "can_record": can(signed_in_user(request), Capability.RECORD),
        "refresh_seconds": TIMELINE_SECONDS,
    }


@login_required
@require_GET
def emergency_detail(request: HttpRequest, emergency_number: str) -> HttpResponse:
    emergency = _emergency(request, emergency_number)
    template = "safety/_live.html" if request.headers.get("HX-Request") else None
    return render(request, template or "safety/emergency.html", _context(request, emergency))


@login_required
@require_POST
@writes(Capability.RECORD)
def emergency_action(request: HttpRequest, emergency_number: str, action: str) -> HttpResponse:
    """Tick a step, log responders, headcount or a note, end, or review."""
    emergency = _emergency(request, emergency_number)
    user = signed_in_user(request)
    data = request.POST
    try:
        if action == "step":
            emergencies.tick(user, emergency, data.get("step", ""))
        elif action == "called":
            emergencies.responder_called(
                user, emergency, data.get("agency", ""), data.get("unit", "")
            )
        elif action == "arrived":
            responder = emergency.responders.filter(pk=data.get("responder") or 0).first()
            if responder is None:
                raise ValidationError("Choose the responder who arrived.")
            emergencies.responder_arrived(user, emergency, responder)
        elif action == "headcount":
            expected = data.get("expected", "")
            emergencies.record_headcount(
                user, emergency, int(data.get("counted", "")),
                int(expected) if expected else None,
            )  # fmt: skip
        elif action == "note":
            emergencies.add_note(user, emergency, data.get("note", ""))
        elif action == "end":
            emergencies.end(user, emergency, confirmed=data.get("confirm") == "yes")
        elif action == "review":
            emergencies.review(
                user, emergency, data.get("went_well", ""), data.get("to_change", "")
            )
            messages.success(request, "Review saved.")
        else:
            return HttpResponse(status=404)
    except ValueError:
        messages.error(request, "A headcount is a whole number.")
    except ValidationError as error:
        if not hasattr(error, "error_dict") or not {"confirm", "went_well", "to_change"} & set(
            error.message_dict
        ):
            messages.error(request, " ".join(error.messages))
        else:  # the page again, the error on its field, what was typed kept
            emergency.refresh_from_db()
            context = {**_context(request, emergency, error.message_dict), "typed": data}
            template = "safety/_live.html" if request.headers.get("HX-Request") else None
            return render(request, template or "safety/emergency.html", context)
    if request.headers.get("HX-Request"):
        emergency.refresh_from_db()
        return render(request, "safety/_live.html", _context(request, emergency))
    return redirect("safety:emergency-detail", emergency.number)


@login_required
@require_GET
def emergency_report(request: HttpRequest, emergency_number: str) -> HttpResponse:
    emergency = _emergency(request, emergency_number)
    pdf = render_pdf("safety/report/emergency.html", _context(request, emergency), emergency.store)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{emergency.number}.pdf"'
    return response


# --- hazards ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.RECORD)
def hazard_list(request: HttpRequest) -> HttpResponseBase:
    """Report a hazard (phone form) and find the reported ones: by place, severity, fix."""
    user = signed_in_user(request)
    if request.method == "POST":
        store = get_visible_or_404(Store.objects.all(), user, code=request.POST.get("store", ""))
        try:
            hazard = hazards.report(
                user,
                store,
                request.POST.get("place", ""),
                request.POST.get("description", ""),
                request.POST.get("severity", ""),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{hazard.number} reported; {hazard.action.number} raised.")
            return redirect("safety:hazard-detail", hazard.number)
    form = HazardFilterForm(request.GET)
    filters = filters_of(form)
    found = in_current_store(
        request, Hazard.objects.visible_to(user).select_related("store", "action", "reported_by")
    )
    return list_page(
        request,
        HazardTable,
        filtered_hazards(found, filters),
        "safety/hazard_list.html",
        {
            "form": form,
            "severities": Severity.choices,
            "stores": Store.objects.visible_to(user).order_by("code"),
            "can_record": can(user, Capability.RECORD),
        },
        filters=filters,
    )


def _hazard(request: HttpRequest, hazard_number: str) -> Hazard:
    found = Hazard.objects.select_related("store", "action", "reported_by")
    return get_visible_or_404(found, signed_in_user(request), number=hazard_number)


@login_required
@require_GET
def hazard_detail(request: HttpRequest, hazard_number: str) -> HttpResponse:
    hazard = _hazard(request, hazard_number)
    return render(
        request,
        "safety/hazard_detail.html",
        {"hazard": hazard, "can_record": can(signed_in_user(request), Capability.RECORD)},
    )


@login_required
@writes(Capability.RECORD)
def hazard_photo(request: HttpRequest, hazard_number: str) -> HttpResponseBase:
    """GET the hazard's photo; POST one from the phone (the raw request body)."""
    hazard = _hazard(request, hazard_number)
    if request.method == "GET":
        if not hazard.photo_sha256:
            raise Http404("No photo yet.")
        return photo_response(hazard.photo_sha256)
    if request.method != "POST":
        return HttpResponse(status=405)
    try:
        hazards.attach_photo(signed_in_user(request), hazard, receive_photo(request))
    except BlobRefused as refused:
        return JsonResponse({"error": str(refused)}, status=refused.status)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=422)
    return JsonResponse({"photo": hazard.photo_sha256})
