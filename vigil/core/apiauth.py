"""Who an API request is (a token or the browser's session) and, on a write, whether they may.

The API authenticates every operation with :class:`TokenAuth` or :class:`BrowserSessionAuth`.
A write operation passes ``auth=may(Capability.X)``: the same two, which after signing the
caller in refuse one whose role lacks the capability (404 first for an object out of scope,
:func:`vigil.core.writes.refuse_unless`). django-ninja runs auth before it reads the body, so
a refused caller gets 403 and never a validation error.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth
from ninja.security.base import AuthBase

from vigil.core import tokens
from vigil.core.context import switch_user
from vigil.core.middleware import client_ip
from vigil.core.roles import Capability
from vigil.core.writes import Admission, refuse_unless


def _may_write(request: HttpRequest, user: Any, capability: Capability | None, admit: Any) -> Any:
    if user is not None and capability is not None:
        match = request.resolver_match
        refuse_unless(user, capability, match.kwargs if match else {}, admit)
    return user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer vgl_…``: machines and scripts."""

    def __init__(
        self, capability: Capability | None = None, admit: Admission | None = None
    ) -> None:
        self.capability = capability
        self.admit = admit
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = tokens.authenticate(token, client_ip(request))
        if user is not None:
            request.user = user
            switch_user(user, via="api")
        return _may_write(request, user, self.capability, self.admit)


class BrowserSessionAuth(SessionAuth):
    """The browser's session cookie, with Django's CSRF check on unsafe methods."""

    def __init__(
        self,
        csrf: bool = True,
        capability: Capability | None = None,
        admit: Admission | None = None,
    ) -> None:
        self.capability = capability
        self.admit = admit
        super().__init__(csrf=csrf)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return _may_write(request, user, self.capability, self.admit)
        return None


def may(capability: Capability, admit: Admission | None = None) -> list[AuthBase]:
    """The auth of a write operation: signed in, and holding ``capability``."""
    return [
        TokenAuth(capability, admit),
        BrowserSessionAuth(csrf=True, capability=capability, admit=admit),
    ]
