"""Two-factor fixtures: the policy switched on (as in a real installation), a signed-in
client at the second-factor step, and codes computed from a device's own key."""

from __future__ import annotations

import time
from binascii import unhexlify
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import TOTP

from tests.conftest import PASSWORD, make_user
from vigil.core.models import Role, User
from vigil.twofactor.views import PENDING_KEY


@pytest.fixture(autouse=True)
def _enforced(settings: Any) -> None:
    """The whole suite runs with the policy off (tests/conftest.py); these tests need it on."""
    settings.VIGIL_TWO_FACTOR_ENFORCED = True


def code_for(key: str, steps_ahead: int = 0) -> str:
    """The six-digit TOTP code for ``key`` now (or ``steps_ahead`` 30-second steps on: a code
    already used for this step is refused, as it must be)."""
    totp = TOTP(unhexlify(key.encode()), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def sign_in(client: Client, user: User, password: str = PASSWORD) -> Any:
    return client.post("/login/", {"username": user.username, "password": password})


def enrol_app(client: Client) -> tuple[str, Any]:
    """Open the enrolment page, add the app it offers; returns the key and the response."""
    client.get("/account/two-factor/enrolment/")
    key = client.session[PENDING_KEY]
    response = client.post(
        "/account/two-factor/authenticator-apps/",
        {"code": code_for(key), "name": "Work phone", "next": "/"},
    )
    return key, response


@pytest.fixture
def officer(db: Any) -> User:
    return make_user(Role.LP_OFFICER, username="officer")


@pytest.fixture
def enrolled(officer: User) -> tuple[User, str, list[str]]:
    """``officer`` with an authenticator app and recovery codes; returns the key and codes."""
    client = Client()
    sign_in(client, officer)
    key, response = enrol_app(client)
    return officer, key, list(response.context["codes"])
