"""What a signed-in user must do before anything else: nothing, verify, or enrol.

Read by :class:`vigil.twofactor.middleware.TwoFactorMiddleware` on every request, so a role
that requires two-factor cannot reach a page or the API (by session) without it.
"""

from __future__ import annotations

import enum
from typing import Any

from vigil.twofactor import devices, policy


class Step(enum.Enum):
    NONE = "none"
    VERIFY = "verify"  # has a factor; this session has not used it yet
    ENROL = "enrol"  # must have a factor and has none


def is_verified(user: Any) -> bool:
    """This session was verified with a second factor (django-otp's ``OTPMiddleware``)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def step_for(user: Any) -> Step:
    if user is None or not user.is_authenticated or is_verified(user):
        return Step.NONE
    # A factor the user chose to have is always asked for, policy or not.
    if devices.has_any_factor(user):
        return Step.VERIFY
    if policy.is_required(user):
        return Step.ENROL
    return Step.NONE


def may_enrol(user: Any) -> bool:
    """Adding a factor needs this session verified, unless the user has none yet: otherwise a
    stolen password alone could add the thief's own authenticator."""
    return bool(user.is_authenticated) and (is_verified(user) or not devices.has_any_factor(user))
