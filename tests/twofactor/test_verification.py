"""The second step of signing in: a TOTP code, a recovery code (each once) or a passkey, and
no way round it for a role that requires it, on pages or the API by session."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice

from tests.conftest import make_user
from tests.twofactor.conftest import code_for, enrol_app, sign_in
from vigil.core import tokens
from vigil.core.models import AuditEvent, Role, User
from vigil.core.models.audit import AuditAction

Enrolled = tuple[User, str, list[str]]
VERIFY = "/account/two-factor/verification/"


def test_sign_in_asks_for_the_code_after_the_password(enrolled: Enrolled) -> None:
    officer, key, _ = enrolled
    client = Client()
    assert sign_in(client, officer).status_code == 302
    assert client.get("/")["Location"] == f"{VERIFY}?next=%2F"
    response = client.post(f"{VERIFY}?next=/people/", {"code": code_for(key, 1)})
    assert response["Location"] == "/people/"
    assert client.get("/people/").status_code == 200
    event = AuditEvent.objects.filter(action=AuditAction.LOGIN).order_by("-seq").first()
    assert event is not None and event.changes == {"second_factor": "authenticator app"}


def test_a_wrong_code_is_refused_and_logged(enrolled: Enrolled) -> None:
    officer, _, _ = enrolled
    client = Client()
    sign_in(client, officer)
    response = client.post(VERIFY, {"code": "000000"})
    assert response.status_code == 200 and "not right" in response.content.decode()
    assert client.get("/people/")["Location"].startswith(VERIFY)
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_FAILED).count() == 1


def test_wrong_codes_in_a_row_lock_the_app_for_a_while(enrolled: Enrolled) -> None:
    officer, key, _ = enrolled
    client = Client()
    sign_in(client, officer)
    client.post(VERIFY, {"code": "000000"})
    client.post(VERIFY, {"code": "000001"})
    response = client.post(VERIFY, {"code": code_for(key, 1)})  # right, but too soon
    assert "Wait a few seconds" in response.content.decode()
    assert client.get("/people/").status_code == 302


def test_a_code_that_confirmed_the_app_cannot_sign_in_again(officer: User) -> None:
    client = Client()
    sign_in(client, officer)
    key, _ = enrol_app(client)
    other = Client()
    sign_in(other, officer)
    response = other.post(VERIFY, {"code": code_for(key)})
    assert response.status_code == 200 and "already used" in response.content.decode()


def test_a_recovery_code_signs_in_once(enrolled: Enrolled) -> None:
    officer, _, codes = enrolled
    first = Client()
    sign_in(first, officer)
    response = first.post(VERIFY, {"code": codes[0].upper()})
    assert response.status_code == 302 and first.get("/people/").status_code == 200
    event = AuditEvent.objects.filter(action=AuditAction.RECOVERY_CODE_USED).get()
    assert event.changes == {"second_factor": "recovery code", "codes_left": 9}
    second = Client()
    sign_in(second, officer)
    again = second.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 200 and "not right" in again.content.decode()
    _wait_out_the_throttle()
    assert second.post(VERIFY, {"code": codes[1]}).status_code == 302


def _wait_out_the_throttle() -> None:
    """django-otp holds a device for a second after a wrong code; let that second pass."""
    earlier = timezone.now() - timedelta(seconds=5)
    StaticDevice.objects.update(throttling_failure_timestamp=earlier)


def test_an_unverified_session_reaches_no_page(enrolled: Enrolled) -> None:
    officer, _, _ = enrolled
    client = Client()
    sign_in(client, officer)
    for path in ("/", "/people/", "/stores/", "/tokens/", "/account/security/"):
        assert client.get(path)["Location"].startswith(VERIFY), path
    assert client.post("/account/password/", {})["Location"].startswith(VERIFY)
    fragment = client.get("/people/", headers={"HX-Request": "true"})
    assert fragment["HX-Redirect"].startswith(VERIFY)


def test_a_role_that_requires_it_cannot_skip_enrolment_on_any_page(officer: User) -> None:
    client = Client()
    client.force_login(officer)  # a session with the password step done, however it was made
    for path in ("/", "/people/", "/account/security/", "/api/v1/docs"):
        response = client.get(path)
        assert response.status_code in {302, 401}, path
    assert client.get("/")["Location"].startswith("/account/two-factor/enrolment/")


def test_the_api_refuses_an_unverified_session(enrolled: Enrolled) -> None:
    officer, _, _ = enrolled
    client = Client()
    sign_in(client, officer)
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "second factor" in response.json()["error"]["message"]


def test_the_api_refuses_a_session_that_never_enrolled(officer: User) -> None:
    client = Client()
    client.force_login(officer)
    assert client.get("/api/v1/me").status_code == 401


def test_an_api_token_keeps_working_without_a_second_factor(officer: User) -> None:
    manager = make_user(Role.LP_MANAGER, username="scripted")
    _, raw = tokens.issue(manager, name="nightly export")
    client = Client()
    client.force_login(officer)  # even alongside an unverified session cookie
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200 and response.json()["username"] == "scripted"


def test_a_verified_session_uses_the_api(enrolled: Enrolled) -> None:
    officer, key, _ = enrolled
    client = Client()
    sign_in(client, officer)
    client.post(VERIFY, {"code": code_for(key, 1)})
    assert client.get("/api/v1/me").status_code == 200


def test_a_role_the_policy_leaves_out_signs_in_with_the_password(db: None) -> None:
    from vigil.twofactor import policy

    policy.set_policy([Role.ADMIN], demo_logins_exempt=False)
    officer = make_user(Role.LP_OFFICER, username="relaxed")
    client = Client()
    sign_in(client, officer)
    assert client.get("/people/").status_code == 200
    admin = make_user(Role.ADMIN, everything=True, username="strict")
    other = Client()
    sign_in(other, admin)
    assert other.get("/people/")["Location"].startswith("/account/two-factor/enrolment/")


def test_a_factor_chosen_freely_is_asked_for_too(db: None) -> None:
    from vigil.twofactor import policy

    policy.set_policy([], demo_logins_exempt=False)
    officer = make_user(Role.LP_OFFICER, username="careful")
    client = Client()
    sign_in(client, officer)
    assert client.get("/people/").status_code == 200
    key, _ = enrol_app(client)
    client.post("/logout/")
    sign_in(client, officer)
    assert client.get("/people/")["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": code_for(key, 1)})
    assert client.get("/people/").status_code == 200
