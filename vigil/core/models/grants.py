"""Sharing with people outside the company: agencies, and grants of exactly one object each.

A grant names what is shared (one case, incident, evidence package or evidence item), with
whom (one external user, or every member of an agency), why, and until when. Grants are never
deleted: a revoked or expired one stays, for the record of who could see what, and when.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from vigil.core.changelog import AuditedModel
from vigil.core.scoping import Scoped, ScopedQuerySet


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police"
    PROSECUTOR = "prosecutor", "Prosecutor"
    LEGAL = "legal", "Legal counsel"
    INSURER = "insurer", "Insurer"
    OTHER = "other", "Other"


class Agency(AuditedModel):
    """A police force, law firm or insurer: a group of external users shared with as one.

    Sharing with an agency reaches every member, present and future; a member who leaves the
    agency (or is deactivated) loses what came through it at once.
    """

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=16, choices=AgencyKind.choices, default=AgencyKind.POLICE)
    contact_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"created_at"})

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class AccessGrantQuerySet(ScopedQuerySet["AccessGrant"]):
    def live(self) -> AccessGrantQuerySet:
        """Grants in force now: not revoked, not past their end."""
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        )

    def reaching(self, user: object) -> AccessGrantQuerySet:
        """Grants made to ``user`` directly or to the agency they belong to."""
        condition = Q(grantee_id=getattr(user, "pk", None))
        agency_id = getattr(user, "agency_id", None)
        if agency_id is not None:
            condition |= Q(agency_id=agency_id)
        return self.filter(condition)


class AccessGrant(Scoped, AuditedModel):
    """Read-only access to exactly one object, for one external user or agency, until it ends.

    ``store`` is the shared object's store, so the company's own people see (and revoke)
    the grants of the stores they work for, through the same store scope as everything else.
    """

    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="access_grants",
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="grants"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    shared_object = GenericForeignKey("content_type", "object_id")
    store = models.ForeignKey(
        "core.Store", null=True, on_delete=models.PROTECT, related_name="access_grants"
    )
    reason = models.CharField(
        max_length=300, help_text="Why it is shared, e.g. a police report no."
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.CharField(max_length=300, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    objects = AccessGrantQuerySet.as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"granted_at", "last_opened_at"})

    class Meta:
        ordering = ["-granted_at"]
        indexes = [
            models.Index(fields=["grantee", "content_type", "object_id"]),
            models.Index(fields=["agency", "content_type", "object_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(grantee__isnull=False, agency__isnull=True)
                    | Q(grantee__isnull=True, agency__isnull=False)
                ),
                name="grant_to_one_user_or_one_agency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id} shared with {self.recipient}"

    def audit_action_for(self, created: bool, changes: dict[str, Any]) -> str:
        from vigil.core.models.audit import AuditAction

        if created:
            return AuditAction.SHARE_GRANT
        if "revoked_at" in changes and self.revoked_at is not None:
            return AuditAction.SHARE_REVOKE
        return AuditAction.UPDATE

    @property
    def recipient(self) -> str:
        """Who it is shared with, as a reader would name them."""
        if self.agency_id is not None:
            return str(self.agency)
        user = self.grantee
        if user is None:
            return ""
        name = user.get_full_name() or user.username
        where = user.agency.name if user.agency is not None else user.organisation_name
        return f"{name} ({where})" if where else name

    @property
    def is_live(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
