"""Intelligence pages: networks and profiles, one profile, one network, and the decisions.

Every page is for loss-prevention roles only, and every object is looked up in the viewer's
stores first (another store's profile is 404 before a store manager is told 403). Opening a
profile or a network is written to the audit log.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from vigil.cases import casework
from vigil.cases.models import Case, IncidentType, Subject, Vehicle
from vigil.core import audit
from vigil.core.models import User
from vigil.core.models.audit import AuditAction
from vigil.core.pages import signed_in_user
from vigil.core.roles import Capability, can, require
from vigil.core.scoping import get_visible_or_404, scope_of
from vigil.core.writes import writes
from vigil.intel import decisions, linkchart, profiles
from vigil.intel.access import require_lp
from vigil.intel.models import (
    IgnoredField,
    IgnoredValue,
    IntelRun,
    Network,
    Profile,
    Suggestion,
    Verdict,
)
from vigil.intel.tasks import start_linking

PROFILE_VIEW = AuditAction.INTEL_PROFILE_VIEW
NETWORK_VIEW = AuditAction.INTEL_NETWORK_VIEW
LISTED = 50


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require_lp(user)
    context = {
        "networks": Network.objects.visible_to(user).prefetch_related("stores")[:LISTED],
        "profiles": Profile.objects.visible_to(user).prefetch_related("stores")[:LISTED],
        "suggestions": Suggestion.objects.visible_to(user).count(),
        "last_run": IntelRun.objects.filter(finished_at__isnull=False).first(),
        "ignored": IgnoredValue.objects.all(),
        "ignored_fields": IgnoredField.choices,
        "can_investigate": can(user, Capability.INVESTIGATE),
    }
    return render(request, "intel/overview.html", context)


@login_required
@require_GET
def profile_detail(request: HttpRequest, profile_id: int) -> HttpResponse:
    user = signed_in_user(request)
    profile = get_visible_or_404(Profile.objects.all(), user, pk=profile_id)
    require_lp(user)
    page = profiles.profile_page(user, profile)
    audit.record(PROFILE_VIEW, obj=profile, changes={"subjects": [s.pk for s in page.subjects]})
    return render(request, "intel/profile_detail.html", {"page": page})


@login_required
@require_GET
def network_detail(request: HttpRequest, network_id: int) -> HttpResponse:
    user = signed_in_user(request)
    network = get_visible_or_404(Network.objects.all(), user, pk=network_id)
    require_lp(user)
    page = profiles.network_page(user, network)
    audit.record(NETWORK_VIEW, obj=network, changes={"incidents": len(page.reach.incidents)})
    context = {
        "page": page,
        "chart": linkchart.link_chart(page),
        "can_investigate": can(user, Capability.INVESTIGATE),
    }
    return render(request, "intel/network_detail.html", context)


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def network_case(request: HttpRequest, network_id: int) -> HttpResponse:
    """Open one case with the network's incidents, people and vehicles (those in scope)."""
    user = signed_in_user(request)
    network = get_visible_or_404(Network.objects.all(), user, pk=network_id)
    require(user, Capability.INVESTIGATE)
    page = profiles.network_page(user, network)
    if not page.reach.incidents:
        raise Http404("No incident of this network is in your stores.")
    case = _open_network_case(user, page)
    messages.success(request, f"Case {case.number} opened with the network's incidents.")
    return redirect("cases:case-detail", case.number)


def _open_network_case(user: User, page: profiles.NetworkPage) -> Case:
    counts: dict[int, int] = {}
    for incident in page.reach.incidents:
        counts[incident.store_id] = counts.get(incident.store_id, 0) + 1
    lead = max(page.reach.stores, key=lambda store: counts.get(store.pk, 0))
    fields = {
        "store": lead,
        "kind": IncidentType.ORGANISED_RETAIL_CRIME,
        "title": (
            f"ORC network {page.network.key}: {len(page.reach.incidents):,} incidents "
            f"at {len(page.reach.stores):,} stores"
        )[:200],
        "summary": "\n".join(str(reason) for reason in page.network.reasons),
    }
    case = casework.open_case(user, fields, page.reach.incidents)
    subjects = Subject.objects.visible_to(user).filter(intel_profiles__in=page.profiles)
    vehicles = Vehicle.objects.visible_to(user).filter(intel_clusters__in=page.vehicles)
    for subject in subjects.distinct():
        casework.link(user, case, subject)
    for vehicle in vehicles.distinct():
        casework.link(user, case, vehicle)
    return case


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def suggestion_decision(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    user = signed_in_user(request)
    suggestion = get_visible_or_404(Suggestion.objects.all(), user, pk=suggestion_id)
    first, second = suggestion.pair
    scope = scope_of(user)
    if (
        first is None
        or second is None
        or not (scope.allows(first.store_id) and scope.allows(second.store_id))
    ):
        raise Http404("No such suggestion in your stores.")
    require(user, Capability.INVESTIGATE)
    verdict = request.POST.get("verdict", "")
    if verdict not in Verdict.values:
        messages.error(request, "Choose Confirm or Reject.")
        return redirect(_back(request))
    decisions.decide(user, suggestion, verdict)
    said = "confirmed: the same" if verdict == Verdict.SAME else "rejected: not the same"
    messages.success(request, f"{first} and {second} {said}. Later runs keep to it.")
    return redirect(_back(request))


def _both_visible(user: User, first: object, second: object) -> bool:
    """A suggestion about a record of a store the user cannot see is none of theirs."""
    scope = scope_of(user)
    records = [record for record in (first, second) if record is not None]
    return len(records) == 2 and all(scope.allows(getattr(r, "store_id", None)) for r in records)


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def ignored_values(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(user, Capability.INVESTIGATE)
    try:
        ignored = decisions.ignore_value(
            user, request.POST.get("field", ""), request.POST.get("value", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{ignored} is ignored for matching from the next run on.")
    return redirect(_back(request))


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def run_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(user, Capability.INVESTIGATE)
    run = start_linking(None, requested_by=user)
    return redirect("core:task-run-detail", run.pk)


def _back(request: HttpRequest) -> str:
    """Where the form was (a page of this site), else the intelligence overview."""
    from django.urls import reverse
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("intel:overview")
