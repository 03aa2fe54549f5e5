"""The tamper-evident audit log: append-only rows chained by SHA-256.

Each ``AuditEvent`` stores the hash of its own content and the hash of the row before it,
so altering, deleting or inserting a row breaks the chain at that row; ``vigil audit
verify`` (``vigil.core.audit.verify_chain``) finds it. ``AuditChainHead`` remembers the last
sequence number and hash, which catches rows cut off the end of the chain.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models

from vigil.core.scoping import ScopedQuerySet

GENESIS_HASH = "0" * 64


class AuditAction(models.TextChoices):
    LOGIN = "login", "Signed in"
    LOGIN_FAILED = "login_failed", "Sign-in failed"
    LOGIN_THROTTLED = "login_throttled", "Sign-in refused (too many failures)"
    LOGOUT = "logout", "Signed out"
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"
    USER_CREATE = "user_create", "User created"
    ROLE_CHANGE = "role_change", "Role changed"
    PERMISSION_CHANGE = "permission_change", "Permissions changed"
    PASSWORD_CHANGE = "password_change", "Password changed"
    TOKEN_CREATE = "token_create", "API token created"
    TOKEN_REVOKE = "token_revoke", "API token revoked"
    EXPORT = "export", "Exported"
    VERIFY = "verify", "Audit chain verified"
    EVIDENCE_VERIFY = "evidence_verify", "Evidence verified"
    SHARE_ACCESS = "share_access", "Share link used"
    LEAD_REVIEW = "lead_review", "POS lead reviewed"
    SHARE_GRANT = "share_grant", "Shared with an outside party"
    SHARE_REVOKE = "share_revoke", "Sharing revoked"
    SHARED_OPEN = "shared_open", "Shared item opened"
    SHARED_DOWNLOAD = "shared_download", "Shared item downloaded"
    REQUEST_RECEIVED = "request_received", "Information request received"
    REQUEST_ANSWERED = "request_answered", "Information request answered"
    LEGAL_HOLD = "legal_hold", "Legal hold placed"
    LEGAL_HOLD_RELEASE = "legal_hold_release", "Legal hold released"
    RETENTION_PURGE = "retention_purge", "Purged under the retention policy"
    RETENTION_POLICY = "retention_policy", "Retention policy changed"
    TWO_FACTOR_ENROL = "two_factor_enrol", "Two-factor method added"
    TWO_FACTOR_REMOVE = "two_factor_remove", "Two-factor method removed"
    TWO_FACTOR_FAILED = "two_factor_failed", "Two-factor check failed"
    TWO_FACTOR_POLICY = "two_factor_policy", "Two-factor policy changed"
    RECOVERY_CODE_USED = "recovery_code_used", "Recovery code used"
    PASSWORD_RESET = "password_reset", "Password reset by e-mail link"
    INTEL_DECISION = "intel_decision", "Link suggestion decided"
    INTEL_IGNORE_VALUE = "intel_ignore_value", "Value ignored for matching"
    INTEL_PROFILE_VIEW = "intel_profile_view", "Person-of-interest profile viewed"
    INTEL_NETWORK_VIEW = "intel_network_view", "Network viewed"


class AppendOnlyQuerySet(ScopedQuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("audit events cannot be updated")

    def delete(self) -> NoReturn:
        raise AuditLogIsAppendOnly("audit events cannot be deleted")


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or remove an audit event through the ORM."""


class AuditEvent(models.Model):
    """One thing that happened: who did what to which object, when, from where."""

    hashed_fields: ClassVar[tuple[str, ...]] = (
        "seq",
        "occurred_at",
        "actor_id",
        "actor_username",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "store_id",
        "request_id",
        "ip",
        "via",
        "changes",
        "prev_hash",
    )

    seq = models.PositiveBigIntegerField(primary_key=True)
    occurred_at = models.DateTimeField(db_index=True)
    # No database constraints: deleting a user or store must never touch the log.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_username = models.CharField(max_length=150, blank=True, db_index=True)
    action = models.CharField(max_length=32, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(max_length=100, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    store = models.ForeignKey(
        "core.Store",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    request_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True)
    via = models.CharField(max_length=16, blank=True, help_text="web, api, cli or task")
    changes = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    # The same store path as every scoped model: events of a store are visible to its users.
    scope_path: ClassVar[str] = "store"

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["action", "actor_username", "occurred_at"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type} {self.object_id}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly(f"audit event {self.seq} cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly(f"audit event {self.seq} cannot be deleted")

    def content(self) -> dict[str, Any]:
        """The hashed content, in a form that reads the same back from any database."""
        values: dict[str, Any] = {name: getattr(self, name) for name in self.hashed_fields}
        values["occurred_at"] = self.occurred_at.isoformat(timespec="microseconds")
        return values

    def compute_hash(self) -> str:
        canonical = json.dumps(
            self.content(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class AuditChainHead(models.Model):
    """The single row that records where the chain ends; locked while appending."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"audit chain head at #{self.seq}"
