"""Notices of assignments and due tasks: by e-mail, and by webhook signed with HMAC-SHA256."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import http.server
import io
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from tests.conftest import World, make_case, make_user
from vigil.cases import casework
from vigil.cases.models import Delivery, NotificationChannel
from vigil.core.models import Role, User


@pytest.fixture
def colleague(world: World) -> User:
    user = make_user(Role.LP_MANAGER, stores=(world.store_a,), username="colleague")
    user.email = "colleague@example.com"
    user.save()
    return user


class Recorder(http.server.BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Recorder.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def webhook_receiver(settings: Any) -> Iterator[str]:
    """A receiver on this machine, which webhooks may reach only because it is allowed."""
    settings.WEBHOOK_ALLOWED_HOSTS = ("127.0.0.1",)
    Recorder.received = []
    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hooks/vigil"
    server.shutdown()


def test_assigning_a_case_emails_the_assignee(world: World, owner: User, colleague: User) -> None:
    case = make_case(world.store_a, owner)
    casework.update_case(owner, case, {"assignee": colleague})
    assert [message.to for message in mail.outbox] == [["colleague@example.com"]]
    assert case.number in mail.outbox[0].subject
    assert Delivery.objects.get().delivered_at is not None


def test_nobody_is_told_of_work_they_gave_themselves(world: World, owner: User) -> None:
    make_case(world.store_a, owner)
    assert mail.outbox == []


def test_an_organisation_webhook_is_signed(
    world: World, owner: User, colleague: User, webhook_receiver: str
) -> None:
    NotificationChannel.objects.create(
        organisation=world.organisation, kind="webhook", url=webhook_receiver, secret="s3cret"
    )
    case = make_case(world.store_a, owner)
    casework.add_task(owner, case, "Pull Cam 3", assignee=colleague)
    ((headers, body),) = Recorder.received
    expected = hmac.new(
        b"s3cret", headers["X-Vigil-Timestamp"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-Vigil-Signature"] == f"sha256={expected}"
    assert headers["X-Vigil-Event"] == "task.assigned"
    assert json.loads(body)["task"] == "Pull Cam 3"


def test_a_failed_webhook_is_kept_with_its_error(
    world: World, owner: User, colleague: User
) -> None:
    NotificationChannel.objects.create(
        user=colleague, kind="webhook", url="http://127.0.0.1:9/nothing", secret="x"
    )
    case = make_case(world.store_a, owner)
    casework.update_case(owner, case, {"assignee": colleague})
    delivery = Delivery.objects.get(channel__isnull=False)
    assert delivery.delivered_at is None
    assert delivery.attempts == 1 and delivery.last_error
    # Her own channel replaces the default e-mail.
    assert mail.outbox == []


def test_due_tasks_are_reminded_once_a_day(world: World, owner: User, colleague: User) -> None:
    case = make_case(world.store_a, owner, kind="other")
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    casework.add_task(owner, case, "Call the DA", due_on=yesterday, assignee=colleague)
    mail.outbox.clear()
    out = io.StringIO()
    call_command("cases_remind", stdout=out)
    call_command("cases_remind", stdout=out)
    assert "1 task reminder(s) sent" in out.getvalue()
    assert "0 task reminder(s) sent" in out.getvalue()
    assert len(mail.outbox) == 1 and "overdue" in mail.outbox[0].subject


def test_a_webhook_channel_needs_an_address_and_a_secret(world: World) -> None:
    from django.core.exceptions import ValidationError

    channel = NotificationChannel(organisation=world.organisation, kind="webhook")
    with pytest.raises(ValidationError):
        channel.full_clean()


def test_only_an_administrator_adds_webhooks(world: World, owner: User) -> None:
    from tests.cases.test_incidents import post
    from tests.conftest import client_for

    body = {"kind": "webhook", "url": "https://hooks.example.com/x", "secret": "k"}
    assert post(client_for(owner), "/api/v1/notification-channels", body).status_code == 403
    admin = client_for(make_user(Role.ADMIN, everything=True))
    assert post(admin, "/api/v1/notification-channels", body).status_code == 201
    assert (
        post(admin, "/api/v1/notification-channels", {**body, "organisation": True}).status_code
        == 201
    )
    listed = admin.get("/api/v1/notification-channels").json()["items"]
    assert {(c["scope"], c["url"]) for c in listed} == {
        ("mine", "https://hooks.example.com/x"),
        ("organisation", "https://hooks.example.com/x"),
    }
    assert "secret" not in listed[0]
