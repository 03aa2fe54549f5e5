"""Passwords: changed in the app (other sessions end, this one goes on) and reset by e-mail
with a link that works once and expires."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client

from tests.conftest import PASSWORD, make_user
from tests.twofactor.conftest import code_for, sign_in
from vigil.config import ConfigError, parse_email
from vigil.core.models import AuditEvent, Role, User
from vigil.core.models.audit import AuditAction
from vigil.twofactor import policy

NEW_PASSWORD = "a much longer new passphrase"


@pytest.fixture
def clerk(db: None) -> User:
    """A user whose role needs no second factor, so these tests are about passwords alone."""
    policy.set_policy([], demo_logins_exempt=False)
    user = make_user(Role.STORE_MANAGER, username="clerk")
    user.email = "clerk@example.com"
    user.save()
    return user


def _reset_link(client: Client, email: str) -> str:
    client.post("/password-reset/", {"email": email})
    body = mail.outbox[-1].body
    found = re.search(r"https?://[^/\s]+(/password-reset/\S+/)", body)
    assert found is not None, body
    return found[1]


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(clerk: User) -> None:
    here, elsewhere = Client(), Client()
    sign_in(here, clerk)
    sign_in(elsewhere, clerk)
    response = here.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/account/security/"
    assert here.get("/people/").status_code == 200
    assert elsewhere.get("/people/")["Location"].startswith("/login/")
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGE).exists()


def test_a_wrong_old_password_changes_nothing(clerk: User) -> None:
    client = Client()
    sign_in(client, clerk)
    response = client.post(
        "/account/password/",
        {"old_password": "guess", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    clerk.refresh_from_db()
    assert clerk.check_password(PASSWORD)


def test_the_sign_in_page_links_to_a_reset(db: None) -> None:
    assert "/password-reset/" in Client().get("/login/").content.decode()


def test_a_reset_link_sets_a_new_password_once(clerk: User) -> None:
    client = Client()
    link = _reset_link(client, "clerk@example.com")
    form = client.get(link, follow=True)
    assert form.context["validlink"]
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done["Location"] == "/password-reset/done/"
    clerk.refresh_from_db()
    assert clerk.check_password(NEW_PASSWORD)
    again = Client().get(link, follow=True)
    assert not again.context["validlink"]
    assert "no longer works" in again.content.decode()
    steps = AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET).order_by("seq")
    assert [e.changes["step"] for e in steps] == ["link e-mailed", "new password set"]


def test_a_reset_link_expires_after_an_hour(clerk: User, monkeypatch: Any) -> None:
    link = _reset_link(Client(), "clerk@example.com")
    later = datetime.now() + timedelta(hours=1, minutes=1)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    assert not Client().get(link, follow=True).context["validlink"]


def test_a_reset_ends_every_session(clerk: User) -> None:
    session = Client()
    sign_in(session, clerk)
    client = Client()
    link = _reset_link(client, "clerk@example.com")
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert session.get("/people/")["Location"].startswith("/login/")


def test_an_unknown_address_gets_the_same_answer_and_no_mail(clerk: User) -> None:
    response = Client().post("/password-reset/", {"email": "nobody@example.com"})
    assert response["Location"] == "/password-reset/sent/"
    assert mail.outbox == []


def test_a_reset_password_still_needs_the_second_factor(clerk: User) -> None:
    from tests.twofactor.conftest import enrol_app

    policy.set_policy([Role.STORE_MANAGER], demo_logins_exempt=False)
    client = Client()
    sign_in(client, clerk)
    key, _ = enrol_app(client)
    link = _reset_link(Client(), "clerk@example.com")
    resetter = Client()
    form = resetter.get(link, follow=True)
    resetter.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    sign_in(resetter, clerk, NEW_PASSWORD)
    assert resetter.get("/people/")["Location"].startswith("/account/two-factor/verification/")
    resetter.post("/account/two-factor/verification/", {"code": code_for(key, 1)})
    assert resetter.get("/people/").status_code == 200


def test_mail_can_be_filed_in_the_data_directory() -> None:
    assert parse_email({"VIGIL_EMAIL": "file"}).backend.endswith("filebased.EmailBackend")
    with pytest.raises(ConfigError, match="console, file, smtp"):
        parse_email({"VIGIL_EMAIL": "carrier-pigeon"})
