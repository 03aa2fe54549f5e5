"""Cameras, the alerts they (and other sources) raise, and each camera's health.

A ``Camera`` keeps its analysis settings as the engine's config (validated by the engine's
own pydantic model, so the app and the worker agree on one schema) and its stream address,
which the pages never show in full. An ``Alert`` is one event from any source (Vigil's
worker, Frigate, a VMS webhook, an EAS gate), identified by the source's ``uid`` so a
message delivered twice is stored once. Snapshots and clips are kept content-addressed
under the data directory with their SHA-256 taken at receipt; escalating an alert copies
the clip into the evidence vault, where the same hash proves it unchanged since.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from vigil.core.changelog import AuditedModel
from vigil.core.scoping import Scoped, ScopedQuerySet


class Camera(Scoped, AuditedModel):
    store = models.ForeignKey("core.Store", on_delete=models.CASCADE, related_name="cameras")
    name = models.CharField(max_length=64, help_text="As the worker names it, e.g. aisle-7")
    location = models.CharField(max_length=200, blank=True, help_text="Where it looks")
    source = models.CharField(
        max_length=500, blank=True, help_text="Stream address (rtsp://…); never shown in full"
    )
    config = models.JSONField(
        default=dict, blank=True, help_text="Zones, rules and detector settings"
    )
    registers = models.CharField(
        max_length=200, blank=True, help_text="POS registers in view, comma-separated"
    )
    doors = models.CharField(
        max_length=200, blank=True, help_text="Doors / EAS pedestals in view, comma-separated"
    )
    snapshot_sha256 = models.CharField(
        max_length=64, blank=True, help_text="Latest still, for drawing zones on"
    )
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet["Camera"].as_manager()

    audit_masked: ClassVar[frozenset[str]] = frozenset({"source"})
    audit_exclude: ClassVar[frozenset[str]] = frozenset({"created_at", "snapshot_sha256"})

    class Meta:
        ordering = ["store__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["store", "name"], name="video_camera_name_per_store")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.store.code})"

    def listed(self, field: str) -> list[str]:
        return [part.strip() for part in getattr(self, field).split(",") if part.strip()]


class AlertSource(models.TextChoices):
    VIGIL = "vigil", "Vigil camera worker"
    FRIGATE = "frigate", "Frigate"
    VMS = "vms", "VMS analytics (webhook)"
    EAS = "eas", "EAS gate"
    LPR = "lpr", "Licence plate reader (webhook)"


class AlertStatus(models.TextChoices):
    NEW = "new", "New"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    DISMISSED = "dismissed", "Dismissed"
    ESCALATED = "escalated", "Escalated to an incident"


class Priority(models.IntegerChoices):
    LOW = 1, "Low"
    NORMAL = 2, "Normal"
    HIGH = 3, "High"


# The live feed's order: unhandled first, then the most urgent, then the newest, as the
# feed's query sorts (vigil.video.tables.filtered_alerts); the index below answers it in
# this order only while the two are the same expression.
FEED_ORDER = (
    models.Case(
        models.When(status="new", then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    ),
    models.F("priority").desc(),
    models.F("started_at").desc(),
    models.F("id").desc(),
)


class Alert(Scoped, AuditedModel):
    uid = models.CharField(max_length=120, unique=True, help_text="The source's own id")
    store = models.ForeignKey("core.Store", on_delete=models.CASCADE, related_name="alerts")
    camera = models.ForeignKey(
        Camera, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts"
    )
    source = models.CharField(max_length=16, choices=AlertSource.choices)
    rule = models.CharField(max_length=64, db_index=True, help_text="intrusion, loitering, …")
    zone = models.CharField(max_length=64, blank=True)
    zone_kind = models.CharField(max_length=16, blank=True)
    started_at = models.DateTimeField(db_index=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    is_open = models.BooleanField(default=True, help_text="Still going on at the source")
    track_ids = models.JSONField(default=list, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    priority = models.PositiveSmallIntegerField(
        choices=Priority.choices, default=Priority.NORMAL, db_index=True
    )
    priority_reason = models.CharField(max_length=300, blank=True)
    snapshot_sha256 = models.CharField(max_length=64, blank=True)
    clip_sha256 = models.CharField(max_length=64, blank=True)
    clip_size = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=AlertStatus.choices, default=AlertStatus.NEW, db_index=True
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="Why it was dismissed, or what was done")
    incident = models.ForeignKey(
        "cases.Incident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alerts",
    )
    received_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet["Alert"].as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset(
        {"received_at", "track_ids", "snapshot_sha256", "ended_at", "is_open"}
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        # The feed's order (FEED_ORDER): read in it, a page stops after 50 alerts instead of
        # sorting every alert in scope at each refresh; with the store first for a user who
        # sees one store.
        indexes = [
            models.Index(*FEED_ORDER, name="alert_feed_order"),
            models.Index("store", *FEED_ORDER, name="alert_feed_order_by_store"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} at {self.where}"

    @property
    def rule_label(self) -> str:
        """The rule as people say it: "Line crossing", "EAS alarm"."""
        return "EAS alarm" if self.rule == "eas" else self.rule.replace("_", " ").capitalize()

    @property
    def where(self) -> str:
        """The camera's name, or the source when no camera is known (an EAS gate, a VMS)."""
        return self.camera.name if self.camera is not None else self.get_source_display()


class CameraHealth(Scoped, models.Model):
    """The last heartbeat from a camera's worker (overwritten; history is in the log)."""

    scope_path: ClassVar[str] = "camera__store"

    camera = models.OneToOneField(Camera, on_delete=models.CASCADE, related_name="health")
    state = models.CharField(max_length=16, help_text="connected, disconnected, failed, …")
    detail = models.CharField(max_length=500, blank=True)
    frames = models.PositiveBigIntegerField(default=0)
    last_frame_at = models.DateTimeField(null=True, blank=True)
    detector = models.CharField(max_length=32, blank=True)
    reported_at = models.DateTimeField()

    objects = ScopedQuerySet["CameraHealth"].as_manager()

    def __str__(self) -> str:
        return f"{self.camera}: {self.state}"


class PlateReadSource(models.TextChoices):
    FRIGATE = "frigate", "Frigate licence plate recognition"
    WEBHOOK = "webhook", "Plate-read webhook"


class PlateRead(Scoped, models.Model):
    """One licence plate read by a camera, once per reader event (Frigate updates an event
    as it tracks the car; the read is kept, its best reading wins).

    ``plate`` is as read; ``normalised`` upper-case letters and digits only. A read that
    matches a watched vehicle (an active BOLO on it or on one of its subjects) names the
    vehicle, says how it matched, and links the alert it raised in the live feed.
    """

    uid = models.CharField(max_length=120, unique=True, help_text="The reader's event id")
    store = models.ForeignKey("core.Store", on_delete=models.CASCADE, related_name="plate_reads")
    camera = models.ForeignKey(
        Camera, null=True, blank=True, on_delete=models.SET_NULL, related_name="plate_reads"
    )
    plate = models.CharField(max_length=20, help_text="As the reader gave it")
    normalised = models.CharField(max_length=20, db_index=True)
    read_at = models.DateTimeField(db_index=True)
    confidence = models.FloatField(null=True, blank=True, help_text="0 to 1, the reader's own")
    source = models.CharField(max_length=16, choices=PlateReadSource.choices)
    system = models.CharField(max_length=32, blank=True, help_text="The LPR system's name")
    snapshot_sha256 = models.CharField(max_length=64, blank=True)
    vehicle = models.ForeignKey(
        "cases.Vehicle",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plate_reads",
        help_text="The watched vehicle it matched",
    )
    match = models.CharField(max_length=200, blank=True, help_text="How it matched, in words")
    partial = models.BooleanField(default=False)
    alert = models.ForeignKey(
        Alert, null=True, blank=True, on_delete=models.SET_NULL, related_name="plate_reads"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet["PlateRead"].as_manager()

    class Meta:
        ordering = ["-read_at", "-id"]

    def __str__(self) -> str:
        return f"{self.plate} at {self.store.code}"


class BoloNotice(models.Model):
    """A BOLO pushed to one LP user of the stores of its region: what they see in My work
    (and were e-mailed), kept as it was when the BOLO became active."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bolo_notices"
    )
    subject = models.ForeignKey(
        "cases.Subject", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    vehicle = models.ForeignKey(
        "cases.Vehicle", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    store = models.ForeignKey("core.Store", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=300)
    instructions = models.TextField(blank=True)
    photo_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title
