"""Who must sign in with a second factor, and the demo's exemption.

A real installation enforces the policy an administrator sets (by default every internal
role). ``vigil demo`` marks the installation as a demo, and then only the demo's own logins,
whose shared password it prints, sign in with the password alone; any other user still follows
the policy. ``VIGIL_TWO_FACTOR_ENFORCED`` is a fixed setting, not an environment variable:
only the test suite turns it off, so that its thousands of ``force_login`` calls need no device.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from vigil.core.demo import LOGINS
from vigil.twofactor.models import TwoFactorPolicy

DEMO_USERNAMES: frozenset[str] = frozenset(row[0] for row in LOGINS)


def current_policy() -> TwoFactorPolicy:
    """The stored policy, or the default (internal roles, no demo) before anyone saved one."""
    return TwoFactorPolicy.objects.filter(pk=TwoFactorPolicy.SINGLETON_PK).first() or (
        TwoFactorPolicy(pk=TwoFactorPolicy.SINGLETON_PK)
    )


def set_policy(required_roles: list[str], *, demo_logins_exempt: bool) -> TwoFactorPolicy:
    """Store the policy (the change is written to the audit log by the model)."""
    policy = current_policy()
    policy.required_roles = required_roles
    policy.demo_logins_exempt = demo_logins_exempt
    policy.full_clean()
    policy.save()
    return policy


def mark_demo() -> TwoFactorPolicy:
    """What ``vigil demo`` does: its logins may sign in with the demo password alone."""
    policy = current_policy()
    if not policy.demo_logins_exempt or policy._state.adding:
        policy.demo_logins_exempt = True
        policy.save()
    return policy


def demo_exempt(user: Any, policy: TwoFactorPolicy | None = None) -> bool:
    """Whether ``user`` is one of the demo's logins on an installation marked as a demo."""
    policy = policy or current_policy()
    return policy.demo_logins_exempt and user.get_username() in DEMO_USERNAMES


def is_required(user: Any, policy: TwoFactorPolicy | None = None) -> bool:
    """Whether ``user`` must have, and sign in with, a second factor."""
    if not getattr(settings, "VIGIL_TWO_FACTOR_ENFORCED", True):
        return False
    if user is None or not user.is_authenticated:
        return False
    policy = policy or current_policy()
    return policy.requires(user.role) and not demo_exempt(user, policy)
