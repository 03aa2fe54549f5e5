"""Every page renders for the people who use it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.conftest import World, client_for, make_user
from vigil.core.models import Role, User


@pytest.mark.parametrize(
    "url", ["/", "/stores/", "/stores/SA1/", "/people/", "/people/?q=Emp&role=lp", "/tokens/"]
)
def test_owner_pages_render(owner_client: Client, url: str) -> None:
    assert owner_client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/users/",
        "/users/new/",
        "/audit-log/",
        "/audit-log/?action=login&store=SA1",
        "/audit-log/export.csv",
    ],
)
def test_admin_pages_render(admin_user: User, world: World, url: str) -> None:
    assert client_for(admin_user).get(url).status_code == 200


def test_admin_only_pages_are_refused_to_an_officer(teammate: User) -> None:
    client = client_for(teammate)
    assert client.get("/users/").status_code == 403
    assert client.get("/audit-log/").status_code == 403


def test_store_switcher_narrows_to_a_store_in_scope_only(
    owner_client: Client, world: World
) -> None:
    owner_client.post("/store-switch/", {"store": world.store_b.code, "next": "/"})
    assert world.store_b.code not in owner_client.get("/").content.decode()
    owner_client.post("/store-switch/", {"store": world.store_a.code, "next": "/"})
    assert owner_client.session["vigil_store_code"] == world.store_a.code


def test_admin_creates_a_user_from_the_page(admin_user: User, world: World) -> None:
    response = client_for(admin_user).post(
        "/users/new/",
        {
            "username": "new.officer",
            "password": "a sufficiently long passphrase",
            "role": "lp_officer",
            "scope_kind": "stores",
            "stores": [world.store_a.code],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="new.officer")
    assert list(created.stores.values_list("code", flat=True)) == [world.store_a.code]


def test_audit_export_is_itself_logged(admin_user: User, world: World) -> None:
    from vigil.core.models import AuditEvent
    from vigil.core.models.audit import AuditAction

    response = client_for(admin_user).get("/audit-log/export.csv")
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert body.startswith("seq,occurred_at")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize("url", ["/no-such-page/", "/incidents/INC-000000/"])
def test_a_404_with_debug_on_shows_vigils_page(
    owner_client: Client, settings: Any, url: str
) -> None:
    settings.DEBUG = True
    response = owner_client.get(url)
    body = response.content.decode()
    assert response.status_code == 404
    assert "request id" in body and "Back to the dashboard" in body
    assert "URLconf" not in body  # Django's technical page lists every URL pattern


def test_a_404_signed_out_with_debug_on_shows_vigils_page(client: Client, settings: Any) -> None:
    settings.DEBUG = True
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "URLconf" not in response.content.decode()


def test_a_403_with_debug_on_shows_vigils_page(teammate: User, settings: Any) -> None:
    settings.DEBUG = True
    response = client_for(teammate).get("/users/")
    assert response.status_code == 403
    assert "You may not do this." in response.content.decode()


def test_an_api_404_with_debug_on_keeps_the_json_error_shape(
    owner_client: Client, settings: Any
) -> None:
    settings.DEBUG = True
    response = owner_client.get("/api/no-such-endpoint")
    assert response.status_code == 404
    assert response.json()["error"]["code"]


def test_police_outside_the_portal_get_vigils_404_with_debug_on(
    world: World, settings: Any
) -> None:
    settings.DEBUG = True
    response = client_for(make_user(Role.EXTERNAL)).get("/incidents/")
    assert response.status_code == 404
    assert "Back to the dashboard" in response.content.decode()
