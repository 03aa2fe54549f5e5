"""Passkeys (WebAuthn) as a second factor, through django-otp-webauthn.

The relying party is the host Vigil is opened at, and the origins it accepts are the ones
Django's CSRF check accepts: this request's own (its Host already checked against
``ALLOWED_HOSTS``) and ``CSRF_TRUSTED_ORIGINS``. A passkey is bound to that host name: move
Vigil to another name and its users register their passkeys again.

The library's ceremony views are used as they are, with the audit log written around them;
passwordless sign-in is off, so a passkey is only ever asked for after the password.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views as webauthn_views
from django_otp_webauthn.helpers import WebAuthnHelper

from vigil.core.audit import record
from vigil.core.models.audit import AuditAction
from vigil.twofactor import devices


def relying_party_id(request: HttpRequest) -> str:
    """The host name (no port) this request came to: the WebAuthn RP ID."""
    return request.get_host().rsplit(":", 1)[0].strip("[]") if request else ""


class VigilWebAuthnHelper(WebAuthnHelper):  # type: ignore[misc]
    def get_allowed_origins(self) -> list[str]:
        own = f"{self.request.scheme}://{self.request.get_host()}"
        return [own, *settings.CSRF_TRUSTED_ORIGINS]


class PasskeyRegistrationBegin(webauthn_views.BeginCredentialRegistrationView):  # type: ignore[misc]
    pass


class PasskeyRegistrationComplete(webauthn_views.CompleteCredentialRegistrationView):  # type: ignore[misc]
    """Registers the passkey and logs it; a first passkey also verifies this session."""

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().post(*args, **kwargs)
        device = devices.passkeys(self.request.user).order_by("-pk").first()
        if response.status_code == 200 and device is not None:
            record(AuditAction.TWO_FACTOR_ENROL, obj=device, changes={"kind": "passkey"})
        return response


class PasskeyAuthenticationBegin(webauthn_views.BeginCredentialAuthenticationView):  # type: ignore[misc]
    pass


class PasskeyAuthenticationComplete(webauthn_views.CompleteCredentialAuthenticationView):  # type: ignore[misc]
    """The second factor by passkey: a sign-in event when it holds, a failed one when not."""

    def complete_auth(self, device: Any) -> Any:
        result = super().complete_auth(device)
        devices.record_verification(self.request.user, "passkey", ok=True)
        return result

    def handle_exception(self, exc: Exception) -> HttpResponse:
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated:
            devices.record_verification(user, "passkey", ok=False)
        response: HttpResponse = super().handle_exception(exc)
        return response


# The ceremony endpoints keep the library's URL names: its template tag reverses them.
urlpatterns = [
    path(
        "registration/begin/",
        PasskeyRegistrationBegin.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        PasskeyRegistrationComplete.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        PasskeyAuthenticationBegin.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        PasskeyAuthenticationComplete.as_view(),
        name="credential-authentication-complete",
    ),
    # The library's script reads its messages through gettext(): served here, never inline.
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
