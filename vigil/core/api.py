"""Core API: the organisation, people, users, tokens, the audit log and task runs.

Every handler fetches through ``visible_to`` / ``get_visible_or_404`` (store scope first,
so out-of-scope objects are 404) and checks the role's capability before any change.
"""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from vigil.core import accounts, records, tokens
from vigil.core.apiauth import may
from vigil.core.auditlog import filter_events
from vigil.core.models import (
    ApiToken,
    AuditEvent,
    Person,
    Region,
    Store,
    TaskRun,
    User,
)
from vigil.core.pages import api_user
from vigil.core.roles import Capability, require
from vigil.core.schemas import (
    AuditEventOut,
    MeOut,
    PersonIn,
    PersonOut,
    PersonPatch,
    RegionOut,
    StoreIn,
    StoreOut,
    StorePatch,
    TaskRunOut,
    TokenCreated,
    TokenIn,
    TokenOut,
    UserIn,
    UserOut,
    UserPatch,
)
from vigil.core.scoping import get_visible_or_404

router = Router(tags=["organisation"])


@router.get("/me", response=MeOut, tags=["users"])
def me(request: HttpRequest) -> User:
    return api_user(request)


# --- regions and stores -------------------------------------------------------------


@router.get("/regions", response=list[RegionOut])
@paginate
def list_regions(request: HttpRequest) -> QuerySet[Region]:
    return Region.objects.visible_to(api_user(request)).order_by("code")


@router.get("/regions/{region_code}", response=RegionOut)
def get_region(request: HttpRequest, region_code: str) -> Region:
    return get_visible_or_404(Region.objects.all(), api_user(request), code=region_code)


def _stores(request: HttpRequest) -> QuerySet[Store]:
    return (
        Store.objects.visible_to(api_user(request))
        .select_related("region")
        .prefetch_related("opening_hours")
    )


@router.get("/stores", response=list[StoreOut])
@paginate
def list_stores(request: HttpRequest, region: str | None = None) -> QuerySet[Store]:
    stores = _stores(request)
    return stores.filter(region__code=region) if region else stores


@router.get("/stores/{store_code}", response=StoreOut)
def get_store(request: HttpRequest, store_code: str) -> Store:
    return get_visible_or_404(_stores(request), api_user(request), code=store_code)


@router.post("/stores", response={201: StoreOut}, auth=may(Capability.MANAGE_ORGANISATION))
def create_store(request: HttpRequest, payload: StoreIn) -> Status[Any]:
    user = api_user(request)
    require(user, Capability.MANAGE_ORGANISATION)
    region = get_visible_or_404(Region.objects.all(), user, code=payload.region)
    data = payload.dict(exclude={"region", "opening_hours"})
    store = records.apply_changes(Store(region=region), data)
    records.set_opening_hours(
        store, [(h.weekday, h.opens, h.closes) for h in payload.opening_hours]
    )
    return Status(201, get_store(request, store.code))


@router.patch("/stores/{store_code}", response=StoreOut, auth=may(Capability.MANAGE_ORGANISATION))
def update_store(request: HttpRequest, store_code: str, payload: StorePatch) -> Store:
    user = api_user(request)
    store = get_visible_or_404(Store.objects.all(), user, code=store_code)
    require(user, Capability.MANAGE_ORGANISATION)
    records.apply_changes(store, payload.dict(exclude={"opening_hours"}, exclude_unset=True))
    if payload.opening_hours is not None:
        records.set_opening_hours(
            store, [(h.weekday, h.opens, h.closes) for h in payload.opening_hours]
        )
    return get_store(request, store_code)


# --- people ---------------------------------------------------------------------------


class PeopleFilter(Schema):
    store: str | None = None
    role: str | None = None
    q: str | None = None


@router.get("/people", response=list[PersonOut], tags=["people"])
@paginate
def list_people(request: HttpRequest, filters: Query[PeopleFilter]) -> QuerySet[Person]:
    people = Person.objects.visible_to(api_user(request)).select_related("home_store")
    if filters.store:
        people = people.filter(home_store__code=filters.store)
    if filters.role:
        people = people.filter(role=filters.role)
    return records.search_people(people, filters.q)


@router.get("/people/{employee_id}", response=PersonOut, tags=["people"])
def get_person(request: HttpRequest, employee_id: str) -> Person:
    people = Person.objects.select_related("home_store")
    return get_visible_or_404(people, api_user(request), employee_id=employee_id)


@router.post(
    "/people", response={201: PersonOut}, tags=["people"], auth=may(Capability.MANAGE_PEOPLE)
)
def create_person(request: HttpRequest, payload: PersonIn) -> Status[Any]:
    user = api_user(request)
    require(user, Capability.MANAGE_PEOPLE)
    store = get_visible_or_404(Store.objects.all(), user, code=payload.home_store)
    person = records.apply_changes(Person(home_store=store), payload.dict(exclude={"home_store"}))
    return Status(201, person)


@router.patch(
    "/people/{employee_id}", response=PersonOut, tags=["people"], auth=may(Capability.MANAGE_PEOPLE)
)
def update_person(request: HttpRequest, employee_id: str, payload: PersonPatch) -> Person:
    user = api_user(request)
    person = get_visible_or_404(Person.objects.all(), user, employee_id=employee_id)
    require(user, Capability.MANAGE_PEOPLE)
    changes: dict[str, Any] = payload.dict(exclude={"home_store"}, exclude_unset=True)
    if payload.home_store is not None:
        changes["home_store"] = get_visible_or_404(
            Store.objects.all(), user, code=payload.home_store
        )
    return records.apply_changes(person, changes)


# --- users and tokens -----------------------------------------------------------------


def _users(request: HttpRequest) -> QuerySet[User]:
    return (
        User.objects.visible_to(api_user(request))
        .select_related("person")
        .prefetch_related("stores", "regions")
    )


@router.get("/users", response=list[UserOut], tags=["users"])
@paginate
def list_users(request: HttpRequest, role: str | None = None) -> QuerySet[User]:
    require(api_user(request), Capability.MANAGE_USERS)
    users = _users(request)
    return users.filter(role=role) if role else users


@router.get("/users/{user_id}", response=UserOut, tags=["users"])
def get_user(request: HttpRequest, user_id: int) -> User:
    target = get_visible_or_404(_users(request), api_user(request), pk=user_id)
    require(api_user(request), Capability.MANAGE_USERS)
    return target


@router.post("/users", response={201: UserOut}, tags=["users"], auth=may(Capability.MANAGE_USERS))
def create_user(request: HttpRequest, payload: UserIn) -> Status[Any]:
    admin = api_user(request)
    require(admin, Capability.MANAGE_USERS)
    return Status(201, accounts.create_user(admin, payload.dict()))


@router.patch(
    "/users/{user_id}", response=UserOut, tags=["users"], auth=may(Capability.MANAGE_USERS)
)
def update_user(request: HttpRequest, user_id: int, payload: UserPatch) -> User:
    admin = api_user(request)
    target = get_visible_or_404(_users(request), admin, pk=user_id)
    require(admin, Capability.MANAGE_USERS)
    return accounts.change_user(admin, target, payload.dict(exclude_unset=True))


def _tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    return ApiToken.objects.visible_to(api_user(request)).select_related("user")


@router.get("/tokens", response=list[TokenOut], tags=["tokens"])
@paginate
def list_tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    return _tokens(request)


@router.post(
    "/tokens", response={201: TokenCreated}, tags=["tokens"], auth=may(Capability.USE_API_TOKENS)
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status[Any]:
    user = api_user(request)
    owner = user
    if payload.user_id is not None and payload.user_id != user.pk:
        owner = get_visible_or_404(User.objects.all(), user, pk=payload.user_id)
        require(user, Capability.MANAGE_USERS)
    else:
        require(user, Capability.USE_API_TOKENS)
    token, raw = tokens.issue(owner, name=payload.name, days=payload.days, created_by=user)
    token.token = raw  # type: ignore[attr-defined]  # the one response that carries it
    return Status(201, token)


@router.delete("/tokens/{token_id}", response=TokenOut, tags=["tokens"])
def revoke_token(request: HttpRequest, token_id: int) -> ApiToken:
    token = get_visible_or_404(_tokens(request), api_user(request), pk=token_id)
    return tokens.revoke(token)


# --- audit log and task runs ------------------------------------------------------------


class AuditFilter(Schema):
    action: str | None = None
    actor: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    store: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@router.get("/audit-events", response=list[AuditEventOut], tags=["audit"])
@paginate
def list_audit_events(request: HttpRequest, filters: Query[AuditFilter]) -> QuerySet[AuditEvent]:
    user = api_user(request)
    require(user, Capability.VIEW_AUDIT_LOG)
    return filter_events(AuditEvent.objects.visible_to(user), **filters.dict())


@router.get("/audit-events/{event_seq}", response=AuditEventOut, tags=["audit"])
def get_audit_event(request: HttpRequest, event_seq: int) -> AuditEvent:
    user = api_user(request)
    event = get_visible_or_404(AuditEvent.objects.select_related("store"), user, seq=event_seq)
    require(user, Capability.VIEW_AUDIT_LOG)
    return event


@router.get("/task-runs", response=list[TaskRunOut], tags=["tasks"])
@paginate
def list_task_runs(request: HttpRequest) -> QuerySet[TaskRun]:
    return TaskRun.objects.visible_to(api_user(request))


@router.get("/task-runs/{task_run_id}", response=TaskRunOut, tags=["tasks"])
def get_task_run(request: HttpRequest, task_run_id: UUID) -> TaskRun:
    return get_visible_or_404(TaskRun.objects.all(), api_user(request), pk=task_run_id)
