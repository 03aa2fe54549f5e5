"""Requests Vigil makes to addresses users give it (webhooks), which cannot be aimed inward.

A webhook address is checked twice: when it is saved, and when a delivery connects. Every
address the host name resolves to must be a public one: loopback, private (RFC 1918, unique
local), link-local (where cloud metadata lives, 169.254.169.254), shared, multicast,
reserved and unspecified addresses are refused, unless the operator names the host in
``VIGIL_WEBHOOK_ALLOWED_HOSTS``. The connection itself checks the address it reached, so a
name that resolves to a public address when checked and to a private one a moment later
(DNS rebinding) is refused too. Redirects are never followed.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

# Cloud metadata services that are not link-local (AWS's IPv6 one, Alibaba's).
METADATA = frozenset(
    {ipaddress.ip_address("fd00:ec2::254"), ipaddress.ip_address("100.100.100.200")}
)


class DestinationRefused(Exception):
    """The address is not one Vigil delivers to; the message names the rule."""

    user_message = True


def check_url(url: str, *, unresolved_ok: bool = False) -> None:
    """Refuse a webhook address that is not http(s) or that leads inward.

    ``unresolved_ok``: when saving, a name this server cannot resolve now is accepted (it is
    checked again on every delivery)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise DestinationRefused(f"{url!r} is not an http(s) address")
    if parts.username or parts.password:
        raise DestinationRefused("a webhook address may not carry a user name or password")
    host = parts.hostname
    if _allowed(host):
        return
    try:
        addresses = _resolve(host, parts.port or (443 if parts.scheme == "https" else 80))
    except socket.gaierror:
        if unresolved_ok:
            return
        raise DestinationRefused(f"{host} cannot be resolved") from None
    for address in addresses:
        check_address(host, address)


def check_address(host: str, address: str) -> None:
    """Refuse ``address`` (one that ``host`` resolved to) unless it is a public one."""
    if _allowed(host):
        return
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    kind = _inward_kind(ip)
    if kind:
        raise DestinationRefused(
            f"{host} is {kind} address {ip}: Vigil does not deliver to its own network "
            "(an operator can allow a named host with VIGIL_WEBHOOK_ALLOWED_HOSTS)"
        )


def _inward_kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if ip in METADATA:
        return "a cloud metadata"
    for kind, test in (
        ("an unspecified", ip.is_unspecified),
        ("a loopback", ip.is_loopback),
        ("a link-local", ip.is_link_local),
        ("a private", ip.is_private),
        ("a multicast", ip.is_multicast),
        ("a reserved", ip.is_reserved),
        ("a non-public", not ip.is_global),
    ):
        if test:
            return kind
    return ""


def _allowed(host: str) -> bool:
    return host.lower() in {name.lower() for name in settings.WEBHOOK_ALLOWED_HOSTS}


def _resolve(host: str, port: int) -> list[str]:
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, port)})


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST ``body`` to a checked ``url``; the status. Redirects are answered as errors."""
    check_url(url)
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310
    opener = urllib.request.build_opener(_NoRedirects, _CheckedHTTP, _CheckedHTTPS)
    with opener.open(request, timeout=timeout) as response:
        return int(response.status)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 3xx is then raised as an HTTPError, and nothing is followed


def _checked(connection: http.client.HTTPConnection) -> None:
    """After connecting: the address actually reached must pass too (DNS rebinding)."""
    peer = connection.sock.getpeername()[0]
    try:
        check_address(connection.host, peer)
    except DestinationRefused:
        connection.close()
        raise


class _CheckedConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _checked(self)


class _CheckedSecureConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _checked(self)


class _CheckedHTTP(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_CheckedConnection, req)


class _CheckedHTTPS(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_CheckedSecureConnection, req)
