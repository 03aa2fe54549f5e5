"""Issuing, checking and revoking API tokens.

A token reads ``vgl_<prefix>_<secret>``. The prefix finds the row; only the SHA-256 of the
whole token is stored, compared in constant time. The plain token is shown once, at issue.
Tokens are random 256-bit values, so a plain SHA-256 is enough: there is nothing to guess.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from vigil.core.models import ApiToken, Role

if TYPE_CHECKING:
    from vigil.core.models import User

TOKEN_PREFIX = "vgl"  # noqa: S105 - the visible marker of a Vigil token
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def issue(
    user: User, *, name: str, days: int | None = None, created_by: User | None = None
) -> tuple[ApiToken, str]:
    """Create a token acting as ``user``; returns the row and the plain token (shown once)."""
    if user.role == Role.EXTERNAL:
        raise ValidationError(
            "External users (police, legal, insurers) read what is shared with them in the "
            "portal; they hold no API tokens."
        )
    days = settings.VIGIL_API_TOKEN_DEFAULT_DAYS if days is None else days
    if not 1 <= days <= settings.VIGIL_API_TOKEN_MAX_DAYS:
        raise ValidationError(
            f"A token lives 1 to {settings.VIGIL_API_TOKEN_MAX_DAYS} days, not {days}."
        )
    if not name.strip():
        raise ValidationError("Give the token a name that says what uses it.")
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=prefix,
        secret_hash=_digest(raw),
        created_by=created_by,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, raw


def authenticate(raw: str, ip: str | None = None) -> User | None:
    """The active user behind a live token, or None; notes when it was last used."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _digest(raw)):
        return None
    if not token.is_active or not token.user.is_active:
        return None
    if token.user.role == Role.EXTERNAL:
        # Their world is the portal, reached signed in; a token made before a role change
        # to external must not reach the company's API.
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip)
    return token.user


def revoke(token: ApiToken) -> ApiToken:
    """Stop a token working from now on; the row stays, for the record."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save()
    return token
