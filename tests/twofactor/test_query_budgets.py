"""Query budgets of the two-factor pages: one's own sign-in and security page, and the
administrators' policy page, answer in the same number of queries for 3 devices or users as
for 30 (see ``tests.budgets``). Both run with the policy enforced, gate and all."""

from __future__ import annotations

import hashlib
import itertools
from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from django_otp_webauthn.models import WebAuthnCredential

from tests.budgets import assert_flat
from tests.conftest import make_user
from tests.twofactor.conftest import enrol_app, sign_in
from vigil.core.models import Role, User
from vigil.twofactor import policy

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


def _add_devices(user: User, count: int) -> None:
    """``count`` more authenticator apps and passkeys, as someone with a phone, a tablet and a
    security key per desk would have (stored as django-otp and django-otp-webauthn store them)."""
    for _ in range(count):
        number = next(_numbers)
        TOTPDevice.objects.create(
            user=user, name=f"Phone {number}", key=random_hex(20), confirmed=True
        )
        credential_id = f"credential-{number}".encode()
        WebAuthnCredential.objects.create(
            user=user,
            name=f"Security key {number}",
            confirmed=True,
            credential_id=credential_id,
            credential_id_sha256=hashlib.sha256(credential_id).hexdigest(),
            public_key=b"public key",
            aaguid="00000000-0000-0000-0000-000000000000",
        )


def test_the_security_page_has_a_fixed_budget_however_many_devices(officer: User) -> None:
    # Signed in the real way: password, then a first app, which verifies the session.
    client = Client()
    sign_in(client, officer)
    enrol_app(client)

    def grow(count: int) -> None:
        _add_devices(officer, count)

    assert_flat(client, "/account/security/", grow, budget=12)
    shown = client.get("/account/security/").content.decode().count('class="device"')
    assert shown == 1 + 2 * 30  # the first app, and every one added


def test_the_policy_page_has_a_fixed_budget_however_many_users(db: Any) -> None:
    # An administrator under a policy that asks nothing of them (tests/twofactor/test_policy).
    policy.set_policy([Role.LP_MANAGER, Role.LP_OFFICER], demo_logins_exempt=False)
    admin = make_user(Role.ADMIN, everything=True, username="boss")
    client = Client()
    client.force_login(admin)
    roles = [Role.LP_MANAGER, Role.LP_OFFICER, Role.STORE_MANAGER, Role.AUDITOR]

    def grow(count: int) -> None:
        for number in range(count):
            user = make_user(roles[number % len(roles)])
            if number % 2:
                _add_devices(user, 1)

    assert_flat(client, "/two-factor-policy/", grow, budget=12)
