"""The two-factor policy: which roles must sign in with a second factor.

The devices themselves (TOTP apps, recovery codes, passkeys) are django-otp's and
django-otp-webauthn's models; Vigil keeps only the rule of who needs one.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models

from vigil.core.changelog import AuditedModel
from vigil.core.models import Role

# Every internal role sees people, subjects or evidence of its stores; external users see only
# what was shared with them, so by default they may choose a second factor but need not.
DEFAULT_REQUIRED_ROLES: tuple[str, ...] = tuple(
    role.value for role in Role if role != Role.EXTERNAL
)


def default_required_roles() -> list[str]:
    return list(DEFAULT_REQUIRED_ROLES)


class TwoFactorPolicy(AuditedModel):
    """The one row that says which roles need a second factor; every change is audited."""

    SINGLETON_PK: ClassVar[int] = 1
    audit_exclude: ClassVar[frozenset[str]] = frozenset({"updated_at"})

    required_roles = models.JSONField(
        default=default_required_roles,
        blank=True,
        help_text="Role values whose users must sign in with a second factor",
    )
    demo_logins_exempt = models.BooleanField(
        default=False,
        help_text="Set by `vigil demo`: the demo logins sign in with the demo password alone",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "two-factor policy"
        verbose_name_plural = "two-factor policy"

    def __str__(self) -> str:
        return "Two-factor policy"

    def clean(self) -> None:
        known = set(Role.values)
        unknown = [role for role in self.required_roles if role not in known]
        if unknown:
            raise ValidationError({"required_roles": f"Unknown roles: {', '.join(unknown)}."})

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = self.SINGLETON_PK
        self.required_roles = sorted(set(self.required_roles))
        super().save(*args, **kwargs)

    def audit_action_for(self, created: bool, changes: dict[str, Any]) -> str:
        from vigil.core.models.audit import AuditAction

        return AuditAction.TWO_FACTOR_POLICY

    def requires(self, role: str) -> bool:
        return role in self.required_roles
