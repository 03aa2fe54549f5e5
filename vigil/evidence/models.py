"""The evidence vault: items, their chain of custody, and packages shared with police.

An ``EvidenceItem`` names bytes in the content-addressed store by their SHA-256, computed on
the server while the upload streamed in. The bytes are never changed; a working copy (a
transcoded clip, a redacted photo) is a new item that points at its original. An item is
never deleted from the database: deletion is a reason and a custody event.

``CustodyEvent`` rows are append-only and chained per item by SHA-256, like the audit log;
``vigil evidence verify`` re-hashes the files and walks every chain.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from decimal import Decimal
from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone

from vigil.core.changelog import AuditedModel
from vigil.core.scoping import Scoped, ScopedQuerySet
from vigil.evidence.filetypes import BY_MEDIA_TYPE, FileType

GENESIS_HASH = "0" * 64


class EvidenceSource(models.TextChoices):
    CAMERA = "camera", "Camera (Vigil clip)"
    VMS_EXPORT = "vms_export", "DVR / VMS export"
    POS = "pos", "POS journal or report"
    PHONE = "phone", "Phone photo or video"
    DOCUMENT = "document", "Document or scan"
    OTHER = "other", "Other"


class Derivation(models.TextChoices):
    TRANSCODED = "transcoded", "Transcoded for playback"
    REDACTED = "redacted", "Redacted"
    EXCERPT = "excerpt", "Excerpt"
    STILL = "still", "Still frame"
    OTHER = "other", "Other working copy"


class EvidenceItem(Scoped, AuditedModel):
    """One piece of evidence: a file held in the vault, with where it came from."""

    number = models.CharField(max_length=32, unique=True, editable=False)
    store = models.ForeignKey("core.Store", on_delete=models.PROTECT, related_name="evidence")
    incident = models.ForeignKey(
        "cases.Incident", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    subject = models.ForeignKey(
        "cases.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    sha256 = models.CharField(max_length=64, db_index=True, editable=False)
    size = models.PositiveBigIntegerField(editable=False)
    media_type = models.CharField(max_length=100, default="application/octet-stream")
    original_filename = models.CharField(max_length=255)
    source = models.CharField(max_length=16, choices=EvidenceSource.choices)
    description = models.TextField(blank=True)
    acquired_by = models.CharField(max_length=200, help_text="Who collected or exported it")
    acquired_at = models.DateTimeField()
    camera = models.CharField(max_length=200, blank=True)
    camera_clock_offset_s = models.DecimalField(
        "camera clock offset (s)",
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        help_text="Camera clock minus true time in seconds (+ = camera ahead)",
    )
    recorder_clock_offset_s = models.DecimalField(
        "recorder clock offset (s)",
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        help_text="DVR/VMS clock minus true time, in seconds",
    )
    derived_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="derivatives"
    )
    derivation = models.CharField(max_length=16, choices=Derivation.choices, blank=True)
    stored_in = models.CharField(max_length=300, editable=False, help_text="Evidence store")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_reason = models.TextField(blank=True, editable=False)
    # Where the custody chain ends, so events cut off its end are caught too.
    custody_seq = models.PositiveIntegerField(default=0, editable=False)
    custody_head = models.CharField(max_length=64, default=GENESIS_HASH, editable=False)

    objects = ScopedQuerySet["EvidenceItem"].as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset(
        {"created_at", "custody_seq", "custody_head"}
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "evidence item"

    def __str__(self) -> str:
        return f"{self.number} {self.original_filename}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_video(self) -> bool:
        return self.media_type.startswith("video/")

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")

    @property
    def file_type(self) -> FileType | None:
        """What the file is, as its bytes showed when it was collected ("an MP4 video")."""
        return BY_MEDIA_TYPE.get(self.media_type)


class CustodyAction(models.TextChoices):
    COLLECTED = "collected", "Collected"
    VIEWED = "viewed", "Viewed"
    DOWNLOADED = "downloaded", "Downloaded"
    TRANSFERRED = "transferred", "Transferred"
    EXPORTED = "exported", "Exported"
    VERIFIED = "verified", "Verified"
    RELEASED = "released", "Released"
    DISPOSED = "disposed", "Disposed"
    DELETED = "deleted", "Deleted (soft)"


class CustodyLogIsAppendOnly(Exception):
    """Raised on any attempt to change or remove a custody event through the ORM."""


class CustodyQuerySet(ScopedQuerySet["CustodyEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise CustodyLogIsAppendOnly("custody events cannot be updated")

    def delete(self) -> NoReturn:
        raise CustodyLogIsAppendOnly("custody events cannot be deleted")


class CustodyEvent(Scoped, models.Model):
    """One link in an item's chain of custody: who had it, did what, when, where and why."""

    scope_path: ClassVar[str] = "evidence__store"
    hashed_fields: ClassVar[tuple[str, ...]] = (
        "evidence_id",
        "seq",
        "action",
        "occurred_at",
        "actor_id",
        "actor_name",
        "location",
        "purpose",
        "from_party",
        "to_party",
        "details",
        "ip",
        "request_id",
        "via",
        "prev_hash",
    )

    evidence = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="custody")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=16, choices=CustodyAction.choices)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField(max_length=200)
    location = models.CharField(max_length=200, blank=True, help_text="Where it happened")
    purpose = models.TextField(blank=True, help_text="Why")
    from_party = models.CharField(max_length=200, blank=True)
    to_party = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    via = models.CharField(max_length=16, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = CustodyQuerySet.as_manager()

    class Meta:
        ordering = ["evidence", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["evidence", "seq"], name="one_custody_seq_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.evidence_id}#{self.seq} {self.action} by {self.actor_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise CustodyLogIsAppendOnly(f"custody event {self.pk} cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise CustodyLogIsAppendOnly(f"custody event {self.pk} cannot be deleted")

    def content(self) -> dict[str, Any]:
        values: dict[str, Any] = {name: getattr(self, name) for name in self.hashed_fields}
        values["occurred_at"] = self.occurred_at.astimezone(UTC).isoformat(timespec="microseconds")
        return values

    def compute_hash(self) -> str:
        canonical = json.dumps(
            self.content(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class PackageStatus(models.TextChoices):
    BUILDING = "building", "Building"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class EvidencePackage(Scoped, AuditedModel):
    """A ZIP for police, prosecutors or insurers: the items the investigator chose (reports,
    statements, originals), the custody of each, a manifest and the SHA-256 of every file.

    A package is built in the background (``status`` and ``task_run`` say how far it got) and
    never changed once built: a rebuild is a new package, the next ``version``, that names the
    one it replaces in ``previous``; the old ZIP stays in the vault and still verifies.
    """

    number = models.CharField(max_length=32, unique=True, editable=False)
    store = models.ForeignKey("core.Store", on_delete=models.PROTECT, related_name="packages")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="packages"
    )
    incident = models.ForeignKey(
        "cases.Incident", null=True, blank=True, on_delete=models.PROTECT, related_name="packages"
    )
    purpose = models.CharField(max_length=200, help_text="Who it is for and why")
    status = models.CharField(
        max_length=16, choices=PackageStatus.choices, default=PackageStatus.READY
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rebuilds",
        help_text="The earlier version this package replaces",
    )
    selection = models.JSONField(
        default=dict, blank=True, editable=False, help_text="What the investigator chose"
    )
    basis = models.JSONField(
        default=dict, blank=True, editable=False,
        help_text="What the case or incident held when it was built, to tell it out of date",
    )  # fmt: skip
    task_run = models.ForeignKey(
        "core.TaskRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.TextField(blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    size = models.PositiveBigIntegerField(default=0, editable=False)
    manifest = models.JSONField(default=dict, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet["EvidencePackage"].as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset(
        {"manifest", "created_at", "selection", "basis", "task_run", "error"}
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.number} ({self.purpose})"

    @property
    def filename(self) -> str:
        return f"{self.number}.zip"

    @property
    def is_ready(self) -> bool:
        return self.status == PackageStatus.READY

    @property
    def matter(self) -> Any:
        """The case or the incident the package was built for."""
        return self.case or self.incident


class DownloadRoute(models.TextChoices):
    PAGE = "page", "Signed in, package page"
    API = "api", "API"
    LINK = "link", "Share link"
    PORTAL = "portal", "Recipient's portal"


class PackageDownloadQuerySet(ScopedQuerySet["PackageDownload"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise CustodyLogIsAppendOnly("package downloads cannot be updated")

    def delete(self) -> NoReturn:
        raise CustodyLogIsAppendOnly("package downloads cannot be deleted")


class PackageDownload(Scoped, models.Model):
    """One download of a package's ZIP: who, when, by which route, from where.

    Append-only, like the custody log (each item in the package also gets a "downloaded"
    custody event); this is the package's own log, shown on its page.
    """

    scope_path: ClassVar[str] = "package__store"

    # Cascades only when retention purges the package (and its links) as a whole.
    package = models.ForeignKey(EvidencePackage, on_delete=models.CASCADE, related_name="downloads")
    downloaded_at = models.DateTimeField(default=timezone.now)
    route = models.CharField(max_length=16, choices=DownloadRoute.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    name = models.CharField(max_length=200, help_text="Who downloaded it, as they were known")
    share_link = models.ForeignKey(
        "ShareLink", null=True, blank=True, on_delete=models.CASCADE, related_name="downloads"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    objects = PackageDownloadQuerySet.as_manager()

    class Meta:
        ordering = ["-downloaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.package_id} downloaded by {self.name} ({self.route})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise CustodyLogIsAppendOnly(f"package download {self.pk} cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise CustodyLogIsAppendOnly(f"package download {self.pk} cannot be deleted")


class ShareLink(Scoped, AuditedModel):
    """A read-only, expiring, revocable link to one package for someone outside the company.

    Only the SHA-256 of the link's secret is stored; the link itself is shown once.
    """

    scope_path: ClassVar[str] = "package__store"

    package = models.ForeignKey(EvidencePackage, on_delete=models.PROTECT, related_name="shares")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False)
    recipient = models.CharField(max_length=200, help_text="Name of the person it is for")
    agency = models.CharField(max_length=200, blank=True, help_text="Police agency, firm, insurer")
    email = models.EmailField(blank=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    uses = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet["ShareLink"].as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset(
        {"token_hash", "created_at", "last_used_at", "uses"}
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"share {self.prefix}… of {self.package.number} for {self.recipient}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


def offset_text(seconds: Decimal | None) -> str:
    """A clock offset as an officer says it: "runs 12.5 s ahead" / "runs 3 s behind"."""
    if seconds is None:
        return "not recorded"
    if seconds == 0:
        return "in sync"
    direction = "ahead" if seconds > 0 else "behind"
    return f"runs {abs(seconds).normalize():f} s {direction}"
