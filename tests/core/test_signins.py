"""Sign-ins: logged whether they succeed or fail, and throttled against guessing."""

from __future__ import annotations

from django.test import Client

from tests.conftest import PASSWORD, World
from vigil.core.models import AuditEvent, User
from vigil.core.models.audit import AuditAction


def _sign_in(client: Client, username: str, password: str) -> int:
    response = client.post("/login/", {"username": username, "password": password})
    return int(response.status_code)


def test_a_successful_sign_in_is_logged(owner: User) -> None:
    client = Client()
    assert _sign_in(client, "owner", PASSWORD) == 302
    event = AuditEvent.objects.filter(action=AuditAction.LOGIN).get()
    assert event.actor_username == "owner"
    assert event.ip == "127.0.0.1"
    assert event.request_id


def test_a_failed_sign_in_is_logged_without_the_password(owner: User) -> None:
    assert _sign_in(Client(), "owner", "wrong guess") == 200
    event = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).get()
    assert event.actor_username == "owner"
    assert "wrong guess" not in str(event.content())


def test_sign_out_is_logged(owner: User) -> None:
    client = Client()
    _sign_in(client, "owner", PASSWORD)
    client.post("/logout/")
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor_username="owner").exists()


def test_too_many_failures_lock_the_account_even_for_the_right_password(owner: User) -> None:
    client = Client()
    for _ in range(5):
        _sign_in(client, "owner", "wrong guess")
    response = client.post("/login/", {"username": "owner", "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed sign-ins" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_THROTTLED).exists()


def test_a_success_resets_the_count(owner: User) -> None:
    client = Client()
    for _ in range(4):
        _sign_in(client, "owner", "wrong guess")
    assert _sign_in(client, "owner", PASSWORD) == 302
    client.post("/logout/")
    for _ in range(4):
        _sign_in(client, "owner", "wrong guess")
    assert _sign_in(client, "owner", PASSWORD) == 302


def test_pages_need_a_sign_in(world: World) -> None:
    response = Client().get("/stores/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
