"""API rate limits: a client past its rate gets 429 with Retry-After, per token or user and
per address; another client is not held back by it."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.conftest import World, client_for, make_user
from vigil.core import tokens
from vigil.core.models import Role


def test_a_token_past_its_rate_gets_429_with_retry_after(world: World, settings: Any) -> None:
    settings.API_RATE_PER_CLIENT = (3, 60)
    user = make_user(Role.LP_MANAGER, everything=True)
    _, secret = tokens.issue(user, name="busy script")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    answers = [client.get("/api/v1/stores") for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused.json()["error"]["code"] == "throttled"
    assert 1 <= int(refused["Retry-After"]) <= 60
    _, other = tokens.issue(user, name="another script")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {other}").get("/api/v1/stores").status_code == 200


def test_a_signed_in_user_is_limited_as_a_client(world: World, settings: Any) -> None:
    settings.API_RATE_PER_CLIENT = (2, 60)
    client = client_for(make_user(Role.LP_MANAGER, everything=True))
    codes = [client.get("/api/v1/stores").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert client.get("/").status_code == 200  # pages are not API calls


def test_one_address_is_limited_however_many_clients_it_uses(world: World, settings: Any) -> None:
    settings.API_RATE_PER_ADDRESS = (3, 60)
    codes = [
        client_for(make_user(Role.LP_MANAGER, everything=True)).get("/api/v1/stores").status_code
        for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
