"""The demo's part of two-factor sign-in: its logins sign in with the demo password alone."""

from __future__ import annotations

from vigil.twofactor import policy


def seed() -> None:
    """Mark this installation as a demo (the sign-in page says so). Only the demo's own
    logins are waived; every other user still follows the two-factor policy."""
    policy.mark_demo()
