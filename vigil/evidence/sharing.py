"""Share links: a package handed to someone outside the company, and nothing else.

A link carries a random secret (``vgs_<prefix>_<secret>``); only its SHA-256 is stored. It
opens one package read-only until it expires or is revoked. Every use is written to the
audit log and, for each item in the package, to its chain of custody.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from vigil.core import audit
from vigil.core.context import Actor, acting_as, current_actor
from vigil.core.models import AuditAction, User
from vigil.core.roles import Capability, require
from vigil.evidence import custody
from vigil.evidence.models import CustodyAction, EvidenceItem, EvidencePackage, ShareLink

MAX_DAYS = 90
PREFIX_LEN = 8


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def share(
    user: User,
    package: EvidencePackage,
    *,
    recipient: str,
    agency: str = "",
    email: str = "",
    days: int = 14,
) -> tuple[ShareLink, str]:
    """A new link for ``recipient``; returns the row and the secret token (shown once)."""
    require(user, Capability.INVESTIGATE)
    if not recipient.strip():
        raise ValidationError({"recipient": "Name the person the package is shared with."})
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError({"days": f"A share link lasts 1 to {MAX_DAYS} days."})
    prefix = secrets.token_hex(PREFIX_LEN // 2)
    token = f"vgs_{prefix}_{secrets.token_urlsafe(32)}"
    link = ShareLink(
        package=package,
        token_hash=_digest(token),
        prefix=prefix,
        recipient=recipient.strip(),
        agency=agency.strip(),
        email=email.strip(),
        expires_at=timezone.now() + timedelta(days=days),
        created_by=user,
    )
    link.full_clean()
    link.save()
    return link, token


def revoke(user: User, link: ShareLink) -> ShareLink:
    require(user, Capability.INVESTIGATE)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save()
    return link


def resolve(token: str) -> ShareLink | None:
    """The live link for ``token``; None for unknown, expired or revoked ones (logged)."""
    if not token.startswith("vgs_") or len(token) > 100:
        return None
    link = (
        ShareLink.objects.select_related("package__store").filter(token_hash=_digest(token)).first()
    )
    if link is None:
        return None
    if not link.is_live:
        _record(link, "refused", reason="revoked" if link.revoked_at else "expired")
        return None
    return link


def record_access(link: ShareLink, what: str) -> None:
    """Log one use of a live link: audit log, and custody of every item in the package."""
    action = CustodyAction.DOWNLOADED if what == "download" else CustodyAction.VIEWED
    party = f"{link.recipient}{f' ({link.agency})' if link.agency else ''}"
    with transaction.atomic(), acting_as(_share_actor(link)):
        _record(link, what)
        ShareLink.objects.filter(pk=link.pk).update(uses=F("uses") + 1, last_used_at=timezone.now())
        for item in items_in(link.package):
            custody.log(
                item,
                action,
                to_party=party,
                purpose=f"Shared package {link.package.number} {what} through link {link.prefix}…",
                details={"share_link": link.prefix, "package": link.package.number},
            )


def record_download(package: EvidencePackage) -> None:
    """A signed-in user downloaded the package: a custody event on every item in it."""
    for item in items_in(package):
        custody.log(
            item,
            CustodyAction.DOWNLOADED,
            purpose=f"Evidence package {package.number} downloaded",
            details={"package": package.number},
        )


def items_in(package: EvidencePackage) -> list[EvidenceItem]:
    numbers = [row["number"] for row in package.manifest.get("evidence", [])]
    return list(EvidenceItem.objects.filter(number__in=numbers).order_by("pk"))


def _share_actor(link: ShareLink) -> Actor:
    now = current_actor()
    return Actor(
        username=f"share:{link.prefix}:{link.recipient}"[:150],
        via="share",
        request_id=now.request_id,
        ip=now.ip,
    )


def _record(link: ShareLink, what: str, reason: str = "") -> None:
    audit.record(
        AuditAction.SHARE_ACCESS,
        obj=link.package,
        store_id=link.package.store_id,
        changes={"link": link.prefix, "recipient": link.recipient, "what": what, "reason": reason},
    )
