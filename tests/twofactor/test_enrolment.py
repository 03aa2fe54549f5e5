"""Enrolment: a role that requires two-factor sets up a TOTP app (or passkey) before anything
else, gets recovery codes once, and no one holding only the password can add a device."""

from __future__ import annotations

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import make_user
from tests.twofactor.conftest import code_for, enrol_app, sign_in
from vigil.core.models import AuditEvent, Role, User
from vigil.core.models.audit import AuditAction
from vigil.twofactor import policy
from vigil.twofactor.views import PENDING_KEY


def test_it_sends_a_required_role_without_a_device_to_enrolment(officer: User) -> None:
    client = Client()
    sign_in(client, officer)
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"] == "/account/two-factor/enrolment/?next=%2Fpeople%2F"


def test_the_enrolment_page_shows_a_qr_code_and_the_secret(officer: User) -> None:
    client = Client()
    sign_in(client, officer)
    page = client.get("/account/two-factor/enrolment/").content.decode()
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'class="totp-qr"' in svg and "style=" not in svg and "<script" not in svg
    assert 'id="totp-secret"' in page and "otpauth://totp/Vigil%3Aofficer" in page


def test_it_adds_the_app_with_its_current_code_and_shows_ten_recovery_codes(
    officer: User,
) -> None:
    client = Client()
    sign_in(client, officer)
    _, response = enrol_app(client)
    codes = response.context["codes"]
    assert response.status_code == 200 and len(codes) == 10 and len(set(codes)) == 10
    assert all(code in response.content.decode() for code in codes)
    assert TOTPDevice.objects.get(user=officer).name == "Work phone"
    assert client.get("/people/").status_code == 200  # this session is verified now
    assert PENDING_KEY not in client.session
    kinds = AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_ENROL).values_list(
        "changes__kind", flat=True
    )
    assert sorted(kinds) == ["authenticator app", "recovery codes"]


def test_recovery_codes_are_not_shown_again(enrolled: tuple[User, str, list[str]]) -> None:
    officer, key, codes = enrolled
    client = Client()
    sign_in(client, officer)
    client.post("/account/two-factor/verification/", {"code": code_for(key, 1)})
    page = client.get("/account/security/").content.decode()
    assert "10 unused codes" in page and codes[0] not in page


def test_a_wrong_code_does_not_add_the_app(officer: User) -> None:
    client = Client()
    sign_in(client, officer)
    client.get("/account/two-factor/enrolment/")
    response = client.post("/account/two-factor/authenticator-apps/", {"code": "000000"})
    assert response.status_code == 422
    assert "does not match" in response.content.decode()
    assert not TOTPDevice.objects.exists()


def test_a_session_holding_only_the_password_cannot_add_a_device(
    enrolled: tuple[User, str, list[str]],
) -> None:
    officer, _, _ = enrolled
    thief = Client()
    sign_in(thief, officer)
    page = thief.get("/account/two-factor/enrolment/")
    assert page["Location"].startswith("/account/two-factor/verification/")
    posted = thief.post("/account/two-factor/authenticator-apps/", {"code": "123456"})
    assert posted["Location"] == "/account/two-factor/verification/"
    codes = thief.post("/account/two-factor/recovery-codes/")
    assert codes["Location"] == "/account/two-factor/verification/"
    passkey = thief.post("/account/two-factor/passkeys/registration/begin/")
    assert passkey.status_code == 403
    assert TOTPDevice.objects.filter(user=officer).count() == 1


def test_new_recovery_codes_void_the_old_ones(enrolled: tuple[User, str, list[str]]) -> None:
    officer, key, old = enrolled
    client = Client()
    sign_in(client, officer)
    client.post("/account/two-factor/verification/", {"code": code_for(key, 1)})
    new = client.post("/account/two-factor/recovery-codes/").context["codes"]
    assert not set(new) & set(old)
    client.post("/logout/")
    sign_in(client, officer)
    refused = client.post("/account/two-factor/verification/", {"code": old[0]})
    assert refused.status_code == 200 and "not right" in refused.content.decode()


def test_removing_the_last_app_sends_a_required_role_back_to_enrolment(
    enrolled: tuple[User, str, list[str]],
) -> None:
    officer, key, _ = enrolled
    client = Client()
    sign_in(client, officer)
    client.post("/account/two-factor/verification/", {"code": code_for(key, 1)})
    device = TOTPDevice.objects.get(user=officer)
    client.post(f"/account/security/authenticator-apps/{device.pk}/removal/")
    assert not TOTPDevice.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_REMOVE).exists()
    assert client.get("/people/")["Location"].startswith("/account/two-factor/")


def test_another_users_device_cannot_be_removed(enrolled: tuple[User, str, list[str]]) -> None:
    officer, _, _ = enrolled
    policy.set_policy([], demo_logins_exempt=False)  # so that the other signs in at once
    other = make_user(Role.LP_OFFICER, username="other")
    client = Client()
    client.force_login(other)
    device = TOTPDevice.objects.get(user=officer)
    response = client.post(f"/account/security/authenticator-apps/{device.pk}/removal/")
    assert response.status_code == 404 and TOTPDevice.objects.filter(pk=device.pk).exists()
