"""Two-factor sign-in in a real browser: a passkey registered and used through Chromium's
virtual authenticator (CDP WebAuthn), with the strict Content-Security-Policy watching."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import make_user
from tests.e2e.browsing import sign_in, watch_refusals
from vigil.core.models import AuditEvent, Role
from vigil.core.models.audit import AuditAction

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
}


def test_an_officer_registers_a_passkey_and_signs_in_with_it(
    page: Any, live_server: Any, settings: Any, screenshots: Any
) -> None:
    settings.VIGIL_TWO_FACTOR_ENFORCED = True
    make_user(Role.LP_OFFICER, username="passkey.officer")
    refused = watch_refusals(page)
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})

    sign_in(page, live_server.url, "passkey.officer")
    page.wait_for_url("**/account/two-factor/enrolment/**")
    page.screenshot(path=str(screenshots / "enrolment.png"), full_page=True)
    page.click("#passkey-register-button")
    page.wait_for_selector("#recovery-codes")  # a first factor comes with recovery codes
    assert page.locator("#recovery-codes li").count() == 10
    page.click("text=I have saved them")
    page.wait_for_url(f"{live_server.url}/")

    page.context.clear_cookies()  # a new visit: the password, then the passkey
    sign_in(page, live_server.url, "passkey.officer")
    page.wait_for_url("**/account/two-factor/verification/**")
    page.click("#passkey-verification-button")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("main h1").inner_text() == "Dashboard"
    assert refused == []
    kinds = AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_ENROL).values_list(
        "changes__kind", flat=True
    )
    assert set(kinds) == {"passkey", "recovery codes"}
    assert AuditEvent.objects.filter(
        action=AuditAction.LOGIN, changes__second_factor="passkey"
    ).exists()


def _code_from_secret(secret: str, steps_ahead: int = 0) -> str:
    import base64
    import time

    from django_otp.oath import TOTP

    totp = TOTP(base64.b32decode(secret.replace(" ", "")), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_an_officer_sets_up_an_authenticator_app_from_the_key_on_the_page(
    page: Any, live_server: Any, settings: Any
) -> None:
    settings.VIGIL_TWO_FACTOR_ENFORCED = True
    make_user(Role.LP_OFFICER, username="app.officer")
    refused = watch_refusals(page)
    sign_in(page, live_server.url, "app.officer")
    page.wait_for_url("**/account/two-factor/enrolment/**")
    assert page.locator("svg.totp-qr").is_visible()
    page.click("text=Cannot scan? Type the key instead")
    secret = page.inner_text("#totp-secret")
    page.fill("#id_code", _code_from_secret(secret))
    page.click("text=Add this app")
    page.wait_for_selector("#recovery-codes")
    page.click("text=I have saved them")
    page.wait_for_url(f"{live_server.url}/")

    page.context.clear_cookies()
    sign_in(page, live_server.url, "app.officer")
    page.wait_for_url("**/account/two-factor/verification/**")
    page.fill("#id_code", _code_from_secret(secret, steps_ahead=1))
    page.click("button:has-text('Verify')")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("main h1").inner_text() == "Dashboard"
    assert refused == []
