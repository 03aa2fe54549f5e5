"""Access grants: how one object is shared with an external user (police, legal, insurer)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from vigil.core.changelog import AuditedModel


class AccessGrant(AuditedModel):
    """Read-only access to exactly one object, for one external user, until it expires."""

    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_grants"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    shared_object = GenericForeignKey("content_type", "object_id")
    reason = models.CharField(
        max_length=300, help_text="Why it is shared, e.g. a police report no."
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["grantee", "content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id} shared with {self.grantee}"
