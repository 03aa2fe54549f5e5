"""The API: tokens, one error shape, pagination, CSRF, and capabilities after scope."""

from __future__ import annotations

import json
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from tests.conftest import World, client_for, make_person, make_user
from vigil.core import tokens
from vigil.core.models import ApiToken, AuditEvent, Role, Store, User
from vigil.core.models.audit import AuditAction


def _bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_token_acts_as_its_user(owner: User, world: World) -> None:
    token, raw = tokens.issue(owner, name="script")
    response = Client().get("/api/v1/me", **_bearer(raw))
    assert response.status_code == 200
    assert response.json()["username"] == "owner"
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert raw not in token.secret_hash and len(token.secret_hash) == 64


def test_revoked_and_expired_tokens_are_refused(owner: User) -> None:
    revoked, raw_revoked = tokens.issue(owner, name="old")
    tokens.revoke(revoked)
    expired, raw_expired = tokens.issue(owner, name="stale")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    for raw in (raw_revoked, raw_expired, "vgl_nothing_here", "garbage"):
        response = Client().get("/api/v1/me", **_bearer(raw))
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"


def test_token_management_is_audited(owner: User) -> None:
    client = client_for(owner)
    created = client.post(
        "/api/v1/tokens",
        data=json.dumps({"name": "cam worker", "days": 30}),
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["token"].startswith("vgl_")
    assert client.delete(f"/api/v1/tokens/{body['id']}").json()["is_active"] is False
    actions = list(
        AuditEvent.objects.filter(object_type="core.apitoken").values_list("action", flat=True)
    )
    assert AuditAction.TOKEN_CREATE in actions and AuditAction.TOKEN_REVOKE in actions


def test_lists_are_paginated(owner: User, world: World) -> None:
    for _ in range(7):
        make_person(world.store_a)
    body = client_for(owner).get("/api/v1/people?page=2&page_size=3").json()
    assert body["count"] == 8  # seven and the owner's own employee record
    assert body["page"] == 2 and body["page_size"] == 3
    assert len(body["items"]) == 3


def test_errors_have_one_shape(owner: User) -> None:
    client = client_for(owner)
    missing = client.get("/api/v1/stores/NOPE")
    assert missing.status_code == 404
    assert missing.json() == {"error": {"code": "not_found", "message": "Not found."}}
    invalid = client.get("/api/v1/people?page=0")
    assert invalid.status_code == 422
    assert invalid.json()["error"]["code"] == "invalid"
    assert "page" in invalid.json()["error"]["message"]
    unknown = client.get("/api/v1/no-such-thing")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"


def test_browser_session_writes_need_csrf(owner: User, world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.patch(
        f"/api/v1/people/{owner.person.employee_id}",  # type: ignore[union-attr]
        data=json.dumps({"name": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 403


def test_role_without_capability_gets_403_on_visible_object(world: World) -> None:
    officer = make_user(Role.LP_OFFICER, stores=(world.store_a,))
    response = client_for(officer).patch(
        f"/api/v1/stores/{world.store_a.code}",
        data=json.dumps({"name": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_admin_changes_a_users_role_and_it_is_logged(admin_user: User, teammate: User) -> None:
    response = client_for(admin_user).patch(
        f"/api/v1/users/{teammate.pk}",
        data=json.dumps({"role": "lp_manager"}),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["role"] == "lp_manager"
    event = AuditEvent.objects.filter(action=AuditAction.ROLE_CHANGE).get()
    assert event.actor_username == "chief"
    assert event.changes["role"] == ["lp_officer", "lp_manager"]


def test_scoped_admin_cannot_grant_every_store(world: World, teammate: User) -> None:
    scoped_admin = make_user(Role.ADMIN, stores=(world.store_a,))
    make_person(world.store_a)
    teammate.person = make_person(world.store_a)
    teammate.save()
    response = client_for(scoped_admin).patch(
        f"/api/v1/users/{teammate.pk}",
        data=json.dumps({"scope_kind": "everything"}),
        content_type="application/json",
    )
    assert response.status_code == 403


def test_external_user_sees_nothing_unshared(world: World) -> None:
    police = make_user(Role.EXTERNAL, stores=(world.store_a,))
    assert not Store.objects.visible_to(police).exists()
    assert client_for(police).get("/api/v1/stores").status_code == 403


def test_new_user_password_is_validated(admin_user: User, world: World) -> None:
    payload = {
        "username": "newbie",
        "password": "123",
        "role": "lp_officer",
        "stores": [world.store_a.code],
    }
    response = client_for(admin_user).post(
        "/api/v1/users", data=json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 422
    assert "password" in response.json()["error"]["message"].lower()


def test_openapi_schema_is_published_to_users_and_tokens(world: World, teammate: User) -> None:
    schema = client_for(teammate).get("/api/v1/openapi.json").json()
    assert "/api/v1/stores/{store_code}" in schema["paths"]
    _, secret = tokens.issue(teammate, name="schema reader")
    by_token = Client().get("/api/v1/openapi.json", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert by_token.status_code == 200


def test_the_api_docs_and_schema_need_a_sign_in(world: World) -> None:
    anonymous = Client()
    assert anonymous.get("/api/v1/openapi.json").status_code == 401
    docs = anonymous.get("/api/v1/docs")
    assert docs.status_code == 302 and docs["Location"].startswith("/login/")
    bad_token = anonymous.get("/api/v1/openapi.json", HTTP_AUTHORIZATION="Bearer vgl_nope")
    assert bad_token.status_code == 401


def test_the_api_docs_load_their_assets_from_vigil_not_a_cdn(teammate: User) -> None:
    page = client_for(teammate).get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()


def test_a_user_without_an_employee_record_revokes_their_own_token(teammate: User) -> None:
    token, _ = tokens.issue(teammate, name="laptop script")
    response = client_for(teammate).post(f"/tokens/{token.pk}/revocation/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_user_cannot_revoke_a_colleagues_token(owner: User, teammate: User) -> None:
    token, _ = tokens.issue(owner, name="owner's")
    assert client_for(teammate).delete(f"/api/v1/tokens/{token.pk}").status_code == 404
