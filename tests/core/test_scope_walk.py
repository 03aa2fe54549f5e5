"""Every URL pattern and every API route, walked as an outsider: 404 for store B's objects.

New routes are covered automatically: the walk reads the URL configuration, and a route
with a parameter this file cannot fill fails the test until its factory is added below.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import (
    World,
    add_evidence,
    client_for,
    make_case,
    make_incident,
    make_person,
    make_subject,
    make_user,
)
from vigil.cases.models import NotificationChannel, Vehicle
from vigil.core import audit, tokens
from vigil.core.models import AuditEvent, Role, TaskRun, User
from vigil.core.models.audit import AuditAction

METHODS = ("get", "post", "patch", "put", "delete")


def walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, list[str]]]:
    """(url name, parameter names) of every named URL pattern."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = (
                f"{namespace}:{entry.namespace}"
                if namespace and entry.namespace
                else (entry.namespace or namespace)
            )
            yield from walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            params = list(entry.pattern.regex.groupindex)
            yield name, params


@pytest.fixture
def store_b_objects(world: World, outsider: User) -> dict[str, Callable[[], Any]]:
    """Parameter name -> a value that names an object of store B."""
    person_b = make_person(world.store_b, name="Zebediah Storebee")
    user_b = make_user(Role.LP_OFFICER, stores=(world.store_b,), person=person_b)
    token_b, _ = tokens.issue(user_b, name="worker B")
    event_b = audit.record(AuditAction.UPDATE, obj=person_b, store_id=world.store_b.pk)
    run_b = TaskRun.objects.create(
        task_name="t", label="store B run", store=world.store_b, requested_by=user_b
    )
    investigations = _store_b_investigations(world, user_b)
    return {
        **investigations,
        "store_code": lambda: world.store_b.code,
        "region_code": lambda: world.region_b.code,
        "employee_id": lambda: person_b.employee_id,
        "user_id": lambda: user_b.pk,
        "token_id": lambda: token_b.pk,
        "event_seq": lambda: event_b.seq,
        "task_run_id": lambda: run_b.pk,
        **_store_b_account(user_b),
    }


def _store_b_account(user_b: User) -> dict[str, Callable[[], Any]]:
    """User B's authenticator app, and a password-reset link naming user B (with a token
    that is not a reset token): neither is another user's to remove or to use."""
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user_b, name="B's phone", confirmed=True)
    return {
        "device_id": lambda: device.pk,
        "uidb64": lambda: urlsafe_base64_encode(force_bytes(user_b.pk)),
    }


def _store_b_investigations(world: World, user_b: User) -> dict[str, Callable[[], Any]]:
    """An incident, case, subject, vehicle, stop, statement, evidence and package of store B."""
    from django.utils import timezone

    from vigil.cases import casework, statements, stops
    from vigil.evidence import packages, sharing

    investigator_b = make_user(Role.LP_MANAGER, stores=(world.store_b,))
    incident = make_incident(world.store_b, investigator_b)
    case = make_case(world.store_b, investigator_b)
    subject = make_subject(world.store_b)
    vehicle = Vehicle.objects.create(store=world.store_b, plate="B1")
    link = casework.link(investigator_b, case, subject)
    note = casework.save_note(investigator_b, case, "store B note")
    stop = stops.record_stop(investigator_b, incident, {"started_at": timezone.now()})
    statement = statements.take_statement(
        investigator_b,
        {
            "store": world.store_b,
            "incident": incident,
            "witness_name": "B witness",
            "started_at": timezone.now(),
        },
        body="Seen in store B",
    )
    item = add_evidence(investigator_b, b"store B clip", incident=incident.number)
    package = packages.build_package(investigator_b, purpose="B police", incident=incident)
    share, token = sharing.share(investigator_b, package, recipient="B detective")
    # A share link is a bearer key by design (its own tests cover it); the scope walk is
    # given a revoked one, which must be as dead as an outsider's guess.
    sharing.revoke(investigator_b, share)
    shared = _store_b_grant_and_request(world, investigator_b, case)
    return {
        **shared,
        "incident_number": lambda: incident.number,
        "case_number": lambda: case.number,
        "subject_id": lambda: subject.pk,
        "vehicle_id": lambda: vehicle.pk,
        "link_id": lambda: link.pk,
        "note_id": lambda: note.pk,
        "task_id": lambda: case.tasks.first().pk,
        "stop_id": lambda: stop.pk,
        "element": lambda: "approach",
        "statement_id": lambda: statement.pk,
        "evidence_number": lambda: item.number,
        "package_number": lambda: package.number,
        "share_id": lambda: share.pk,
        "token": lambda: token,
        "exception_id": lambda: _store_b_pos_exception(world).pk,
        "view_id": lambda: (
            user_b.saved_views.get_or_create(list_key="leads", name="B's morning", query="rule=x")[
                0
            ].pk
        ),
        "file_format": lambda: "csv",
        "alert_id": lambda: _store_b_alert(world).pk,
        "camera_id": lambda: _store_b_alert(world).camera_id,
        "kind": lambda: "snapshot",
        "walk_number": lambda: _store_b_walk(world).number,
        "item_key": lambda: "front-knee",
        "action_number": lambda: _store_b_walk(world).actions.get().number,
        "which": lambda: "finding",
        "emergency_number": lambda: _store_b_emergency(world).number,
        "hazard_number": lambda: _store_b_hazard(world).number,
        "assignment_id": lambda: _store_b_assignment(world).pk,
        "year": lambda: 2026,
        "action": lambda: "acknowledge",
        "data_set_id": lambda: _store_b_pos_exception(world).data_set_id,
        "hotspot_id": lambda: _store_b_recommendation(world).hotspot_id,
        "recommendation_number": lambda: _store_b_recommendation(world).number,
        "hold_id": lambda: _store_b_hold(investigator_b, case).pk,
        **_store_b_court(investigator_b, case),
        **_store_b_intel(world, investigator_b, incident, subject),
        "sku": lambda: "RAZ-B",
        "channel_id": lambda: (
            NotificationChannel.objects.create(
                user=user_b, kind="webhook", url="https://hooks.example.com/b", secret="b"
            ).pk
        ),
    }


def _store_b_intel(
    world: World, investigator_b: User, incident: Any, subject: Any
) -> dict[str, Callable[[], Any]]:
    """A linking run's profile, network and suggestion, all of store B's records."""
    from vigil.cases import filing
    from vigil.intel.models import IntelRun, Network, Profile, Suggestion

    other = make_subject(world.store_b, name="B lookalike")
    second = make_incident(world.store_b, investigator_b)
    filing.add_party(investigator_b, incident, "suspect", subject=subject)
    filing.add_party(investigator_b, second, "suspect", subject=other)
    run = IntelRun.objects.create()
    profile = Profile.objects.create(run=run, key="P-B", name="B person")
    profile.subjects.set([subject, other])
    profile.stores.set([world.store_b])
    network = Network.objects.create(run=run, key="N-B")
    network.incidents.set([incident, second])
    network.profiles.set([profile])
    network.stores.set([world.store_b])
    suggestion = Suggestion.objects.create(
        run=run, kind="person", subject_a=subject, subject_b=other, probability=0.9,
        profile=profile,
    )  # fmt: skip
    suggestion.stores.set([world.store_b])
    return {
        "profile_id": lambda: profile.pk,
        "network_id": lambda: network.pk,
        "suggestion_id": lambda: suggestion.pk,
    }


def _store_b_grant_and_request(
    world: World, investigator_b: User, case: Any
) -> dict[str, Callable[[], Any]]:
    """Store B's case shared with a detective, and a subpoena for store B's footage."""
    from datetime import timedelta

    from django.utils import timezone

    from vigil.core.models import Agency
    from vigil.sharing import grants, requests

    agency = Agency.objects.create(name="Store B's police")
    detective = make_user(Role.EXTERNAL)
    grant = grants.share(
        investigator_b, case, grantee=detective, until=timezone.now() + timedelta(days=9),
        reason="B report",
    )  # fmt: skip
    subpoena = requests.record_received(
        investigator_b,
        requests.RequestDetails(
            store=world.store_b, kind="subpoena", their_reference="B-1", sought="B footage",
            due_on=timezone.localdate() + timedelta(days=9),
        ),
        agency,
    )  # fmt: skip
    return {
        "record_kind": lambda: "case",
        "reference": lambda: case.number,
        "grant_id": lambda: grant.pk,
        "agency_id": lambda: agency.pk,
        "request_number": lambda: subpoena.number,
    }


def _store_b_hold(investigator_b: User, case: Any) -> Any:
    """A legal hold on store B's case (the same one each time)."""
    from vigil.retention.holds import place
    from vigil.retention.models import LegalHold

    return LegalHold.objects.filter(case=case).first() or place(
        investigator_b, case, reason="B court order"
    )


def _store_b_court(investigator_b: User, case: Any) -> dict[str, Callable[[], Any]]:
    """A court date of store B's case, and a civil demand with a letter sent."""
    from decimal import Decimal

    from django.utils import timezone

    from vigil.cases import civil, court

    hearing = court.schedule_hearing(
        investigator_b,
        case,
        {"kind": "trial", "starts_at": timezone.now(), "court": "B County Court"},
    )
    demand = civil.make_demand(
        investigator_b,
        case,
        {"state": "CA", "addressee": "B subject", "address": "B", "retail_value": Decimal(9)},
    )
    letter = civil.send_letter(investigator_b, demand)
    return {
        "hearing_id": lambda: hearing.pk,
        "demand_id": lambda: demand.pk,
        "letter_id": lambda: letter.pk,
    }


def _store_b_pos_exception(world: World) -> Any:
    """A scanned POS lead at store B (the same one each time: a lead is unique per key)."""
    from vigil.pos.models import DataSet, PosException, Scan

    found = PosException.objects.filter(store=world.store_b, transaction_id="B-1").first()
    if found is not None:
        return found
    data_set = DataSet.objects.create(name="B data", folder="none", source="folder")
    data_set.stores.set([world.store_b])
    scan = Scan.objects.create(data_set=data_set, status="done")
    return PosException.objects.create(
        data_set=data_set, first_scan=scan, last_scan=scan, rule="no_sale_drawer",
        rule_title="No-sale drawer opening",
        transaction_id="B-1", employee_id="EB1", store=world.store_b, register_id="R01",
        business_date="2026-03-02", at_text="2026-03-02T10:00:00-06:00", amount="0.00",
        severity=0.3, detail="drawer opened with no sale",
    )  # fmt: skip


def _store_b_recommendation(world: World) -> Any:
    """A shrink hot spot at store B (razors counted there) and its recommendation."""
    from vigil.shrink.models import CountLine, Hotspot, Recommendation, ShrinkAnalysis

    data_set = _store_b_pos_exception(world).data_set
    analysis = ShrinkAnalysis.objects.create(
        data_set=data_set, first_count="2026-03-31", last_count="2026-03-31",
        rate_basis="cost over counted book value", chain_rate=0.02,
    )  # fmt: skip
    analysis.stores.set([world.store_b])
    CountLine.objects.create(
        analysis=analysis, store=world.store_b, sku="RAZ-B", department="razors",
        count_date="2026-03-31", book_qty=100, counted_qty=80, unit_cost=4, unit_retail=10,
        shrink_units=20, shrink_cost=80, shrink_retail=200, book_cost=400,
    )  # fmt: skip
    hotspot = Hotspot.objects.create(
        analysis=analysis, store=world.store_b, department="razors", rank=1,
        shrink_cost=80, shrink_rate=0.2, chain_rate=0.02, counted_units=100, lost_units=20,
        reasons=["razors at SB1 lost 20.0%"],
    )  # fmt: skip
    return Recommendation.objects.create(
        number=f"SR-B-{hotspot.pk}", hotspot=hotspot, store=world.store_b,
        title="Razor thefts at B", count_frequency="weekly",
    )  # fmt: skip


def _store_b_emergency(world: World) -> Any:
    from vigil.safety import emergencies
    from vigil.safety.models import Emergency

    found = Emergency.objects.filter(store=world.store_b).first()
    if found is not None:
        return found
    manager_b = make_user(Role.LP_MANAGER, stores=(world.store_b,))
    return emergencies.start(manager_b, world.store_b, "medical", "Store B pharmacy")


def _store_b_hazard(world: World) -> Any:
    from vigil.safety import hazards
    from vigil.safety.models import Hazard

    found = Hazard.objects.filter(store=world.store_b).first()
    if found is not None:
        return found
    officer_b = make_user(Role.LP_OFFICER, stores=(world.store_b,))
    return hazards.report(officer_b, world.store_b, "B dock", "Broken pallet", "medium")


def _store_b_assignment(world: World) -> Any:
    import datetime as dt

    from django.utils import timezone

    from vigil.training import courses
    from vigil.training.models import Assignment, Module

    found = Assignment.objects.filter(store=world.store_b).first()
    if found is not None:
        return found
    make_person(world.store_b, "cashier", name="Zebediah B")
    manager_b = make_user(Role.LP_MANAGER, stores=(world.store_b,))
    module = Module.objects.get(key="de-escalation")
    due = timezone.localdate() + dt.timedelta(days=7)
    return courses.assign(manager_b, module, [world.store_b], ["cashier"], due)[0]


def _store_b_walk(world: World) -> Any:
    """A completed EAS walk at store B with one failed item (and its photo)."""
    from tests.audits.conftest import PHOTO, answer_all
    from vigil.audits import walks
    from vigil.audits.models import FloorWalk
    from vigil.audits.photos import PHOTOS

    found = FloorWalk.objects.filter(store=world.store_b).first()
    if found is not None:
        return found
    walker = make_user(Role.LP_OFFICER, stores=(world.store_b,))
    walk = walks.start_walk(walker, world.store_b, "eas")
    answer_all(walker, walk, **{"front-knee": "no"})
    walks.save_answer(walker, walk, "front-knee", "no", photo_sha256=PHOTOS.save_bytes(PHOTO))
    return walks.complete_walk(walker, walk)


def _store_b_alert(world: World) -> Any:
    """A camera alert at store B, with a snapshot."""
    from django.utils import timezone

    from vigil.video import media
    from vigil.video.models import Alert, Camera

    camera, _ = Camera.objects.get_or_create(store=world.store_b, name="b-cam")
    snapshot = media.SNAPSHOTS.save_bytes(b"\xff\xd8\xff store B picture")
    camera.snapshot_sha256 = snapshot
    camera.save()
    alert, _ = Alert.objects.get_or_create(
        uid="b-cam-1",
        defaults={"store": world.store_b, "camera": camera, "source": "vigil",
                  "rule": "intrusion", "started_at": timezone.now(), "snapshot_sha256": snapshot},
    )  # fmt: skip
    return alert


def routes_with_parameters() -> list[tuple[str, list[str]]]:
    return sorted({(name, tuple(p)) for name, p in walk(get_resolver().url_patterns) if p})  # type: ignore[misc]


def _request(client: Client, method: str, url: str) -> int:
    call = getattr(client, method)
    if method in {"post", "patch", "put"} and url.startswith("/api/"):
        return int(call(url, data=json.dumps({}), content_type="application/json").status_code)
    return int(call(url).status_code)


def _made_up(value: Any) -> Any:
    """A value of the same shape that names nothing."""
    if isinstance(value, int):
        return 987654321
    if isinstance(value, uuid.UUID) or (len(str(value)) == 36 and str(value).count("-") == 4):
        return str(uuid.uuid4())
    return f"{value}NOPE"


@pytest.mark.parametrize("role", [Role.ADMIN, Role.AUDITOR, Role.LP_MANAGER])
def test_outsider_gets_404_for_every_object_of_another_store(
    world: World, store_b_objects: dict[str, Callable[[], Any]], role: str
) -> None:
    # Scoped to store A only, but with every capability of the role: scope alone must stop them.
    outsider_a = make_user(role, stores=(world.store_a,))
    client = client_for(outsider_a)
    checked = 0
    for name, params in routes_with_parameters():
        missing = [p for p in params if p not in store_b_objects]
        assert not missing, f"{name}: add a store-B factory for URL parameter(s) {missing}"
        url = reverse(name, kwargs={p: store_b_objects[p]() for p in params})
        made_up = reverse(name, kwargs={p: _made_up(store_b_objects[p]()) for p in params})
        answered = {method: _request(client, method, url) for method in METHODS}
        served = {m: status for m, status in answered.items() if status != 405}
        assert served, f"{name} ({url}) answered 405 to every method"
        for method, status in served.items():
            if status == 422:
                # The empty body was refused before any lookup: the same answer as for an
                # object that does not exist, so nothing is learnt.
                assert _request(client, method, made_up) == 422, f"{name} {method} leaked"
            else:
                assert status == 404, f"{name} ({url}) leaked: {served}"
        checked += 1
    assert checked >= 10


def test_lists_never_show_another_stores_objects(
    world: World, store_b_objects: dict[str, Callable[[], Any]]
) -> None:
    outsider_a = make_user(Role.ADMIN, stores=(world.store_a,))
    client = client_for(outsider_a)
    for name, params in walk(get_resolver().url_patterns):
        if params or name.endswith(("logout", "openapi-view")):
            continue
        response = client.get(reverse(name))
        if response.status_code != 200 or response.streaming:
            continue
        if not response["Content-Type"].startswith(("text/", "application/json")):
            continue  # a PDF: the reports' own tests read it (tests/reports)
        body = response.content.decode()
        assert "Zebediah" not in body, f"{name} lists a person of store B"
        assert world.store_b.name not in body, f"{name} lists store B"
        for words in ("concealed in a tote bag", "Razor thefts", "Jordan Example", "B witness"):
            assert words not in body, f"{name} shows store B's investigations ({words})"


def test_owner_sees_their_own_store(owner_client: Client, world: World) -> None:
    assert owner_client.get(f"/stores/{world.store_a.code}/").status_code == 200
    assert owner_client.get(f"/api/v1/stores/{world.store_a.code}").status_code == 200


def test_audit_events_of_store_b_are_hidden_from_store_a_auditor(world: World) -> None:
    audit.record(AuditAction.UPDATE, object_type="x", store_id=world.store_b.pk)
    auditor_a = make_user(Role.AUDITOR, stores=(world.store_a,))
    body = client_for(auditor_a).get("/api/v1/audit-events").json()
    seen = {event["store"] for event in body["items"]}
    assert world.store_b.code not in seen
    assert AuditEvent.objects.filter(store=world.store_b).exists()


def test_external_user_sees_exactly_what_is_shared(world: World, admin_user: User) -> None:
    """Store scope lets an external user see granted rows only; the portal is how they read
    them (tests/sharing), and the rest of the API is closed to them whatever is shared."""
    from django.contrib.contenttypes.models import ContentType

    from vigil.core.models import AccessGrant, Store

    police = make_user(Role.EXTERNAL)
    assert not Store.objects.visible_to(police).exists()
    AccessGrant.objects.create(
        grantee=police,
        content_type=ContentType.objects.get_for_model(Store),
        object_id=str(world.store_b.pk),
        reason="police report 2026-1142",
        granted_by=admin_user,
    )
    assert list(Store.objects.visible_to(police)) == [world.store_b]
    assert client_for(police).get(f"/api/v1/stores/{world.store_b.code}").status_code == 403


def test_pages_answer_only_get_and_post(
    world: World, store_b_objects: dict[str, Callable[[], Any]]
) -> None:
    """PUT, PATCH and DELETE belong to the API; a page that answered them as a GET would
    hide which of its methods really change something."""
    admin_b = make_user(Role.ADMIN, stores=(world.store_b,))
    client = client_for(admin_b)
    served = []
    for name, params in sorted({(n, tuple(p)) for n, p in walk(get_resolver().url_patterns)}):
        if name.startswith("api:") or name == "core:logout":
            continue
        url = reverse(name, kwargs={p: store_b_objects[p]() for p in params})
        served += [
            f"{name} {method.upper()}"
            for method in ("put", "patch", "delete")
            if getattr(client, method)(url).status_code != 405
        ]
    assert served == [], "\n".join(served)
