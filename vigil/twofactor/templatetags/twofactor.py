"""Template tags of the account pages: the sign-in page's notes and the passkey scripts."""

from __future__ import annotations

from typing import Any

from django import template
from django_otp_webauthn.templatetags.otp_webauthn import (
    get_configuration,
)

from vigil.twofactor import policy

register = template.Library()

PASSKEY_SCRIPTS = {
    "register": "django_otp_webauthn/otp_webauthn_register.js",
    "auth": "django_otp_webauthn/otp_webauthn_auth.js",
}


@register.inclusion_tag("twofactor/_sign_in_notes.html")
def sign_in_notes() -> dict[str, Any]:
    """Below the sign-in form: the demo's note (only on a demo) and the password-reset link."""
    return {
        "demo": policy.current_policy().demo_logins_exempt,
        "demo_usernames": sorted(policy.DEMO_USERNAMES),
    }


@register.inclusion_tag("twofactor/_passkey_scripts.html", takes_context=True)
def passkey_scripts(context: template.Context, ceremony: str) -> dict[str, Any]:
    """django-otp-webauthn's script for ``ceremony`` ("register" or "auth"), its settings as a
    JSON data block and its messages from a URL: nothing inline for the CSP to refuse. The
    message catalogue is deferred, not async, so it is there before the module runs."""
    return {
        "configuration": get_configuration(context["request"]),
        "script": PASSKEY_SCRIPTS[ceremony],
    }
