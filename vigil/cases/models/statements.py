"""Witness statements, kept as hashed versions.

A statement is typed in the app or uploaded as a scan. Until it is signed, each save is a new
version; signing attests the newest version and locks it. A correction after signing is a new
version (signed again in its turn); nothing written is ever overwritten.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from vigil.cases.models.cases import AppendOnlyModel
from vigil.core import clock
from vigil.core.changelog import AuditedModel
from vigil.core.limits import LONG_TEXT_CHARS, TextLimit, future_error
from vigil.core.scoping import Scoped, ScopedQuerySet


class StatementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


class StatementMethod(models.TextChoices):
    TYPED = "typed", "Typed in Vigil"
    SCAN = "scan", "Uploaded scan"


class Statement(Scoped, AuditedModel):
    """A witness's account of an incident, in their words."""

    store = models.ForeignKey("core.Store", on_delete=models.PROTECT, related_name="statements")
    incident = models.ForeignKey(
        "cases.Incident", null=True, blank=True, on_delete=models.PROTECT, related_name="statements"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="statements"
    )
    witness_name = models.CharField(max_length=200)
    witness_contact = models.CharField(max_length=200, blank=True)
    witness_person = models.ForeignKey(
        "core.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    place = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=40, default="English")
    method = models.CharField(
        max_length=8, choices=StatementMethod.choices, default=StatementMethod.TYPED
    )
    status = models.CharField(
        max_length=8, choices=StatementStatus.choices, default=StatementStatus.DRAFT
    )

    objects = ScopedQuerySet["Statement"].as_manager()

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return (
            f"Statement of {self.witness_name} ({clock.date_at_store(self.started_at, self.store)})"
        )

    def clean(self) -> None:
        # A statement is written down as it is given: it cannot start, or end, later than now,
        # nor end before it started.
        store = self.store if self.store_id else None
        errors = {
            name: message
            for name in ("started_at", "ended_at")
            if (message := future_error(getattr(self, name), store)) is not None
        }
        started, ended = self.started_at, self.ended_at
        if "ended_at" not in errors and started and ended and ended < started:
            errors["ended_at"] = "The statement cannot end before it started."
        if errors:
            raise ValidationError(errors)

    @property
    def current(self) -> StatementVersion | None:
        return self.versions.order_by("-number").first()

    def after_audit(self, event: Any) -> None:
        if self.case_id is not None:
            from vigil.cases.timeline import record_change

            record_change(self.case, event, about=self)  # type: ignore[arg-type]


class StatementVersion(Scoped, AppendOnlyModel, AuditedModel):
    """One version of a statement: its words (or its scan), its attestation, and its hash.

    ``sha256`` covers the words, the scan's hash, the attestation and the previous version's
    hash, so the versions of one statement form a chain as well.
    """

    scope_path: ClassVar[str] = "statement__store"

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    body = models.TextField(blank=True, validators=[TextLimit(LONG_TEXT_CHARS)])
    scan = models.ForeignKey(
        "evidence.EvidenceItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=200, blank=True, help_text="Why this version exists")
    attested_name = models.CharField(max_length=200, blank=True)
    signature_png = models.TextField(blank=True, help_text="Drawn signature as a PNG data URL")
    attested_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    prev_sha256 = models.CharField(max_length=64, blank=True)
    sha256 = models.CharField(max_length=64)

    objects = ScopedQuerySet["StatementVersion"].as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"body", "signature_png"})

    class Meta:
        ordering = ["statement", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "number"], name="one_number_per_statement_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.statement} v{self.number}"

    @property
    def is_signed(self) -> bool:
        return self.attested_at is not None

    def content(self) -> dict[str, Any]:
        return {
            "statement": self.statement_id,
            "number": self.number,
            "body": self.body,
            "scan_sha256": self.scan.sha256 if self.scan_id is not None and self.scan else "",
            "attested_name": self.attested_name,
            "signature_png": self.signature_png,
            "attested_at": self.attested_at.isoformat() if self.attested_at else "",
            "created_at": self.created_at.isoformat(),
            "prev_sha256": self.prev_sha256,
        }

    def compute_hash(self) -> str:
        canonical = json.dumps(self.content(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
