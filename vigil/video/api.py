"""Video API: what workers send (events, clips, health), alerts and their handling, cameras.

Workers authenticate with an API token of a user who may record at the cameras' stores;
every lookup is store-scoped (another store's alert is a 404).
"""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from vigil.core.apiauth import may
from vigil.core.blobs import BlobRefused
from vigil.core.openapi import raw_body
from vigil.core.pages import api_user
from vigil.core.roles import Capability, require
from vigil.core.scoping import get_visible_or_404
from vigil.evidence.api import content_length
from vigil.video import alerts, cameras, platereads, sources
from vigil.video.models import Alert, Camera, CameraHealth, PlateRead
from vigil.video.schemas import (
    AlertFilters,
    AlertNoteIn,
    AlertOut,
    CameraIn,
    CameraOut,
    CameraPatch,
    DismissIn,
    EasAlarmIn,
    EscalatedOut,
    EscalateIn,
    HealthOut,
    PlateReadIn,
    PlateReadOut,
    VmsEventIn,
    WorkerEventIn,
    WorkerHealthIn,
)

router = Router(tags=["video"])


# --- from workers ---------------------------------------------------------------------


@router.post("/video/events", response={200: AlertOut}, auth=may(Capability.RECORD))
def receive_event(request: HttpRequest, payload: WorkerEventIn) -> Alert:
    """An event from ``vigil video worker``; sending the same ``uid`` again updates it."""
    data = payload.dict()
    data["snapshot_jpeg"] = alerts.decode_snapshot(data.pop("snapshot_jpeg_b64"))
    return alerts.receive_worker_event(api_user(request), data)


@router.post(
    "/video/clips",
    response={200: AlertOut},
    auth=may(Capability.RECORD),
    openapi_extra=raw_body("video/mp4", "The event's H.264 MP4 clip."),
)
def receive_clip(
    request: HttpRequest,
    store: str,
    uid: str,
    camera: str = "",
    started_at: str = "",
    ended_at: str = "",
) -> Alert:
    """An event's MP4 clip as the request body; ``uid`` names the event it belongs to (and
    ``camera``, when given, must be its camera). The times are the clip's first and last
    frames, for the record."""
    try:
        return alerts.receive_clip(
            api_user(request),
            store,
            uid,
            request,  # type: ignore[arg-type]
            content_length(request),
            camera,
        )
    except BlobRefused as refused:
        raise HttpError(refused.status, str(refused)) from None


@router.post("/video/health", response={200: HealthOut}, auth=may(Capability.RECORD))
def receive_health(request: HttpRequest, payload: WorkerHealthIn) -> CameraHealth:
    return alerts.receive_health(api_user(request), payload.dict())


@router.post("/video/webhook", response={200: AlertOut}, auth=may(Capability.RECORD))
def receive_vms_event(request: HttpRequest, payload: VmsEventIn) -> Alert:
    """A VMS analytics event (a Genetec, Milestone or Exacq rule calling a webhook)."""
    return sources.vms_event(api_user(request), payload.dict())


@router.post("/video/eas", response={200: AlertOut}, auth=may(Capability.RECORD))
def receive_eas_alarm(request: HttpRequest, payload: EasAlarmIn) -> Alert:
    """An EAS gate alarm; high priority when no sale was completed just before it."""
    return sources.eas_alarm(api_user(request), payload.dict())


@router.post("/plate-reads", response={200: PlateReadOut}, auth=may(Capability.RECORD))
def receive_plate_read(request: HttpRequest, payload: PlateReadIn) -> PlateRead:
    """A licence plate read from an LPR system; a read of a watched vehicle raises an alert
    in the live feed. Sending the same ``id`` again updates the read (a surer reading)."""
    return platereads.webhook_read(api_user(request), payload.dict())


@router.get("/plate-reads", response=list[PlateReadOut])
@paginate
def list_plate_reads(
    request: HttpRequest, plate: str = "", store: str = "", watched: bool | None = None
) -> QuerySet[PlateRead]:
    """Reads of the user's stores, newest first; ``plate`` finds reads containing it
    (normalised), ``watched`` those that matched (or did not match) a watched vehicle."""
    found = PlateRead.objects.visible_to(api_user(request)).select_related("store", "camera")
    if plate:
        found = found.filter(normalised__contains=platereads.normalise(plate))
    if store:
        found = found.filter(store__code=store)
    if watched is not None:
        found = found.filter(alert__isnull=not watched)
    return found


# --- alerts -----------------------------------------------------------------------------


def filtered_alerts(user: Any, filters: AlertFilters) -> QuerySet[Alert]:
    found = Alert.objects.visible_to(user).select_related("store", "camera", "incident")
    conditions: dict[str, Any] = {
        "store__code": filters.store,
        "camera__name": filters.camera,
        "rule": filters.rule,
        "status": filters.status,
        "source": filters.source,
        "started_at__gte": filters.since,
        "started_at__lte": filters.until,
    }
    return found.filter(**{k: v for k, v in conditions.items() if v not in (None, "")})


@router.get("/video/alerts", response=list[AlertOut])
@paginate
def list_alerts(request: HttpRequest, filters: Query[AlertFilters]) -> QuerySet[Alert]:
    return filtered_alerts(api_user(request), filters)


def _alert(request: HttpRequest, alert_id: int) -> Alert:
    found = Alert.objects.select_related("store", "camera", "incident")
    return get_visible_or_404(found, api_user(request), pk=alert_id)


@router.get("/video/alerts/{alert_id}", response=AlertOut)
def get_alert(request: HttpRequest, alert_id: int) -> Alert:
    return _alert(request, alert_id)


@router.post(
    "/video/alerts/{alert_id}/acknowledgement", response=AlertOut, auth=may(Capability.RECORD)
)
def acknowledge_alert(request: HttpRequest, alert_id: int, payload: AlertNoteIn) -> Alert:
    return alerts.acknowledge(api_user(request), _alert(request, alert_id), payload.note)


@router.post("/video/alerts/{alert_id}/dismissal", response=AlertOut, auth=may(Capability.RECORD))
def dismiss_alert(request: HttpRequest, alert_id: int, payload: DismissIn) -> Alert:
    return alerts.dismiss(api_user(request), _alert(request, alert_id), payload.reason)


@router.post(
    "/video/alerts/{alert_id}/escalation", response=EscalatedOut, auth=may(Capability.RECORD)
)
def escalate_alert(request: HttpRequest, alert_id: int, payload: EscalateIn) -> dict[str, Any]:
    alert = _alert(request, alert_id)
    incident = alerts.escalate(api_user(request), alert, payload.kind, payload.note)
    return {
        "alert_id": alert.pk,
        "incident": incident.number,
        "evidence": [item.number for item in incident.evidence.order_by("number")],
    }


# --- cameras ----------------------------------------------------------------------------


@router.get("/video/cameras", response=list[CameraOut])
@paginate
def list_cameras(request: HttpRequest, store: str | None = None) -> QuerySet[Camera]:
    found = Camera.objects.visible_to(api_user(request)).select_related("store")
    return found.filter(store__code=store) if store else found


@router.post("/video/cameras", response={201: CameraOut}, auth=may(Capability.RECORD))
def create_camera(request: HttpRequest, payload: CameraIn) -> Status[Any]:
    user = api_user(request)
    data = payload.dict()
    store = alerts.store_for(user, data.pop("store"))
    return Status(201, cameras.create_camera(user, store, data))


def _camera(request: HttpRequest, camera_id: int) -> Camera:
    found = Camera.objects.select_related("store")
    return get_visible_or_404(found, api_user(request), pk=camera_id)


@router.get("/video/cameras/{camera_id}", response=CameraOut)
def get_camera(request: HttpRequest, camera_id: int) -> Camera:
    return _camera(request, camera_id)


@router.patch("/video/cameras/{camera_id}", response=CameraOut, auth=may(Capability.RECORD))
def update_camera(request: HttpRequest, camera_id: int, payload: CameraPatch) -> Camera:
    return cameras.update_camera(
        api_user(request), _camera(request, camera_id), payload.dict(exclude_unset=True)
    )


@router.get("/video/cameras/{camera_id}/worker-config", response=dict[str, Any])
def camera_worker_config(request: HttpRequest, camera_id: int) -> dict[str, Any]:
    """The camera's config for ``vigil video worker``, stream address included: only for
    those who may record at its store."""
    user = api_user(request)
    camera = _camera(request, camera_id)
    require(user, Capability.RECORD)
    return cameras.worker_config(camera)


@router.get("/video/health", response=list[HealthOut])
@paginate
def list_health(request: HttpRequest) -> QuerySet[CameraHealth]:
    return CameraHealth.objects.visible_to(api_user(request)).select_related("camera__store")
