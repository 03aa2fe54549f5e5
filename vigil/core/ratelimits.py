"""API rate limits: per client (an API token, or a signed-in user) and per address.

A script that loops too fast, or a stolen token, gets 429 with ``Retry-After`` instead of a
server brought to its knees. The counts live in Django's cache: in the process by default
(so each web process counts its own share), or shared when the operator configures a shared
cache. Limits are read at each request (``VIGIL_API_RATE_PER_CLIENT``,
``VIGIL_API_RATE_PER_ADDRESS``), each a number of requests per window of seconds.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from vigil.core.middleware import client_ip


class _Window(BaseThrottle):
    """At most ``count`` requests in any ``seconds``, per key; a sliding window."""

    setting = ""
    prefix = ""

    def __init__(self) -> None:
        self._wait: int | None = None

    def key(self, request: HttpRequest) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: HttpRequest) -> bool:
        count, seconds = getattr(settings, self.setting)
        found = self.key(request)
        if found is None:
            return True
        key = f"vigil-rate:{self.prefix}:{found}"
        now = time.time()
        recent = [moment for moment in cache.get(key, []) if moment > now - seconds]
        if len(recent) >= count:
            self._wait = max(1, math.ceil(recent[-1] + seconds - now))
            return False
        cache.set(key, [now, *recent][:count], timeout=seconds)
        return True

    def wait(self) -> int | None:
        return self._wait


class PerClient(_Window):
    """Per API token (by its hash), else per signed-in user."""

    setting = "API_RATE_PER_CLIENT"
    prefix = "client"

    def key(self, request: HttpRequest) -> str | None:
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            return "token:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
        user = getattr(request, "user", None)
        return f"user:{user.pk}" if user is not None and user.is_authenticated else None


class PerAddress(_Window):
    """Per caller address (as the trusted proxies report it)."""

    setting = "API_RATE_PER_ADDRESS"
    prefix = "address"

    def key(self, request: HttpRequest) -> str | None:
        return client_ip(request)
