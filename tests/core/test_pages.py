"""Every page renders for the people who use it."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import World, client_for
from vigil.core.models import User


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
