"""Request ids and client addresses, as the audit log records them."""

from __future__ import annotations

from typing import Any

from django.test import RequestFactory

from vigil.core.middleware import client_ip


def test_forwarded_header_is_ignored_without_trusted_proxies(settings: Any) -> None:
    settings.VIGIL_TRUSTED_PROXY_HOPS = 0
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "10.0.0.2"


def test_behind_one_proxy_the_address_it_saw_is_used(settings: Any) -> None:
    settings.VIGIL_TRUSTED_PROXY_HOPS = 1
    # The client forged the first entry; our proxy appended the real one.
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="127.0.0.1"
    )
    assert client_ip(request) == "203.0.113.7"


def test_a_garbled_forwarded_address_is_not_recorded(settings: Any) -> None:
    settings.VIGIL_TRUSTED_PROXY_HOPS = 1
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="<script>", REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) is None


def test_every_response_carries_a_request_id(client: Any, db: Any) -> None:
    response = client.get("/login/")
    assert len(response["X-Request-ID"]) == 32
    kept = client.get("/login/", HTTP_X_REQUEST_ID="proxy-req-12345678")
    assert kept["X-Request-ID"] == "proxy-req-12345678"


def test_every_page_says_which_scripts_may_run_and_what_the_browser_may_do(
    owner_client: Any,
) -> None:
    response = owner_client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "microphone=()" in response["Permissions-Policy"]


def test_no_page_template_holds_an_inline_script_or_handler() -> None:
    import re
    from pathlib import Path

    import vigil

    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|\son[a-z]+=")
    found = [
        str(path)
        for path in Path(vigil.__file__).parent.rglob("templates/**/*.html")
        if "/report/" not in str(path) and inline.search(path.read_text())
    ]
    assert found == []
