"""Share links: a package handed to someone outside the company, and nothing else.

A link carries a random secret (``vgs_<prefix>_<secret>``); only its SHA-256 is stored. It
opens one package read-only until it expires or is revoked. The link is e-mailed to the
recipient (:func:`send_link`); when their address is a Vigil external user's, the package is
also shared into their portal (an access grant, :mod:`vigil.sharing.grants`). Every use is
written to the audit log and, for each item in the package, to its chain of custody; every
download, by whatever route, to the package's own download log (:class:`PackageDownload`).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import smtplib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from vigil.core import audit
from vigil.core.context import Actor, acting_as, current_actor
from vigil.core.models import AccessGrant, AuditAction, Role, User
from vigil.core.roles import Capability, require
from vigil.evidence import custody
from vigil.evidence.models import (
    CustodyAction,
    DownloadRoute,
    EvidenceItem,
    EvidencePackage,
    PackageDownload,
    ShareLink,
)

logger = logging.getLogger(__name__)

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
    if not package.is_ready:
        raise ValidationError(
            f"{package.number} is {package.get_status_display().lower()}: only a built "
            "package can be shared."
        )
    errors: dict[str, str] = {}
    if not recipient.strip():
        errors["recipient"] = "Name the person the package is shared with."
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = f"A share link lasts 1 to {MAX_DAYS} days."
    if email.strip():
        try:
            validate_email(email.strip())
        except ValidationError:
            errors["email"] = f"“{email.strip()}” is not an e-mail address (name@agency.gov)."
    if errors:
        raise ValidationError(errors)
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


@dataclass(frozen=True)
class Delivery:
    """How a new link reached its recipient: by e-mail (or why not), and into a portal."""

    emailed: bool
    problem: str = ""
    grant: AccessGrant | None = None


def send_link(
    user: User, link: ShareLink, url: str, *, portal_url: str = "", site: str = ""
) -> Delivery:
    """E-mail ``url`` to the link's recipient; share into their portal if they have one.

    Sent at once, not queued: the secret is in the message and must never be stored, not
    even in the task queue. A mail server that refuses is reported, and the link stands (the
    page shows it once to pass on by hand)."""
    grant = portal_grant(user, link)
    if not link.email:
        return Delivery(emailed=False, problem="No e-mail address was given.", grant=grant)
    context = {
        "link": link,
        "package": link.package,
        "url": url,
        "portal_url": portal_url if grant is not None else "",
        "sender": user,
        "site": site,
    }
    message = EmailMessage(
        subject=f"Evidence package {link.package.number} from {link.package.store.name}",
        body=render_to_string("evidence/share_link_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[link.email],
        reply_to=[user.email] if user.email else None,
    )
    try:
        message.send()
    except (OSError, smtplib.SMTPException) as exc:
        logger.warning("share link %s: e-mail to %s failed: %s", link.prefix, link.email, exc)
        return Delivery(emailed=False, problem=f"The mail server refused it: {exc}", grant=grant)
    audit.record(
        AuditAction.SHARE_GRANT,
        obj=link.package,
        store_id=link.package.store_id,
        changes={"link": link.prefix, "recipient": link.recipient, "emailed_to": link.email},
    )
    return Delivery(emailed=True, grant=grant)


def portal_grant(user: User, link: ShareLink) -> AccessGrant | None:
    """Share the package into the portal of the external user with the link's e-mail address,
    for as long as the link lasts; None when no such user (or it is shared there already)."""
    from vigil.sharing import grants

    if not link.email:
        return None
    found = User.objects.filter(
        role=Role.EXTERNAL, is_active=True, email__iexact=link.email
    ).first()
    if found is None:
        return None
    why = f"Share link {link.prefix}… for {link.recipient}: {link.package.purpose}"
    try:
        return grants.share(user, link.package, until=link.expires_at, reason=why, grantee=found)
    except ValidationError:  # shared with them already: the portal shows it as it is
        return None


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
        if what == "download":
            _log_download(link.package, DownloadRoute.LINK, name=party, link=link)
        for item in items_in(link.package):
            custody.log(
                item,
                action,
                to_party=party,
                purpose=f"Shared package {link.package.number} {what} through link {link.prefix}…",
                details={"share_link": link.prefix, "package": link.package.number},
            )


def record_download(package: EvidencePackage, route: DownloadRoute | None = None) -> None:
    """A signed-in user downloaded the package (on its page, through the API or from their
    portal): on its download log, and a custody event on every item in it."""
    actor = current_actor()
    user = _user_of(actor)
    if route is None and user is not None and user.role == Role.EXTERNAL:
        route = DownloadRoute.PORTAL
    elif route is None:
        route = DownloadRoute.API if actor.via == "api" else DownloadRoute.PAGE
    name = (user.get_full_name() or user.get_username()) if user is not None else actor.username
    _log_download(package, route, name=name, user=user)
    for item in items_in(package):
        custody.log(
            item,
            CustodyAction.DOWNLOADED,
            purpose=f"Evidence package {package.number} downloaded",
            details={"package": package.number},
        )


def _user_of(actor: Actor) -> User | None:
    return User.objects.filter(pk=actor.user_id).first() if actor.user_id else None


def _log_download(
    package: EvidencePackage,
    route: DownloadRoute,
    *,
    name: str,
    user: User | None = None,
    link: ShareLink | None = None,
) -> PackageDownload:
    actor = current_actor()
    return PackageDownload.objects.create(
        package=package,
        route=route,
        user=user,
        name=name[:200],
        share_link=link,
        ip=actor.ip,
        request_id=actor.request_id,
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
