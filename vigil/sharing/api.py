"""The portal's API: what is shared with the signed-in external user, and nothing more."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from vigil.core.models import Role
from vigil.core.pages import api_user
from vigil.sharing import grants
from vigil.sharing.grants import SharedRecord
from vigil.sharing.portal import facts_of, text_of, title_of
from vigil.sharing.shareables import store_of

router = Router(tags=["shared with me"])


class FactOut(Schema):
    label: str
    value: str


class SharedLinkOut(Schema):
    grant_id: int
    kind: str
    title: str


class SharedOut(Schema):
    grant_id: int
    kind: str
    title: str
    store: str | None
    reason: str
    shared_at: datetime
    until: datetime | None


class SharedDetailOut(SharedOut):
    facts: list[FactOut]
    text: str
    also_shared: list[SharedLinkOut]


def _external(request: HttpRequest) -> Any:
    user = api_user(request)
    if user.role != Role.EXTERNAL:
        raise Http404("This part of the API is for users outside the company.")
    return user


def _summary(item: SharedRecord) -> dict[str, Any]:
    store = store_of(item.record)
    return {
        "grant_id": item.grant.pk,
        "kind": item.kind.key,
        "title": title_of(item),
        "store": store.name if store else None,
        "reason": item.grant.reason,
        "shared_at": item.grant.granted_at,
        "until": item.grant.expires_at,
    }


@router.get("/shared-with-me", response=list[SharedOut])
@paginate
def list_shared(request: HttpRequest) -> list[dict[str, Any]]:
    return [_summary(item) for item in grants.shared_with(_external(request))]


@router.get("/shared-with-me/{grant_id}", response=SharedDetailOut)
def get_shared(request: HttpRequest, grant_id: int) -> dict[str, Any]:
    user = _external(request)
    item = grants.open_shared(user, grant_id)
    grants.record_opened(item, "view")
    return {
        **_summary(item),
        "facts": [{"label": fact.label, "value": fact.value} for fact in facts_of(item)],
        "text": text_of(item),
        "also_shared": [
            {"grant_id": other.grant.pk, "kind": other.kind.key, "title": title_of(other)}
            for other in grants.shared_links(user, item.record)
        ],
    }
