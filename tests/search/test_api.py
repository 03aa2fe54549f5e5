"""``GET /api/v1/search``: the search page's results as JSON, in the caller's stores."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import World, client_for, make_subject, make_user
from tests.search.test_finder import make_lead, make_vehicle
from vigil.core import tokens
from vigil.core.models import Role, User

pytestmark = pytest.mark.django_db


def test_it_answers_groups_of_hits_best_match_first(world: World, owner_client: Client) -> None:
    make_vehicle(world.store_a, "KDL4471")
    make_subject(world.store_a, name="Kdl Fan")
    body = owner_client.get("/api/v1/search", {"q": "KDL447I"}).json()
    assert body["q"] == "KDL447I" and body["total"] == 1
    group = body["groups"][0]
    assert (group["kind"], group["label"], group["total"]) == ("vehicle", "Vehicles", 1)
    hit = group["items"][0]
    assert hit["title"] == "KDL4471 Silver Honda Civic"
    assert hit["url"].startswith("/vehicles/") and hit["store"] == world.store_a.code
    assert hit["store_name"] == world.store_a.name
    assert "look-alike" in hit["note"]


def test_times_come_in_utc_and_on_the_stores_clock(world: World, owner_client: Client) -> None:
    make_lead(world.store_a, "S101-R02-000417")
    hit = owner_client.get("/api/v1/search", {"q": "S101-R02-000417"}).json()["groups"][0]
    assert hit["items"][0]["at"] == "2026-03-02T21:30:00Z"
    assert hit["items"][0]["at_store"] == "2026-03-02 15:30 CST"


def test_a_token_searches_too_and_only_its_users_stores(world: World, owner: User) -> None:
    make_subject(world.store_a, name="Kestrel Alpha")
    make_subject(world.store_b, name="Kestrel Bravo")
    _, raw = tokens.issue(owner, name="search")
    body = (
        Client().get("/api/v1/search", {"q": "kestrel"}, HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    )
    assert [item["title"] for item in body["groups"][0]["items"]] == ["Kestrel Alpha"]


def test_another_stores_code_is_not_found(world: World, owner_client: Client) -> None:
    answer = owner_client.get("/api/v1/search", {"q": "kestrel", "store": world.store_b.code})
    assert answer.status_code == 404


def test_kind_limit_and_offset_page_one_kind(world: World, owner_client: Client) -> None:
    for number in range(7):
        make_subject(world.store_a, name=f"Kendall {number}")
    body = owner_client.get(
        "/api/v1/search", {"q": "kendall", "kind": "subject", "limit": 3, "offset": 6}
    ).json()
    assert body["groups"][0]["total"] == 7 and len(body["groups"][0]["items"]) == 1


def test_bad_input_is_refused_with_the_field_named(owner_client: Client) -> None:
    for query in ({}, {"q": ""}, {"q": "x" * 201}, {"q": "a", "kind": "spaceship"}):
        answer = owner_client.get("/api/v1/search", query)
        assert answer.status_code == 422, query
        assert answer.json()["error"]["code"] == "invalid"


def test_police_get_the_portals_answer(world: World) -> None:
    police = client_for(make_user(Role.EXTERNAL))
    assert police.get("/api/v1/search", {"q": "kestrel"}).status_code == 403
