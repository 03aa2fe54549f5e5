"""Legal holds: placed and released from the record's page, logged, and binding on evidence."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from tests.conftest import (
    World,
    client_for,
    make_case,
    make_incident,
    make_subject,
    tiny_file,
)
from tests.retention.conftest import add_evidence
from vigil.core.models import User
from vigil.core.models.audit import AuditAction, AuditEvent
from vigil.evidence.models import EvidenceItem
from vigil.retention.holds import EvidenceUnderHold, place
from vigil.retention.models import LegalHold


@pytest.fixture
def case(world: World, owner: User) -> Any:
    return make_case(world.store_a, owner)


def hold_url(target: str, ref: str) -> str:
    return f"/retention/holds/{target}s/{ref}/"


def test_an_investigator_places_a_hold_from_the_case_page(case: Any, owner: User) -> None:
    client = client_for(owner)
    response = client.post(hold_url("case", case.number), {"reason": "Subpoena 2026-114"})
    assert response.status_code == 302 and response["Location"].endswith(f"/{case.number}/")
    hold = LegalHold.objects.get(case=case)
    assert hold.placed_by == owner and hold.reason == "Subpoena 2026-114" and hold.until is None
    event = AuditEvent.objects.get(action=AuditAction.LEGAL_HOLD)
    assert event.object_id == str(hold.pk) and event.actor_username == "owner"
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert "Under legal hold" in page and "Subpoena 2026-114" in page


def test_a_hold_is_released_with_a_reason_and_logged(case: Any, owner: User) -> None:
    hold = place(owner, case, reason="Court order")
    client = client_for(owner)
    assert (
        client.post(f"/retention/holds/{hold.pk}/release/", {"release_reason": ""}).status_code
        == 302
    )
    hold.refresh_from_db()
    assert hold.released_at is None  # no reason, no release
    client.post(f"/retention/holds/{hold.pk}/release/", {"release_reason": "Case dismissed"})
    hold.refresh_from_db()
    assert hold.released_at is not None and hold.released_by == owner
    assert AuditEvent.objects.filter(action=AuditAction.LEGAL_HOLD_RELEASE, object_id=str(hold.pk))


def test_holds_are_placed_on_incidents_and_subjects_too(world: World, owner: User) -> None:
    incident = make_incident(world.store_a, owner)
    subject = make_subject(world.store_a)
    client = client_for(owner)
    client.post(hold_url("incident", incident.number), {"reason": "Insurance claim"})
    client.post(hold_url("subject", str(subject.pk)), {"reason": "Prosecution"})
    assert LegalHold.objects.get(incident=incident).reference == incident.number
    assert LegalHold.objects.get(subject=subject).reference == f"subject #{subject.pk}"
    assert "Prosecution" in client.get(f"/subjects/{subject.pk}/").content.decode()


def test_a_hold_needs_a_reason_and_an_end_not_in_the_past(case: Any, owner: User) -> None:
    client = client_for(owner)
    client.post(hold_url("case", case.number), {"reason": ""})
    client.post(hold_url("case", case.number), {"reason": "x", "until": "2001-01-01"})
    assert not LegalHold.objects.exists()


def test_a_teammate_without_investigation_rights_gets_403(case: Any, teammate: User) -> None:
    response = client_for(teammate).post(hold_url("case", case.number), {"reason": "x"})
    assert response.status_code == 403
    assert not LegalHold.objects.exists()


def test_an_outsider_gets_404_for_holds_of_another_store(
    case: Any, owner: User, outsider: User
) -> None:
    client = client_for(outsider)
    assert client.post(hold_url("case", case.number), {"reason": "x"}).status_code == 404
    hold = place(owner, case, reason="Court order")
    response = client.post(f"/retention/holds/{hold.pk}/release/", {"release_reason": "x"})
    assert response.status_code == 404
    assert client.get("/api/v1/legal-holds").json()["items"] == []


def test_hold_pages_answer_only_post(case: Any, owner: User) -> None:
    assert client_for(owner).get(hold_url("case", case.number)).status_code == 405


def test_the_api_places_and_releases_holds(case: Any, owner: User) -> None:
    client = client_for(owner)
    created = client.post(
        "/api/v1/legal-holds",
        {"target": "case", "ref": case.number, "reason": "Subpoena"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    hold_id = created.json()["id"]
    released = client.post(
        f"/api/v1/legal-holds/{hold_id}/release",
        {"reason": "Dismissed"},
        content_type="application/json",
    )
    assert released.status_code == 200 and released.json()["released_at"]


# --- evidence under hold ---------------------------------------------------------------


@pytest.fixture
def held_item(case: Any, owner: User) -> EvidenceItem:
    item = add_evidence(owner, case=case.number)
    place(owner, case, reason="Court order")
    return item


def test_an_administrator_cannot_delete_held_evidence_from_the_page(
    held_item: EvidenceItem, admin_user: User
) -> None:
    response = client_for(admin_user).post(
        f"/evidence/{held_item.number}/deletion/", {"reason": "Retention ended"}
    )
    assert response.status_code == 302
    held_item.refresh_from_db()
    assert not held_item.is_deleted


def test_an_administrator_cannot_delete_or_dispose_of_held_evidence_by_api(
    held_item: EvidenceItem, admin_user: User
) -> None:
    client = client_for(admin_user)
    deleted = client.delete(f"/api/v1/evidence/{held_item.number}?reason=Retention")
    assert deleted.status_code == 422, deleted.content
    assert "legal hold" in deleted.json()["error"]["message"]
    disposed = client.post(
        f"/api/v1/evidence/{held_item.number}/custody",
        {"action": "disposed", "purpose": "Retention ended"},
        content_type="application/json",
    )
    assert disposed.status_code == 422
    held_item.refresh_from_db()
    assert not held_item.is_deleted


def test_the_model_refuses_to_withdraw_or_delete_held_evidence(held_item: EvidenceItem) -> None:
    held_item.deleted_at = timezone.now()
    with pytest.raises(EvidenceUnderHold):
        held_item.save()
    with pytest.raises(ProtectedError):  # its custody log protects the row itself
        EvidenceItem.objects.get(pk=held_item.pk).delete()


def test_evidence_of_a_held_cases_incident_and_subject_is_held_too(
    world: World, owner: User, admin_user: User, case: Any
) -> None:
    from vigil.cases.models import CaseLink

    incident = make_incident(world.store_a, owner)
    subject = make_subject(world.store_a)
    CaseLink.objects.create(case=case, incident=incident)
    CaseLink.objects.create(case=case, subject=subject)
    clip = add_evidence(owner, b"clip", incident=incident.number)
    photo = add_evidence(
        owner, tiny_file("png", b"photo"), filename="face.png", subject_id=subject.pk
    )
    place(owner, case, reason="Court order")
    client = client_for(admin_user)
    for item in (clip, photo):
        assert client.delete(f"/api/v1/evidence/{item.number}?reason=x").status_code == 422


def test_evidence_is_deletable_again_once_the_hold_is_released(
    held_item: EvidenceItem, owner: User
) -> None:
    from vigil.retention.holds import release

    release(owner, LegalHold.objects.get(), reason="Dismissed")
    response = client_for(owner).delete(f"/api/v1/evidence/{held_item.number}?reason=Duplicate")
    assert response.status_code == 200


def test_a_subject_kept_by_its_cases_hold_says_so_on_its_page(
    world: World, owner: User, case: Any
) -> None:
    from vigil.cases.models import CaseLink

    subject = make_subject(world.store_a)
    CaseLink.objects.create(case=case, subject=subject)
    place(owner, case, reason="Court order")
    page = client_for(owner).get(f"/subjects/{subject.pk}/").content.decode()
    assert "Kept by a legal hold" in page and case.number in page


def test_a_records_page_names_exactly_the_holds_that_keep_it(world: World, owner: User) -> None:
    """``reaching`` (read backwards from the record) agrees with ``held_records`` (read
    forwards from each hold) for every way a hold reaches: through a case's links, an
    incident's parties and stops, and a held case's incidents' parties."""
    from vigil.cases.models import CaseLink, IncidentParty
    from vigil.cases.models.stops import StopRecord
    from vigil.retention.holds import held_records, reaching

    store = world.store_a
    linked_case, other_case, lone_case = (make_case(store, owner) for _ in range(3))
    linked_incident, party_incident, lone_incident = (make_incident(store, owner) for _ in range(3))
    linked, party, stopped, elsewhere = (make_subject(store) for _ in range(4))
    CaseLink.objects.create(case=linked_case, incident=linked_incident)
    CaseLink.objects.create(case=linked_case, subject=linked)
    CaseLink.objects.create(case=other_case, incident=party_incident)
    CaseLink.objects.create(case=other_case, subject=elsewhere)
    IncidentParty.objects.create(incident=linked_incident, role="suspect", subject=party)
    IncidentParty.objects.create(incident=party_incident, role="suspect", subject=linked)
    StopRecord.objects.create(incident=linked_incident, subject=stopped, started_at=timezone.now())
    records = [
        linked_case, other_case, lone_case, linked_incident, party_incident, lone_incident,
        linked, party, stopped, elsewhere,
    ]  # fmt: skip
    for record in records:
        place(owner, record, reason=f"Hold on {record}")
    attribute = {"case": "cases", "incident": "incidents", "subject": "subjects"}

    def keeps(hold: LegalHold, record: Any) -> bool:
        kept = held_records(holds=LegalHold.objects.filter(pk=hold.pk))
        return bool(record.pk in getattr(kept, attribute[record._meta.model_name]))

    for record in records:
        others = LegalHold.objects.exclude(pk__in=record.legal_holds.values("pk"))
        kept_by = {hold.pk for hold in others if keeps(hold, record)}
        assert {hold.pk for hold in reaching(record)} == kept_by, record
    assert {hold.reference for hold in reaching(stopped)} == {
        linked_case.number,
        linked_incident.number,
    }
