"""The purge removes exactly what is past its time, and nothing held, young or still needed."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from tests.conftest import World, make_case, make_incident, make_subject, tiny_file
from tests.retention.conftest import (
    add_evidence,
    link,
    long_ago,
    make_alert,
    make_data_set,
    old_closed_case,
    old_subject,
    party,
    run_purge,
)
from vigil.cases.models import BoloStatus, Case, Statement, Subject, Vehicle
from vigil.core import audit
from vigil.core.models import User
from vigil.core.models.audit import AuditAction, AuditEvent
from vigil.evidence.models import CustodyAction, EvidenceItem
from vigil.evidence.storage import store_from_settings
from vigil.pos.imports import folder_of
from vigil.pos.models import DataSet
from vigil.retention import holds, purge
from vigil.retention.models import RecordKind
from vigil.video.media import CLIPS
from vigil.video.models import Alert


def test_it_purges_old_alerts_and_their_clips_and_keeps_young_ones(world: World) -> None:
    old = make_alert(world, started_at=long_ago(), clip=b"old clip")
    young = make_alert(world, started_at=timezone.now(), clip=b"young clip")
    run_purge()
    assert list(Alert.objects.all()) == [young]
    assert not CLIPS.path_of(old.clip_sha256).exists()
    assert CLIPS.path_of(young.clip_sha256).exists()


def test_an_alert_escalated_to_an_incident_stays(world: World, owner: User) -> None:
    incident = make_incident(world.store_a, owner)
    escalated = make_alert(world, started_at=long_ago())
    Alert.objects.filter(pk=escalated.pk).update(incident=incident)
    found = purge.plan()
    assert found.ids(RecordKind.ALERTS) == []
    assert found.due[RecordKind.ALERTS].kept == {"escalated to an incident": 1}


def test_it_purges_old_pos_data_sets_with_their_copies(world: World) -> None:
    old = make_data_set(world, imported_at=long_ago())
    young = make_data_set(world, imported_at=timezone.now())
    run_purge()
    assert list(DataSet.objects.all()) == [young]
    assert not folder_of(old).exists()
    assert folder_of(young).exists()


def test_it_purges_old_closed_cases_but_not_open_or_recently_closed_ones(
    world: World, owner: User
) -> None:
    old = old_closed_case(world, owner)
    open_case = make_case(world.store_a, owner)
    Case.objects.filter(pk=open_case.pk).update(opened_at=long_ago())
    recent = make_case(world.store_a, owner)
    Case.objects.filter(pk=recent.pk).update(status="closed", closed_at=timezone.now())
    run_purge()
    assert set(Case.objects.values_list("number", flat=True)) == {open_case.number, recent.number}
    assert old.number not in Case.objects.values_list("number", flat=True)


def test_it_purges_a_subject_whose_last_incident_is_past_its_time(
    world: World, owner: User, old_incident: Any
) -> None:
    gone = old_subject(world)
    party(old_incident, gone)
    recent = old_subject(world)
    party(make_incident(world.store_a, owner), recent)
    young = make_subject(world.store_a)
    run_purge()
    assert set(Subject.objects.all()) == {recent, young}
    assert old_incident.parties.count() == 0  # the incident stays; its link to them does not


def test_an_active_bolo_or_a_trespass_in_force_keeps_a_subject(world: World) -> None:
    bolo = old_subject(world, bolo_status=BoloStatus.ACTIVE)
    trespassed = old_subject(
        world,
        trespass_notice_on=dt.date(2016, 1, 1),
        trespass_expires_on=timezone.localdate() + dt.timedelta(days=30),
    )
    found = purge.plan()
    assert not {bolo.pk, trespassed.pk} & set(found.ids(RecordKind.SUBJECTS))
    assert found.due[RecordKind.SUBJECTS].kept == {"active BOLO": 1, "trespass notice in force": 1}


def test_a_subject_of_a_kept_case_waits_for_the_case(world: World, owner: User) -> None:
    subject = old_subject(world)
    link(make_case(world.store_a, owner), subject=subject)
    run_purge()
    assert Subject.objects.filter(pk=subject.pk).exists()


def test_a_subject_goes_with_the_old_case_that_linked_it(world: World, owner: User) -> None:
    subject = old_subject(world)
    link(old_closed_case(world, owner), subject=subject)
    run_purge()
    assert not Subject.objects.filter(pk=subject.pk).exists()


def test_a_vehicle_goes_once_its_subjects_and_time_are_gone(world: World) -> None:
    subject = old_subject(world)
    vehicle = Vehicle.objects.create(store=world.store_a, plate="ABC123")
    vehicle.subjects.add(subject)
    assert purge.plan().ids(RecordKind.VEHICLES) == []  # recorded today
    later = timezone.now() + dt.timedelta(days=800)
    run_purge(now=later)
    assert not Vehicle.objects.filter(pk=vehicle.pk).exists()


def test_a_statement_of_an_open_case_stays_and_keeps_nothing_else(
    world: World, owner: User, old_incident: Any
) -> None:
    open_case = make_case(world.store_a, owner)
    kept = make_statement(world, old_incident, case=open_case)
    gone = make_statement(world, old_incident)
    run_purge()
    assert list(Statement.objects.all()) == [kept]
    assert not Statement.objects.filter(pk=gone.pk).exists()


def test_a_case_with_a_kept_statement_waits_for_it(
    world: World, owner: User, old_incident: Any
) -> None:
    case = old_closed_case(world, owner)
    statement = make_statement(world, old_incident, case=case)
    Statement.objects.filter(pk=statement.pk).update(started_at=timezone.now())
    found = purge.plan()
    assert found.ids(RecordKind.CLOSED_CASES) == []
    assert found.due[RecordKind.CLOSED_CASES].kept == {"a statement of it is kept": 1}


def test_a_subjects_own_photo_is_disposed_of_with_them(world: World, owner: User) -> None:
    subject = old_subject(world)
    photo = add_evidence(
        owner, tiny_file("png", b"photo"), filename="face.png", subject_id=subject.pk
    )
    run = run_purge()
    photo.refresh_from_db()
    assert photo.is_deleted and photo.subject_id is None
    assert photo.deleted_reason.startswith(purge.RETENTION_REASON)
    assert photo.custody.order_by("-seq").first().action == CustodyAction.DISPOSED
    assert not store_from_settings().exists(photo.sha256)
    assert run.purged[RecordKind.SUBJECTS] == 1


def test_evidence_of_an_incident_outlives_a_purged_case(
    world: World, owner: User, old_incident: Any
) -> None:
    case = old_closed_case(world, owner)
    link(case, incident=old_incident)
    item = add_evidence(owner, incident=old_incident.number, case=case.number)
    run_purge()
    item.refresh_from_db()
    assert not item.is_deleted and item.case_id is None
    assert store_from_settings().exists(item.sha256)


def test_a_held_cases_subject_photos_and_clips_survive(
    world: World, owner: User, old_incident: Any
) -> None:
    case = old_closed_case(world, owner)
    subject = old_subject(world)
    link(case, incident=old_incident)
    link(case, subject=subject)
    party(old_incident, subject)
    photo = add_evidence(
        owner, tiny_file("png", b"photo"), filename="face.png", subject_id=subject.pk
    )
    clip = add_evidence(owner, b"clip", incident=old_incident.number, case=case.number)
    alert = make_alert(world, started_at=long_ago(), clip=b"camera clip")
    Alert.objects.filter(pk=alert.pk).update(incident=old_incident)
    hold = holds.place(owner, case, reason="Subpoena 2026-114")
    run = run_purge()
    assert run.total_purged == 0
    assert Case.objects.filter(pk=case.pk).exists()
    assert Subject.objects.filter(pk=subject.pk).exists()
    assert Alert.objects.filter(pk=alert.pk).exists() and CLIPS.path_of(alert.clip_sha256).exists()
    for item in (photo, clip):
        item.refresh_from_db()
        assert not item.is_deleted and store_from_settings().exists(item.sha256)
    holds.release(owner, hold, reason="Case dismissed")
    run_purge()
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not Subject.objects.filter(pk=subject.pk).exists()


def test_a_held_subject_is_kept_and_its_hold_history_outlives_it(world: World, owner: User) -> None:
    subject = old_subject(world)
    hold = holds.place(owner, subject, reason="Civil recovery claim")
    assert subject.pk not in purge.plan().ids(RecordKind.SUBJECTS)
    holds.release(owner, hold, reason="Claim settled")
    run_purge()
    hold.refresh_from_db()
    assert hold.subject_id is None and hold.reference == f"subject #{subject.pk}"


def test_a_hold_past_its_end_date_no_longer_keeps(world: World, owner: User) -> None:
    subject = old_subject(world)
    hold = holds.place(owner, subject, reason="Hearing", until=timezone.localdate())
    assert subject.pk not in purge.plan().ids(RecordKind.SUBJECTS)
    later = timezone.now() + dt.timedelta(days=2)
    assert not hold.is_in_force(timezone.localdate(later))
    assert subject.pk in purge.plan(now=later).ids(RecordKind.SUBJECTS)


def test_the_audit_chain_verifies_after_a_purge(
    world: World, owner: User, old_incident: Any
) -> None:
    subject = old_subject(world)
    party(old_incident, subject)
    link(old_closed_case(world, owner), subject=subject)
    make_alert(world, started_at=long_ago())
    run_purge()
    report = audit.verify_chain()
    assert report.ok, report.problem


def test_the_audit_log_says_what_was_purged_and_why_without_personal_data(
    world: World, owner: User, old_incident: Any
) -> None:
    subject = old_subject(world, name="Jordan Example", identifying_marks="Rose tattoo")
    party(old_incident, subject)
    vehicle = Vehicle.objects.create(store=world.store_a, plate="XYZ987", colour="Teal")
    vehicle.subjects.add(subject)
    case = old_closed_case(world, owner, title="Razor thefts by Jordan")
    link(case, subject=subject)
    before = AuditEvent.objects.order_by("-seq").first().seq
    run_purge(now=timezone.now() + dt.timedelta(days=800))
    events = AuditEvent.objects.filter(seq__gt=before)
    assert {event.action for event in events} <= {AuditAction.RETENTION_PURGE}
    written = json.dumps([event.content() for event in events])
    for personal in ("Jordan", "Rose tattoo", "XYZ987", "Teal", "Razor"):
        assert personal not in written
    subjects = events.get(object_type="cases.subject")
    assert subjects.changes["ids"] == [f"subject #{subject.pk}"]
    assert subjects.changes["policy_days"] == 730
    assert events.get(object_type="cases.case").changes["ids"] == [case.number]


def test_a_dry_run_lists_what_is_due_and_changes_nothing(world: World) -> None:
    make_alert(world, started_at=long_ago(), clip=b"clip")
    old_subject(world)
    before = AuditEvent.objects.count()
    out = io.StringIO()
    call_command("retention_run", "--dry-run", stdout=out)
    assert "Would purge 1 alerts (with 1 clips), 1 subjects." in out.getvalue()
    assert Alert.objects.count() == 1 and Subject.objects.count() == 1
    assert AuditEvent.objects.count() == before


def test_the_real_run_says_what_it_purged(world: World) -> None:
    make_alert(world, started_at=long_ago())
    out = io.StringIO()
    call_command("retention_run", stdout=out)
    assert "Purged 1 alerts" in out.getvalue()
    assert Alert.objects.count() == 0


def test_the_cli_reaches_the_command() -> None:
    from vigil.cli import resolve

    found = resolve(["retention", "run", "--dry-run"])
    assert found is not None
    assert found[0].management_command == "retention_run" and found[1] == ["--dry-run"]


def make_statement(world: World, incident: Any, **fields: Any) -> Statement:
    return Statement.objects.create(
        store=world.store_a,
        incident=incident,
        witness_name="Sam Witness",
        started_at=long_ago(),
        **fields,
    )


def test_evidence_stays_untouched_when_its_case_is_held(world: World, owner: User) -> None:
    case = old_closed_case(world, owner)
    item = add_evidence(owner, case=case.number)
    holds.place(owner, case, reason="Court order")
    run_purge()
    assert EvidenceItem.objects.get(pk=item.pk).deleted_at is None
