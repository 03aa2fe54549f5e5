"""API schemas of the video app. The worker's messages are described in docs/video.md."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import AwareDatetime, model_validator

from vigil.core.schemas import BigCount, StrictIn
from vigil.video.models import AlertStatus, Camera


class WorkerEventIn(StrictIn):
    kind: Literal["event"] = "event"
    store: str = Field(..., max_length=32)
    camera: str = Field(..., max_length=64)
    uid: str = Field(..., min_length=1, max_length=120)
    rule: str = Field(..., max_length=64)
    zone: str = Field("", max_length=64)
    zone_kind: str = Field("", max_length=16)
    started_at: datetime
    ended_at: datetime | None = None
    open: bool = False
    track_ids: list[int] = Field(default_factory=list, max_length=1000)
    detail: str = Field("", max_length=500)
    detector: str = Field("", max_length=32)
    snapshot_jpeg_b64: str | None = Field(None, max_length=4_000_000)


class WorkerHealthIn(StrictIn):
    kind: Literal["health"] = "health"
    store: str = Field(..., max_length=32)
    camera: str = Field(..., max_length=64)
    uid: str = Field("", max_length=120)
    at: datetime | None = None
    state: str = Field(..., max_length=16)
    detail: str = Field("", max_length=500)
    frames: BigCount = 0
    last_frame_at: datetime | None = None
    detector: str = Field("", max_length=32)


class AlertOut(Schema):
    id: int
    uid: str
    store: str = Field(..., alias="store.code")
    camera: str | None = Field(None, alias="camera.name")
    source: str
    rule: str
    zone: str
    zone_kind: str
    started_at: datetime
    ended_at: datetime | None
    is_open: bool
    track_ids: list[int]
    detail: str
    priority: int
    priority_reason: str
    status: AlertStatus
    note: str
    has_clip: bool
    clip_sha256: str
    incident: str | None = Field(None, alias="incident.number")

    @staticmethod
    def resolve_has_clip(alert: object) -> bool:
        return bool(getattr(alert, "clip_sha256", ""))


class AlertFilters(Schema):
    store: str | None = None
    camera: str | None = None
    rule: str | None = None
    status: AlertStatus | None = None
    source: str | None = None
    since: datetime | None = None
    until: datetime | None = None


class DismissIn(StrictIn):
    reason: str = Field(..., min_length=1, max_length=2000)


class AlertNoteIn(StrictIn):
    note: str = Field("", max_length=2000)


class EscalateIn(StrictIn):
    kind: str = Field("", max_length=32, description="Incident type; default from the rule")
    note: str = Field("", max_length=2000)


class EscalatedOut(Schema):
    alert_id: int
    incident: str
    evidence: list[str]


class CameraOut(Schema):
    id: int
    store: str = Field(..., alias="store.code")
    name: str
    location: str
    source: str = Field(..., description="The stream address with its password hidden")
    registers: list[str]
    doors: list[str]
    enabled: bool
    config: dict[str, Any]

    @staticmethod
    def resolve_source(camera: object) -> str:
        from vigil.engines.video.capture import redact

        return redact(getattr(camera, "source", ""))

    @staticmethod
    def resolve_registers(camera: Camera) -> list[str]:
        return camera.listed("registers")

    @staticmethod
    def resolve_doors(camera: Camera) -> list[str]:
        return camera.listed("doors")


class CameraIn(StrictIn):
    store: str = Field(..., max_length=32)
    name: str = Field(..., min_length=1, max_length=64)
    location: str = Field("", max_length=200)
    source: str = Field("", max_length=500)
    registers: list[str] = Field(default_factory=list)
    doors: list[str] = Field(default_factory=list)
    enabled: bool = True
    config: dict[str, Any] = Field(default_factory=dict)


class CameraPatch(StrictIn):
    location: str | None = Field(None, max_length=200)
    source: str | None = Field(None, max_length=500)
    registers: list[str] | None = None
    doors: list[str] | None = None
    enabled: bool | None = None
    config: dict[str, Any] | None = None


class HealthOut(Schema):
    camera: str = Field(..., alias="camera.name")
    store: str = Field(..., alias="camera.store.code")
    state: str
    detail: str
    frames: int
    last_frame_at: datetime | None
    detector: str
    reported_at: datetime


class VmsEventIn(StrictIn):
    """What a VMS analytics rule (Genetec, Milestone, Exacq…) posts to the webhook."""

    system: str = Field(..., min_length=1, max_length=32, description="genetec, milestone, …")
    id: str = Field(..., min_length=1, max_length=80, description="The VMS's own event id")
    store: str = Field(..., max_length=32)
    camera: str = Field("", max_length=64, description="The camera's name in Vigil")
    rule: str = Field(..., min_length=1, max_length=64, description="The VMS rule's name")
    zone: str = Field("", max_length=64)
    at: datetime
    ended_at: datetime | None = None
    ongoing: bool = False
    detail: str = Field("", max_length=400)


class EasAlarmIn(StrictIn):
    """One EAS gate alarm, as the gate controller (or a bridge) posts it."""

    store: str = Field(..., max_length=32)
    door: str = Field(..., min_length=1, max_length=64, description="Door / pedestal id")
    at: datetime
    id: str = Field("", max_length=80, description="The controller's id, when it has one")


class PlateReadIn(StrictIn):
    """One read from a licence plate reader (any LPR system other than Frigate's, whose
    reads come over MQTT). Name the camera, the store, or both."""

    plate: str = Field(..., min_length=1, max_length=20, description="The plate as read")
    store: str = Field(
        "",
        max_length=32,
        description="Store code; needed unless the camera's name is unique in your stores",
    )
    camera: str = Field("", max_length=64, description="The camera's name in Vigil")
    read_at: AwareDatetime = Field(..., description="When it was read, with its UTC offset")
    confidence: float | None = Field(
        None, ge=0, le=1, description="The reader's confidence, 0 to 1"
    )
    id: str = Field(
        "", max_length=80, description="The reader's own id for the read (a repeat updates it)"
    )
    system: str = Field("", max_length=32, description="The LPR system's name")
    image_jpeg_b64: str | None = Field(
        None, max_length=4_000_000, description="The plate image, a base64 JPEG"
    )

    @model_validator(mode="after")
    def _somewhere(self) -> PlateReadIn:
        if not self.store and not self.camera:
            raise ValueError("name the camera or the store the read was made at")
        return self


class PlateReadOut(Schema):
    id: int
    uid: str
    store: str = Field(..., alias="store.code")
    camera: str | None = Field(None, alias="camera.name")
    plate: str
    normalised: str
    read_at: datetime
    confidence: float | None
    source: str
    system: str
    watched_vehicle_id: int | None = Field(None, alias="vehicle_id")
    match: str
    partial: bool
    alert_id: int | None
