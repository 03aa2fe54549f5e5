"""Every write route, walked as every role: who may change what is declared here, per route.

The walk reads the URL configuration (every page that answers POST) and the API (every
POST, PUT, PATCH and DELETE operation), so a new write route fails the test until its rule
is declared in :data:`PAGES` or :data:`API`. For each route and each role, against objects
of the walkers' own store (external users are granted each one), with a dummy payload:

- a role the rule admits passes authorisation: any answer but 401, 403, 404, 405 or a
  server error (the dummy payload may well be refused as invalid, that is the next step);
- every other role gets 403 or 404, before any validation: never 2xx, never a redirect,
  never 400 or 422. Read-only roles (auditor, executive, external) hold no write capability,
  so every capability rule refuses them.

A rule is a capability (:mod:`vigil.core.roles`) or, where a route is narrower or wider,
the roles it admits and why. Store scope is the scope walk's business (tests/core/
test_scope_walk.py); here every object is in the walkers' store.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import get_resolver, reverse

from tests.conftest import World, make_subject, make_user
from tests.core.test_scope_walk import store_b_objects, walk
from vigil.api import api
from vigil.cases import casework
from vigil.cases.models import NotificationChannel
from vigil.core import tokens
from vigil.core.models import AccessGrant, Role, User
from vigil.core.roles import ROLE_CAPABILITIES, Capability
from vigil.core.writes import URL_OBJECTS

__all__ = ["store_b_objects"]  # the scope walk's objects of store B: the walkers work there

Objects = dict[str, Callable[[], Any]]
READ_ONLY = (Role.AUDITOR, Role.EXECUTIVE, Role.EXTERNAL)
WRITE_METHODS = ("post", "put", "patch", "delete")


@dataclass(frozen=True)
class Rule:
    """Who passes authorisation on one write route."""

    capability: Capability | None = None
    roles: frozenset[str] | None = None  # instead of "holds the capability", with why
    why: str = ""
    form: Callable[[Objects], dict[str, Any]] | None = None  # enough to name a store
    path: dict[str, Any] = field(default_factory=dict)  # URL values other than the objects'

    def admits(self, role: str) -> bool:
        if self.roles is not None:
            return role in self.roles
        return self.capability in ROLE_CAPABILITIES[role]


def needs(capability: Capability, **extra: Any) -> Rule:
    return Rule(capability=capability, **extra)


def only(*roles: str, why: str, capability: Capability | None = None) -> Rule:
    return Rule(capability=capability, roles=frozenset(roles), why=why)


def anyone(why: str) -> Rule:
    """Not a change to the organisation's records: one's own session or settings. External
    users have the sharing portal and none of the internal pages."""
    return Rule(roles=frozenset(Role) - {Role.EXTERNAL}, why=why)


def own_account(why: str) -> Rule:
    """One's own sign-in: password, second factors. Every role has one, external users too."""
    return Rule(roles=frozenset(Role), why=why)


RECORD = needs(Capability.RECORD)
INVESTIGATE = needs(Capability.INVESTIGATE)


def _store(objects: Objects) -> dict[str, Any]:
    return {"store": objects["store_code"]()}


def _training(objects: Objects) -> dict[str, Any]:
    from vigil.training.models import Module

    module = Module.objects.get(key="de-escalation")
    return {"module": module.pk, "stores": objects["store_code"](), "due_on": "2030-01-01"}


# URL name -> rule, for every page that answers POST.
PAGES: dict[str, Rule] = {
    "core:login": own_account("signing in: a signed-in user is sent on to the dashboard"),
    "core:logout": own_account("signing out"),
    "core:store-switch": anyone("which of one's stores the pages show"),
    "core:saved-view-new": Rule(
        roles=frozenset(Role) - {Role.EXTERNAL},
        why="one's own named view of a list, not a record",
        form=lambda objects: {"list_key": "incidents", "name": "walked", "query": "status=open"},
    ),
    "core:saved-view-deletion": only(
        Role.ADMIN, why="one's own views only; the walk's belongs to the administrator"
    ),
    "core:user-new": needs(Capability.MANAGE_USERS),
    "core:user-detail": needs(Capability.MANAGE_USERS),
    "core:token-list": needs(Capability.USE_API_TOKENS),
    "core:token-revocation": only(
        Role.ADMIN, why="one's own tokens, or anyone's with MANAGE_USERS; the walk's is another's"
    ),
    "core:audit-verification": only(
        Role.ADMIN,
        capability=Capability.VIEW_AUDIT_LOG,
        why="checks the whole chain, so needs every store; the walk's auditor has one",
    ),
    "core:task-run-retry": only(
        Role.ADMIN, why="whoever started the run, or an administrator; the walk's is another's"
    ),
    "cases:incident-new": RECORD,
    "cases:incident-edit": RECORD,
    "cases:party-add": RECORD,
    "cases:stop-new": RECORD,
    "cases:stop-detail": RECORD,
    "cases:statement-new": RECORD,
    "cases:case-statement-new": RECORD,
    "cases:statement-sign": RECORD,
    "cases:statement-revise": RECORD,
    "cases:narrative-check": anyone("checks a draft's wording and stores nothing"),
    "cases:case-new": INVESTIGATE,
    "cases:case-edit": INVESTIGATE,
    "cases:case-close": INVESTIGATE,
    "cases:case-reopen": INVESTIGATE,
    "cases:link-add": INVESTIGATE,
    "cases:case-subject-new": INVESTIGATE,
    "cases:case-vehicle-new": INVESTIGATE,
    "cases:link-remove": INVESTIGATE,
    "cases:task-add": INVESTIGATE,
    "cases:task-status": INVESTIGATE,
    "cases:task-update": INVESTIGATE,
    "cases:note-add": INVESTIGATE,
    "cases:note-detail": INVESTIGATE,
    "cases:timeline-add": INVESTIGATE,
    "cases:hearing-new": INVESTIGATE,
    "cases:hearing-detail": INVESTIGATE,
    "cases:court-outcome": INVESTIGATE,
    "cases:civil-demand-new": INVESTIGATE,
    "cases:civil-letter-send": INVESTIGATE,
    "cases:civil-payment-add": INVESTIGATE,
    "cases:subject-new": RECORD,
    "cases:subject-edit": RECORD,
    "cases:vehicle-new": RECORD,
    "cases:vehicle-edit": RECORD,
    "evidence:custody-add": RECORD,
    "intel:network-case": INVESTIGATE,
    "intel:suggestion-decision": INVESTIGATE,
    "intel:ignored-values": INVESTIGATE,
    "intel:run-new": INVESTIGATE,
    "evidence:evidence-delete": INVESTIGATE,
    "evidence:evidence-verify": RECORD,
    "evidence:evidence-redaction": INVESTIGATE,
    "evidence:package-new": INVESTIGATE,
    "evidence:package-verify": RECORD,
    "evidence:share-new": INVESTIGATE,
    "evidence:share-revoke": INVESTIGATE,
    "pos:exception-bulk-review": INVESTIGATE,
    "pos:exception-review": INVESTIGATE,
    "pos:exception-escalation": INVESTIGATE,
    "pos:reason-list": needs(Capability.SET_REVIEW_CHOICES),
    "pos:ranking-access": needs(Capability.MANAGE_USERS),
    "pos:data-set-import": INVESTIGATE,
    "pos:data-set-scan": INVESTIGATE,
    "video:alert-action": RECORD,
    "video:camera-list": needs(Capability.RECORD, form=_store),
    "video:camera-zones": RECORD,
    "video:camera-settings": RECORD,
    "audits:walk-start": needs(Capability.RECORD, form=_store),
    "audits:schedule-defaults": needs(Capability.RECORD, form=_store),
    "audits:walk-answer": RECORD,
    "audits:walk-photo": RECORD,
    "audits:walk-complete": RECORD,
    "audits:action-detail": RECORD,
    "safety:emergency-start": needs(Capability.RECORD, form=_store),
    "safety:emergency-action": needs(Capability.RECORD, path={"action": "note"}),
    "safety:osha-log": RECORD,
    "safety:osha-case-new": RECORD,
    "safety:hazard-list": needs(Capability.RECORD, form=_store),
    "safety:hazard-photo": RECORD,
    "training:assign": needs(Capability.RECORD, form=_training),
    "training:assignment-detail": needs(Capability.RECORD),  # or the associate: API's test
    "shrink:recommendation-decide": INVESTIGATE,
    "twofactor:verification": own_account("the second step of one's own sign-in"),
    "twofactor:authenticator-apps": own_account("enrolling one's own authenticator app"),
    "twofactor:recovery-codes": own_account("one's own recovery codes"),
    "twofactor:password-change": own_account("one's own password"),
    "twofactor:password-reset": own_account("asks for a reset link by e-mail"),
    "twofactor:policy": needs(Capability.MANAGE_USERS),
    "twofactor:factor-reset": needs(Capability.MANAGE_USERS),
    "twofactor:authenticator-app-removal": only(why="one's own app: another's is not found"),
    "twofactor:passkey-removal": only(why="one's own passkey: another's is not found"),
    "twofactor:password-reset-confirm": only(why="a reset link from one's e-mail: not found"),
    # Passkeys are second factors like any other: external users have them too.
    "otp_webauthn:credential-registration-begin": own_account("one's own passkey"),
    "otp_webauthn:credential-registration-complete": own_account("one's own passkey"),
    "otp_webauthn:credential-authentication-begin": own_account("signing in with a passkey"),
    "otp_webauthn:credential-authentication-complete": own_account("signing in with a passkey"),
    "retention:overview": needs(Capability.MANAGE_ORGANISATION),
    "retention:case-hold-new": INVESTIGATE,
    "retention:incident-hold-new": INVESTIGATE,
    "retention:subject-hold-new": INVESTIGATE,
    "retention:hold-release": INVESTIGATE,
    "sharing:agency-list": needs(Capability.MANAGE_USERS),
    "sharing:agency-detail": needs(Capability.MANAGE_USERS),
    "sharing:grant-new": INVESTIGATE,
    "sharing:grant-revoke": INVESTIGATE,
    "sharing:request-share": INVESTIGATE,
    "sharing:request-close": INVESTIGATE,
    "sharing:request-new": INVESTIGATE,
    "sharing:portal-request-new": only(
        Role.EXTERNAL, why="police ask for footage or documents from their portal"
    ),
}

# "METHOD /api/v1/path" -> rule, for every API operation that changes something.
API: dict[str, Rule] = {
    "POST /api/v1/stores": needs(Capability.MANAGE_ORGANISATION),
    "PATCH /api/v1/stores/{store_code}": needs(Capability.MANAGE_ORGANISATION),
    "POST /api/v1/people": needs(Capability.MANAGE_PEOPLE),
    "PATCH /api/v1/people/{employee_id}": needs(Capability.MANAGE_PEOPLE),
    "POST /api/v1/users": needs(Capability.MANAGE_USERS),
    "PATCH /api/v1/users/{user_id}": needs(Capability.MANAGE_USERS),
    "POST /api/v1/tokens": needs(Capability.USE_API_TOKENS),
    "DELETE /api/v1/tokens/{token_id}": PAGES["core:token-revocation"],
    "POST /api/v1/incidents": RECORD,
    "PATCH /api/v1/incidents/{incident_number}": RECORD,
    "POST /api/v1/incidents/{incident_number}/parties": RECORD,
    "POST /api/v1/narrative-checks": PAGES["cases:narrative-check"],
    "POST /api/v1/incidents/{incident_number}/stops": RECORD,
    "PATCH /api/v1/stops/{stop_id}": RECORD,
    "PUT /api/v1/stops/{stop_id}/elements/{element}": RECORD,
    "POST /api/v1/subjects": RECORD,
    "PATCH /api/v1/subjects/{subject_id}": RECORD,
    "POST /api/v1/vehicles": RECORD,
    "PATCH /api/v1/vehicles/{vehicle_id}": RECORD,
    "POST /api/v1/cases": INVESTIGATE,
    "PATCH /api/v1/cases/{case_number}": INVESTIGATE,
    "POST /api/v1/cases/{case_number}/closure": INVESTIGATE,
    "DELETE /api/v1/cases/{case_number}/closure": INVESTIGATE,
    "POST /api/v1/cases/{case_number}/links": INVESTIGATE,
    "DELETE /api/v1/cases/{case_number}/links/{link_id}": INVESTIGATE,
    "POST /api/v1/cases/{case_number}/tasks": INVESTIGATE,
    "PATCH /api/v1/tasks/{task_id}": INVESTIGATE,
    "POST /api/v1/cases/{case_number}/timeline": INVESTIGATE,
    "POST /api/v1/cases/{case_number}/notes": INVESTIGATE,
    "POST /api/v1/notes/{note_id}/revisions": INVESTIGATE,
    "POST /api/v1/statements": RECORD,
    "POST /api/v1/statements/{statement_id}/versions": RECORD,
    "POST /api/v1/statements/{statement_id}/signature": RECORD,
    "POST /api/v1/notification-channels": needs(Capability.MANAGE_USERS),
    # No body to validate, so no auth=may: the lookup (the owner's channels) comes first.
    "DELETE /api/v1/notification-channels/{channel_id}": needs(Capability.MANAGE_USERS),
    "POST /api/v1/narrative-terms": needs(Capability.MANAGE_ORGANISATION),
    "POST /api/v1/evidence": RECORD,
    "DELETE /api/v1/evidence/{evidence_number}": INVESTIGATE,
    "POST /api/v1/evidence/{evidence_number}/custody": RECORD,
    "POST /api/v1/evidence/{evidence_number}/verification": RECORD,
    "POST /api/v1/packages": INVESTIGATE,
    "POST /api/v1/packages/{package_number}/shares": INVESTIGATE,
    "DELETE /api/v1/shares/{share_id}": INVESTIGATE,
    "POST /api/v1/pos/data-sets": INVESTIGATE,
    "POST /api/v1/pos/exceptions/{exception_id}/review": INVESTIGATE,
    "POST /api/v1/pos/exception-reviews": INVESTIGATE,
    "POST /api/v1/pos/reasons": needs(Capability.SET_REVIEW_CHOICES),
    "POST /api/v1/pos/exceptions/{exception_id}/escalation": INVESTIGATE,
    "POST /api/v1/video/events": RECORD,
    "POST /api/v1/video/clips": RECORD,
    "POST /api/v1/video/health": RECORD,
    "POST /api/v1/video/webhook": RECORD,
    "POST /api/v1/video/eas": RECORD,
    "POST /api/v1/plate-reads": RECORD,
    "POST /api/v1/video/alerts/{alert_id}/acknowledgement": RECORD,
    "POST /api/v1/video/alerts/{alert_id}/dismissal": RECORD,
    "POST /api/v1/video/alerts/{alert_id}/escalation": RECORD,
    "POST /api/v1/video/cameras": RECORD,
    "PATCH /api/v1/video/cameras/{camera_id}": RECORD,
    "POST /api/v1/audits/walks": RECORD,
    "POST /api/v1/audits/walks/{walk_number}/answers": RECORD,
    "POST /api/v1/audits/walks/{walk_number}/completion": RECORD,
    "POST /api/v1/audits/actions/{action_number}/fix": RECORD,
    "POST /api/v1/audits/actions/{action_number}/verification": RECORD,
    "POST /api/v1/safety/emergencies": RECORD,
    "POST /api/v1/safety/emergencies/{emergency_number}/steps": RECORD,
    "POST /api/v1/safety/emergencies/{emergency_number}/responders": RECORD,
    "POST /api/v1/safety/emergencies/{emergency_number}/headcount": RECORD,
    "POST /api/v1/safety/emergencies/{emergency_number}/notes": RECORD,
    "POST /api/v1/safety/emergencies/{emergency_number}/end": RECORD,
    "POST /api/v1/safety/hazards": RECORD,
    "POST /api/v1/safety/osha/cases": RECORD,
    "POST /api/v1/training/assignments": RECORD,
    "POST /api/v1/training/assignments/{assignment_id}/attempts": RECORD,
    "POST /api/v1/shrink/recommendations/{recommendation_number}/decision": INVESTIGATE,
    "POST /api/v1/legal-holds": INVESTIGATE,
    "POST /api/v1/legal-holds/{hold_id}/release": INVESTIGATE,
    "PATCH /api/v1/retention/policies": needs(Capability.MANAGE_ORGANISATION),
}

# URL values that name no object (an element of a stop, a kind of media).
LITERALS = {"element": "approach", "kind": "snapshot", "action": "acknowledge", "which": "finding"}
# A second factor is one's own: no walker owns device 999999. A reset link's user id (the
# token is the share token above: no reset token at all).
LITERALS |= {"device_id": 999_999, "uidb64": "MQ"}


# --- discovery ----------------------------------------------------------------------------


def page_routes() -> list[tuple[str, tuple[str, ...]]]:
    found = {(name, tuple(params)) for name, params in walk(get_resolver().url_patterns)}
    return sorted(route for route in found if not route[0].startswith("api:"))


def _params(route: str) -> list[str]:
    return [part[1:-1] for part in route.split("/") if part.startswith("{")]


def unfillable(objects: Objects, route: str) -> list[str]:
    """The URL values of an API route that this file cannot make yet."""
    return [p for p in _params(route) if p not in objects and p not in LITERALS]


def api_operations() -> Iterator[str]:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    for path, operations in schema["paths"].items():
        for method in operations:
            if method in WRITE_METHODS:
                yield f"{method.upper()} {path}"


def write_pages(world: World, objects: Objects) -> set[str]:
    """Pages that answer POST (any answer but 405) to a signed-in stranger, who may see and
    do nothing (the method is checked before anything else). A page whose URL names a kind
    of object this file cannot make is reported as ``name (needs param)``."""
    stranger = make_user(Role.EXECUTIVE, stores=(world.store_b,))
    served = set()
    for name, params in page_routes():
        missing = [p for p in params if p not in objects and p not in LITERALS]
        if missing:
            served.add(f"{name} (add a factory for {', '.join(missing)})")
            continue
        client = _client(stranger)
        url = reverse(name, kwargs={p: _value(objects, p) for p in params})
        if client.post(url).status_code != 405:
            served.add(name)
    return served


# --- the walkers and their objects ------------------------------------------------------


@pytest.fixture
def people(world: World) -> dict[str, User]:
    """One user per role, all working store B (the administrator everywhere)."""
    walkers: dict[str, User] = {}
    for role in Role:
        if role == Role.ADMIN:
            walkers[role] = make_user(role, everything=True)
        elif role == Role.EXTERNAL:
            walkers[role] = make_user(role)
        elif role == Role.REGIONAL_DIRECTOR:
            walkers[role] = make_user(role, regions=(world.region_b,))
        else:
            walkers[role] = make_user(role, stores=(world.store_b,))
    return walkers


@pytest.fixture
def objects(
    world: World, store_b_objects: Objects, outsider: User, people: dict[str, User]
) -> Objects:
    """The scope walk's store-B objects, with a fresh one each time where a write removes it."""

    def fresh_link() -> int:
        from vigil.cases.models import Case

        case = Case.objects.get(number=store_b_objects["case_number"]())
        return int(casework.link(outsider, case, make_subject(world.store_b)).pk)

    def fresh_token() -> int:
        return int(tokens.issue(outsider, name="walked")[0].pk)

    def held_case() -> int:
        # A hold in force on store B's case: each walker that may release one gets its own.
        from vigil.cases.models import Case
        from vigil.retention.holds import place

        case = Case.objects.get(number=store_b_objects["case_number"]())
        return int(place(outsider, case, reason="write walk").pk)

    def admins_channel() -> int:
        # A channel is its owner's; the walk's administrator deletes their own.
        channel = NotificationChannel.objects.create(
            user=people[Role.ADMIN], kind="webhook", url="https://hooks.example.com/walk"
        )
        return int(channel.pk)

    def admins_view() -> int:
        from vigil.core.savedviews import save_view

        return int(save_view(people[Role.ADMIN], "incidents", "walked", "").pk)

    def fresh_suggestion() -> int:
        # Deciding answers a pair, and a walker's linking run replaces a run's suggestions:
        # each walker gets a pair of its own.
        from vigil.intel.models import IntelRun, Suggestion

        suggestion = Suggestion.objects.create(
            run=IntelRun.objects.create(), kind="person", probability=0.9,
            subject_a=make_subject(world.store_b, name="B walker"),
            subject_b=make_subject(world.store_b, name="B walker's look-alike"),
        )  # fmt: skip
        suggestion.stores.set([world.store_b])
        return int(suggestion.pk)

    return {
        **store_b_objects,
        "suggestion_id": fresh_suggestion,
        "view_id": admins_view,
        "link_id": fresh_link,
        "token_id": fresh_token,
        "channel_id": admins_channel,
        "hold_id": held_case,
    }


def grant_everything(external: User, objects: Objects, admin: User) -> None:
    """Share every object the walk names with the external user: they can find it, and
    are refused the write for their role, not for want of a grant."""
    for name, (label, lookup) in URL_OBJECTS.items():
        if name not in objects:
            continue
        found = apps.get_model(label).objects.get(**{lookup: objects[name]()})
        AccessGrant.objects.create(
            grantee=external,
            content_type=ContentType.objects.get_for_model(found),
            object_id=str(found.pk),
            reason="write walk",
            granted_by=admin,
        )


def _value(objects: Objects, param: str, rule: Rule | None = None) -> Any:
    if rule is not None and param in rule.path:
        return rule.path[param]
    return LITERALS[param] if param in LITERALS else objects[param]()


def _client(user: User) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


# --- the walk ---------------------------------------------------------------------------


def _page_write(
    client: Client, name: str, params: tuple[str, ...], rule: Rule, objects: Objects
) -> int:
    url = reverse(name, kwargs={p: _value(objects, p, rule) for p in params})
    return int(client.post(url, data=rule.form(objects) if rule.form else {}).status_code)


def _api_write(client: Client, route: str, rule: Rule, objects: Objects) -> int:
    method, url = route.split(" ", 1)
    for param in _params(url):
        url = url.replace(f"{{{param}}}", str(_value(objects, param, rule)))
    body = json.dumps(rule.form(objects) if rule.form else {})
    call = getattr(client, method.lower())
    return int(call(url, data=body, content_type="application/json").status_code)


def _judge(route: str, role: str, rule: Rule, status: int) -> str | None:
    if rule.admits(role):
        if status in (401, 403, 404, 405) or status >= 500:
            return f"{route} as {role}: {status}, but the rule admits {role}"
        return None
    if status not in (403, 404):
        return f"{route} as {role}: {status}, expected 403 or 404"
    return None


def _in_order(people: dict[str, User], rule: Rule) -> list[tuple[str, User]]:
    """The refused first: an admitted role's write (closing a case) must not change what
    the next role is refused."""
    return sorted(people.items(), key=lambda item: rule.admits(item[0]))


def test_every_write_route_has_a_declared_rule(world: World, objects: Objects) -> None:
    undeclared = sorted(write_pages(world, objects) - set(PAGES)) + sorted(
        set(api_operations()) - set(API)
    )
    assert not undeclared, "Declare who may write (PAGES or API in this file):\n" + "\n".join(
        undeclared
    )
    unwalked = [f"{r} (add a factory for {', '.join(unfillable(objects, r))})" for r in API]
    assert not [r for r in unwalked if "for )" not in r], "Cannot walk:\n" + "\n".join(
        r for r in unwalked if "for )" not in r
    )
    stale = sorted(set(PAGES) - write_pages(world, objects)) + sorted(
        set(API) - set(api_operations())
    )
    assert not stale, "Declared, but no longer a write route:\n" + "\n".join(stale)


def test_read_only_roles_hold_no_write_capability() -> None:
    # Reading the audit log is the auditor's; verifying its chain (a background read) too.
    reading = {Capability.VIEW, Capability.VIEW_AUDIT_LOG}
    for role in READ_ONLY:
        assert ROLE_CAPABILITIES[role] <= reading, role


def test_every_role_meets_the_rule_of_every_write_route(
    world: World, objects: Objects, people: dict[str, User]
) -> None:
    grant_everything(people[Role.EXTERNAL], objects, people[Role.ADMIN])
    clients = {role: _client(user) for role, user in people.items()}
    problems: list[str] = []
    pages = write_pages(world, objects)
    for name, params in page_routes():
        if name not in pages or name not in PAGES:
            continue
        rule = PAGES[name]
        for role, user in _in_order(people, rule):
            status = _page_write(clients[role], name, params, rule, objects)
            problems += filter(None, [_judge(name, role, rule, status)])
            if name in ("core:logout", "core:login"):
                clients[role] = _client(user)
    for route in api_operations():
        rule = API.get(route)
        if rule is None or unfillable(objects, route):
            continue  # the declaration test names it
        for role, _user in _in_order(people, rule):
            status = _api_write(clients[role], route, rule, objects)
            problems += filter(None, [_judge(route, role, rule, status)])
    assert not problems, f"{len(problems)} write(s) answered against their rule:\n" + "\n".join(
        problems
    )
