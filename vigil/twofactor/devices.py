"""A user's second factors: TOTP apps, passkeys and single-use recovery codes.

The crypto is django-otp's (TOTP, RFC 6238) and py_webauthn's (through django-otp-webauthn);
this module decides what a user has, adds and removes devices, checks a typed code, and
writes each of those to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import segno
from django.db import transaction
from django.db.models import QuerySet
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import (
    StaticDevice,
    StaticToken,
)
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from django_otp_webauthn.models import WebAuthnCredential

from vigil.core.audit import record
from vigil.core.models import User
from vigil.core.models.audit import AuditAction

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "Recovery codes"
TOTP_DIGITS = 6


@dataclass(frozen=True)
class Verification:
    """The outcome of a typed code: the device that took it, or why none did."""

    device: Any = None
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.device is not None


def authenticator_apps(user: User) -> QuerySet[Any]:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("created_at")  # type: ignore[no-any-return]


def passkeys(user: User) -> QuerySet[Any]:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at")  # type: ignore[no-any-return]


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()  # type: ignore[no-any-return]


def has_primary_device(user: User) -> bool:
    """A TOTP app or a passkey: what a user enrols; recovery codes only stand in for one."""
    return authenticator_apps(user).exists() or passkeys(user).exists()


def has_any_factor(user: User) -> bool:
    """Anything the user could verify with, recovery codes included."""
    return has_primary_device(user) or recovery_codes_left(user) > 0


def new_totp_key() -> str:
    """A fresh TOTP secret (20 random bytes, hex), kept in the session until confirmed."""
    return str(random_hex(20))


def totp_uri(user: User, key: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads (issuer ``OTP_TOTP_ISSUER``)."""
    return str(TOTPDevice(user=user, key=key).config_url)


def totp_secret(user: User, key: str) -> str:
    """The base32 secret, for typing into an app by hand, in groups of four."""
    import base64

    secret = base64.b32encode(TOTPDevice(user=user, key=key).bin_key).decode("ascii")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(uri: str) -> str:
    """The URI as an inline SVG QR code: no script, no style attribute, no request."""
    code = segno.make(uri, error="m")
    svg: str = code.svg_inline(
        scale=5, dark="#000", light="#fff", svgclass="totp-qr", title="QR code to scan"
    )
    return svg


def add_authenticator_app(user: User, key: str, code: str, name: str) -> TOTPDevice | None:
    """Store a TOTP device for ``key`` if ``code`` is its current code; ``None`` otherwise."""
    device = TOTPDevice(user=user, key=key, name=name[:64] or "Authenticator app", confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if not _is_totp_code(code) or not totp.verify(int(code), device.tolerance):
        return None
    device.last_t = totp.t()  # the code that confirmed it cannot sign in too
    device.save()
    record(AuditAction.TWO_FACTOR_ENROL, obj=device, changes={"kind": "authenticator app"})
    return device


def issue_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with new ones and return them (shown once)."""
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
        record(
            AuditAction.TWO_FACTOR_ENROL,
            obj=device,
            changes={"kind": "recovery codes", "count": len(codes)},
        )
    return codes


def verify_code(user: User, typed: str) -> Verification:
    """Check a typed TOTP code (six digits) or a recovery code; each recovery code works once.

    django-otp throttles each device after a wrong code (1, 2, 4… seconds), so guessing is
    slow even before the sign-in throttle counts the failures in the audit log.
    """
    code = "".join(typed.split()).replace("-", "").lower()
    candidates = authenticator_apps(user) if _is_totp_code(code) else _recovery_devices(user)
    locked_until: datetime | None = None
    with transaction.atomic():
        for device in candidates.select_for_update():
            allowed, why = device.verify_is_allowed()
            if not allowed:
                locked_until = (why or {}).get("locked_until")
                continue
            if device.verify_token(code):
                return Verification(device=device)
    return Verification(locked_until=locked_until)


def record_verification(user: User, method: str, ok: bool) -> None:
    """A second factor accepted (the sign-in is complete) or refused."""
    changes: dict[str, Any] = {"second_factor": method}
    if not ok:
        record(AuditAction.TWO_FACTOR_FAILED, obj=user, changes=changes)
    elif method == "recovery code":
        changes["codes_left"] = recovery_codes_left(user)
        record(AuditAction.RECOVERY_CODE_USED, obj=user, changes=changes)
    else:
        record(AuditAction.LOGIN, obj=user, changes=changes)


def method_of(device: Any) -> str:
    """How a device is named in the audit log and on pages."""
    if isinstance(device, TOTPDevice):
        return "authenticator app"
    if isinstance(device, StaticDevice):
        return "recovery code"
    return "passkey"


def remove_device(device: Any) -> None:
    """Delete one of the user's devices (found through their own lists, so never another's)."""
    record(AuditAction.TWO_FACTOR_REMOVE, obj=device, changes={"kind": method_of(device)})
    device.delete()


def remove_all(user: User) -> int:
    """An administrator's reset for a user who lost every factor: all of them go, and the
    user enrols again at the next sign-in (if the policy requires it)."""
    removed = [*authenticator_apps(user), *passkeys(user), *_recovery_devices(user)]
    with transaction.atomic():
        for device in removed:
            changes = {"kind": method_of(device), "user": user.username, "reset": True}
            record(AuditAction.TWO_FACTOR_REMOVE, obj=device, changes=changes)
            device.delete()
    return len(removed)


def _recovery_devices(user: User) -> QuerySet[Any]:
    return StaticDevice.objects.filter(user=user, confirmed=True)  # type: ignore[no-any-return]


def _is_totp_code(code: str) -> bool:
    return len(code) == TOTP_DIGITS and code.isascii() and code.isdigit()
