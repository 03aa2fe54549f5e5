"""Who is acting, and through what: read by the audit log when it writes an event.

The request middleware, the API token check, the CLI and background tasks each set this
context, so domain code never passes "the current user" around just for auditing.
"""

from __future__ import annotations

import contextlib
import contextvars
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    """The person (or process) behind a change."""

    user_id: int | None = None
    username: str = ""
    request_id: str = ""
    ip: str | None = None
    via: str = ""


SYSTEM = Actor(username="system", via="system")
_current: contextvars.ContextVar[Actor] = contextvars.ContextVar("vigil_actor", default=SYSTEM)


def current_actor() -> Actor:
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextlib.contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    """Run a block with ``actor`` as the one the audit log names."""
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def actor_for_user(user: Any, *, via: str, request_id: str = "", ip: str | None = None) -> Actor:
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(username="anonymous", via=via, request_id=request_id, ip=ip)
    return Actor(
        user_id=user.pk, username=user.get_username(), via=via, request_id=request_id, ip=ip
    )


def switch_user(user: Any, *, via: str | None = None) -> None:
    """Name ``user`` as the actor for the rest of the current request or task."""
    actor = current_actor()
    chosen = actor_for_user(user, via=via or actor.via, request_id=actor.request_id, ip=actor.ip)
    _current.set(chosen)
