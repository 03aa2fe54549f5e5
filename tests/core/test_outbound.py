"""Webhooks cannot be aimed inward: loopback, private, link-local and metadata addresses are
refused when saved and when delivered, redirects are not followed, and an operator may allow
a named host."""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.cases.test_incidents import post
from tests.conftest import World, client_for, make_user
from vigil.core import outbound
from vigil.core.models import Role

INWARD = (
    ("http://127.0.0.1:9/x", "loopback"),
    ("http://10.0.0.1/x", "private"),
    ("http://192.168.1.20/x", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://[::1]:8000/x", "loopback"),
    ("http://[fd00:ec2::254]/x", "metadata"),
    ("http://0.0.0.0/x", "unspecified"),
    ("http://100.64.0.7/x", "non-public"),
    ("http://[::ffff:127.0.0.1]/x", "loopback"),
)


@pytest.mark.parametrize(("url", "kind"), INWARD)
def test_an_inward_address_is_refused_naming_the_rule(url: str, kind: str) -> None:
    with pytest.raises(outbound.DestinationRefused, match=kind):
        outbound.check_url(url)


def test_a_name_that_resolves_inward_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def resolve(host: str, port: int, *args: Any) -> list[Any]:
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", port, 0, 0))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(outbound.DestinationRefused, match=r"hooks\.inward\.test is a loopback"):
        outbound.check_url("https://hooks.inward.test/x")


def test_localhost_by_name_is_refused() -> None:
    with pytest.raises(outbound.DestinationRefused, match="loopback"):
        outbound.check_url("http://localhost:8000/x")


def test_other_schemes_and_credentials_are_refused() -> None:
    for url in ("file:///etc/passwd", "gopher://x/", "https://user:pw@hooks.example.com/"):
        with pytest.raises(outbound.DestinationRefused):
            outbound.check_url(url)


def test_a_name_this_server_cannot_resolve_may_be_saved_but_not_delivered_to() -> None:
    outbound.check_url("https://hooks.invalid/x", unresolved_ok=True)
    with pytest.raises(outbound.DestinationRefused, match="cannot be resolved"):
        outbound.check_url("https://hooks.invalid/x")


def test_police_cannot_create_a_notification_channel(world: World) -> None:
    police = make_user(Role.EXTERNAL)
    body = {"kind": "webhook", "url": "http://127.0.0.1:9/x", "secret": "s"}
    assert post(client_for(police), "/api/v1/notification-channels", body).status_code == 403


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/x", "http://10.0.0.1/x",
                                 "http://169.254.169.254/x", "http://localhost/x"])  # fmt: skip
def test_an_administrators_inward_webhook_is_refused(world: World, url: str) -> None:
    admin = make_user(Role.ADMIN, everything=True)
    answer = post(client_for(admin), "/api/v1/notification-channels",
                  {"kind": "webhook", "url": url, "secret": "s"})  # fmt: skip
    assert answer.status_code == 422
    assert "does not deliver to its own network" in json.dumps(answer.json())


class _Redirects(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_POST(self) -> None:
        _Redirects.hits.append(self.path)
        self.send_response(307)
        self.send_header("Location", "http://127.0.0.1:9/inside")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def redirecting() -> Iterator[str]:
    _Redirects.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Redirects)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()


def test_an_allowed_host_is_reached_but_its_redirect_is_not_followed(
    redirecting: str, settings: Any
) -> None:
    import urllib.error

    settings.WEBHOOK_ALLOWED_HOSTS = ("127.0.0.1",)
    with pytest.raises(urllib.error.HTTPError) as answer:
        outbound.post(redirecting, b"{}", {"Content-Type": "application/json"}, timeout=5)
    assert answer.value.code == 307 and _Redirects.hits == ["/hook"]


def test_the_connection_checks_the_address_it_reached(
    redirecting: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name that resolved to a public address when checked, and reaches loopback when
    connecting (DNS rebinding), is refused at the connection."""
    monkeypatch.setattr(outbound, "check_url", lambda url, **kwargs: None)
    with pytest.raises(outbound.DestinationRefused, match="loopback"):
        outbound.post(redirecting, b"{}", {}, timeout=5)
    assert _Redirects.hits == []
