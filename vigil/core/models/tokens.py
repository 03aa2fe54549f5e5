"""API tokens for machines (the video worker, integrations, scripts)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self

from django.conf import settings
from django.db import models
from django.utils import timezone

from vigil.core.changelog import AuditedModel
from vigil.core.scoping import ScopedQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from vigil.core.models.users import User


class ApiTokenQuerySet(ScopedQuerySet["ApiToken"]):
    def visible_to(self, user: User | AnonymousUser | None) -> Self:
        """One's own tokens; user managers also the tokens of the users they can see."""
        from vigil.core.models.users import User
        from vigil.core.roles import Capability, can

        if user is None or not user.is_authenticated:
            return self.none()
        if can(user, Capability.MANAGE_USERS):
            return self.filter(user__in=User.objects.visible_to(user).values("pk"))
        return self.filter(user_id=user.pk)


class ApiToken(AuditedModel):
    """A bearer token acting as one user. Only a SHA-256 of the secret is stored."""

    scope_path: ClassVar[str] = "user__person__home_store"
    audit_exclude: ClassVar[frozenset[str]] = frozenset({"last_used_at", "last_used_ip"})
    audit_masked: ClassVar[frozenset[str]] = frozenset({"secret_hash"})

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What uses it, e.g. 'video worker S101'")
    prefix = models.CharField(max_length=16, unique=True, help_text="Shown to tell tokens apart")
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def audit_action_for(self, created: bool, changes: dict[str, Any]) -> str:
        from vigil.core.models.audit import AuditAction

        if created:
            return AuditAction.TOKEN_CREATE
        if "revoked_at" in changes:
            return AuditAction.TOKEN_REVOKE
        return AuditAction.UPDATE
