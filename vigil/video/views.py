"""Video pages: the live alert feed and its history, one alert (snapshot, clip, handling),
cameras with their zone editor and settings, and camera health."""

from __future__ import annotations

import json
from typing import Any

import yaml
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil.cases.models import IncidentType
from vigil.cases.views.common import filters_of
from vigil.core.lists import list_page
from vigil.core.models import Store
from vigil.core.pages import signed_in_user
from vigil.core.roles import Capability, can
from vigil.core.scoping import get_visible_or_404
from vigil.core.storeswitch import in_current_store
from vigil.core.writes import writes
from vigil.engines.video.capture import redact
from vigil.video import alerts, cameras, media
from vigil.video.models import Alert, AlertStatus, Camera, CameraHealth
from vigil.video.tables import LAYOUTS, AlertFilterForm, AlertTable, filtered_alerts

FEED_SECONDS = 5  # how often an open feed asks for new alerts


@login_required
@require_GET
def alert_list(request: HttpRequest) -> HttpResponseBase:
    """The live feed: refreshed every few seconds while open; the filters make it history.

    ``?layout=table`` shows the same rows as a sortable table; the feed shows one card per
    alert with its snapshot. An htmx refresh gets the feed's section alone.
    """
    user = signed_in_user(request)
    visible = in_current_store(request, Alert.objects.visible_to(user))
    cameras = in_current_store(request, Camera.objects.visible_to(user))
    form = AlertFilterForm(request.GET, cameras=cameras)
    filters = filters_of(form)
    found = visible.select_related("store", "camera", "incident", "handled_by")
    layout = request.GET.get("layout")
    refresh = request.GET.copy()
    refresh.pop("export", None)
    context = {
        "form": form,
        "layout": layout if layout in LAYOUTS else LAYOUTS[0],
        "filtering": bool(filters),
        "refresh_query": refresh.urlencode(),
        "feed_seconds": FEED_SECONDS,
        "new_count": visible.filter(status=AlertStatus.NEW).count(),
    }
    template = "video/_alert_feed.html" if request.headers.get("HX-Request") else None
    return list_page(
        request,
        AlertTable,
        filtered_alerts(found, filters),
        template or "video/alert_list.html",
        context,
        filters=filters,
    )


def _alert(request: HttpRequest, alert_id: int) -> Alert:
    found = Alert.objects.select_related("store", "camera", "incident", "handled_by")
    return get_visible_or_404(found, signed_in_user(request), pk=alert_id)


@login_required
@require_GET
def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = _alert(request, alert_id)
    user = signed_in_user(request)
    return render(
        request,
        "video/alert_detail.html",
        {
            "alert": alert,
            "can_record": can(user, Capability.RECORD),
            "incident_types": IncidentType.choices,
            "default_type": alerts.INCIDENT_TYPE_OF_RULE.get(alert.rule, IncidentType.OTHER),
            "plate_reads": _plate_reads(user, alert),
        },
    )


def _plate_reads(user: Any, alert: Alert) -> list[dict[str, Any]]:
    """The reads behind a watched-plate alert, each with its vehicle linked when the user
    may open it (a BOLO of another store of the region is named, not linked)."""
    from vigil.cases.models import Vehicle

    visible = set(Vehicle.objects.visible_to(user).values_list("pk", flat=True)[:1000])
    return [
        {"read": read, "linked": read.vehicle_id in visible}
        for read in alert.plate_reads.select_related("vehicle", "camera")
    ]


@login_required
@require_GET
def alert_media(request: HttpRequest, alert_id: int, kind: str) -> FileResponse:
    """The alert's snapshot or clip (inline, for the page's <img> and <video>)."""
    alert = _alert(request, alert_id)
    sha256 = alert.snapshot_sha256 if kind == "snapshot" else alert.clip_sha256
    store = media.KINDS.get(kind)
    if store is None or not sha256:
        raise Http404("No such picture or clip for this alert.")
    return FileResponse(store.path_of(sha256).open("rb"), content_type=store.content_type)


@login_required
@require_POST
@writes(Capability.RECORD)
def alert_action(request: HttpRequest, alert_id: int, action: str) -> HttpResponse:
    alert = _alert(request, alert_id)
    user = signed_in_user(request)
    note = request.POST.get("note", "")
    try:
        if action == "acknowledge":
            alerts.acknowledge(user, alert, note)
        elif action == "dismiss":
            alerts.dismiss(user, alert, request.POST.get("reason", ""))
            messages.success(request, "Alert dismissed.")
        elif action == "escalate":
            incident = alerts.escalate(user, alert, request.POST.get("kind", ""), note)
            messages.success(request, f"Incident {incident.number} filed with the clip.")
            return redirect("cases:incident-detail", incident.number)
        else:
            raise Http404("No such action.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("video:alert-detail", alert.pk)


# --- cameras ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.RECORD)
def camera_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if request.method == "POST":
        try:
            store = get_visible_or_404(Store.objects.all(), user, code=request.POST.get("store"))
            camera = cameras.create_camera(
                user,
                store,
                {
                    "name": request.POST.get("name", "").strip(),
                    "location": request.POST.get("location", "").strip(),
                    "source": request.POST.get("source", "").strip(),
                },
            )
            return redirect("video:camera-detail", camera.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    found = in_current_store(request, Camera.objects.visible_to(user))
    return render(
        request,
        "video/camera_list.html",
        {
            "cameras": found.select_related("store", "health"),
            "stores": Store.objects.visible_to(user).order_by("code"),
            "can_record": can(user, Capability.RECORD),
        },
    )


def _camera(request: HttpRequest, camera_id: int) -> Camera:
    found = Camera.objects.select_related("store")
    return get_visible_or_404(found, signed_in_user(request), pk=camera_id)


@login_required
@require_GET
def camera_detail(request: HttpRequest, camera_id: int) -> HttpResponse:
    camera = _camera(request, camera_id)
    user = signed_in_user(request)
    settings_only = {k: v for k, v in camera.config.items() if k != "zones"}
    return render(
        request,
        "video/camera_detail.html",
        {
            "camera": camera,
            "source": redact(camera.source) if camera.source else "",
            "zones_json": json.dumps(camera.config.get("zones", [])),
            "settings_yaml": yaml.safe_dump(settings_only, sort_keys=False)
            if settings_only
            else "",
            "health": CameraHealth.objects.filter(camera=camera).first(),
            "alerts": camera.alerts.order_by("-started_at")[:10],
            "can_record": can(user, Capability.RECORD),
            "zone_kinds": ["exit", "restricted", "high_value", "register", "other"],
        },
    )


@login_required
@require_GET
def camera_snapshot(request: HttpRequest, camera_id: int) -> FileResponse:
    camera = _camera(request, camera_id)
    if not camera.snapshot_sha256:
        raise Http404("No picture from this camera yet.")
    return FileResponse(
        media.SNAPSHOTS.path_of(camera.snapshot_sha256).open("rb"), content_type="image/jpeg"
    )


@login_required
@require_POST
@writes(Capability.RECORD)
def camera_zones(request: HttpRequest, camera_id: int) -> HttpResponse:
    """The zone editor's save: the zones as JSON in one form field."""
    camera = _camera(request, camera_id)
    try:
        zones = json.loads(request.POST.get("zones", "[]"))
        if not isinstance(zones, list):
            raise ValueError
    except ValueError:
        messages.error(request, "The zones did not arrive as a list; nothing was changed.")
        return redirect("video:camera-detail", camera.pk)
    try:
        cameras.set_zones(signed_in_user(request), camera, zones)
        messages.success(request, f"Saved {len(zones)} zone(s); workers pick them up.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("video:camera-detail", camera.pk)


@login_required
@require_POST
@writes(Capability.RECORD)
def camera_settings(request: HttpRequest, camera_id: int) -> HttpResponse:
    """Rules, schedules, detector and motion settings, edited as YAML (zones are drawn)."""
    camera = _camera(request, camera_id)
    user = signed_in_user(request)
    try:
        settings = yaml.safe_load(request.POST.get("settings", "")) or {}
        if not isinstance(settings, dict):
            raise ValidationError("The settings must be a mapping (rules: …, fps: …).")
        changes: dict[str, Any] = {
            "config": {**settings, "zones": camera.config.get("zones", [])},
            "location": request.POST.get("location", camera.location).strip(),
            "registers": request.POST.get("registers", "").split(","),
            "doors": request.POST.get("doors", "").split(","),
        }
        if request.POST.get("source", "").strip():
            changes["source"] = request.POST["source"].strip()
        cameras.update_camera(user, camera, changes)
        messages.success(request, "Camera settings saved.")
    except yaml.YAMLError:
        messages.error(request, "The settings are not valid YAML; nothing was changed.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("video:camera-detail", camera.pk)


@login_required
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    found = in_current_store(request, Camera.objects.visible_to(user)).select_related(
        "store", "health"
    )
    return render(request, "video/health.html", {"cameras": found})


@login_required
@require_GET
def bolo_notices(request: HttpRequest) -> HttpResponse:
    """The BOLOs pushed to this LP user (vigil.cases.bolo), the newest first; nobody
    else's, whatever their scope."""
    from vigil.video.models import BoloNotice

    user = signed_in_user(request)
    found = BoloNotice.objects.filter(recipient=user).select_related("store", "subject", "vehicle")
    return render(request, "video/bolo_notices.html", {"notices": found[:100]})
