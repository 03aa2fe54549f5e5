"""The chain of custody, and `vigil evidence verify` proving the vault end to end."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.cases.test_incidents import post
from tests.conftest import World, add_evidence, client_for, make_case, make_incident
from vigil.core.models import User
from vigil.evidence import custody
from vigil.evidence.models import CustodyEvent, CustodyLogIsAppendOnly, EvidenceItem
from vigil.evidence.storage import LocalEvidenceStore


def verify(*args: str) -> str:
    out = io.StringIO()
    call_command("evidence_verify", *args, stdout=out)
    return out.getvalue()


def test_each_custody_event_links_to_the_one_before(world: World, owner: User) -> None:
    item = add_evidence(owner, store=world.store_a.code)
    custody.transfer(
        owner, item, from_party="P. Officer", to_party="Det. Ruiz", purpose="Court", location="LP"
    )
    first, second = item.custody.order_by("seq")
    assert second.prev_hash == first.hash
    assert custody.verify_item(EvidenceItem.objects.get(pk=item.pk)) is None


def test_a_transfer_needs_both_parties_and_a_purpose(world: World, owner: User) -> None:
    item = add_evidence(owner, store=world.store_a.code)
    client = client_for(owner)
    url = f"/api/v1/evidence/{item.number}/custody"
    refused = post(client, url, {"action": "transferred", "purpose": "Court", "to_party": "Det."})
    assert refused.status_code == 422
    body = {"action": "transferred", "purpose": "Court", "from_party": "Pat", "to_party": "Det."}
    assert post(client, url, body).status_code == 201
    assert post(client, url, {"action": "viewed", "purpose": "x"}).status_code == 422


def test_custody_events_cannot_be_changed_or_removed_through_vigil(
    world: World, owner: User
) -> None:
    item = add_evidence(owner, store=world.store_a.code)
    event = item.custody.get()
    event.purpose = "rewritten"
    with pytest.raises(CustodyLogIsAppendOnly):
        event.save()
    with pytest.raises(CustodyLogIsAppendOnly):
        CustodyEvent.objects.filter(pk=event.pk).delete()


def test_verify_passes_on_an_intact_vault(world: World, owner: User) -> None:
    add_evidence(owner, b"first", store=world.store_a.code)
    add_evidence(owner, b"second", store=world.store_a.code)
    assert "Evidence intact: 2 items" in verify()


def test_one_byte_changed_on_disk_fails_verify_naming_the_item(
    world: World, owner: User, tmp_path: Path
) -> None:
    item = add_evidence(owner, b"original video bytes", store=world.store_a.code)
    add_evidence(owner, b"an untouched photo", store=world.store_a.code)
    path = LocalEvidenceStore(tmp_path / "evidence").path_for(item.sha256)
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[3] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(CommandError) as failed:
        verify()
    assert failed.value.returncode == 1
    assert "1 problem(s) in 2 evidence items" in str(failed.value)


def test_verify_prints_each_failing_item(world: World, owner: User, tmp_path: Path) -> None:
    item = add_evidence(owner, b"original video bytes", store=world.store_a.code)
    path = LocalEvidenceStore(tmp_path / "evidence").path_for(item.sha256)
    os.chmod(path, 0o644)
    path.write_bytes(b"Original video bytes")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("evidence_verify", stdout=out)
    assert f"FAILED {item.number}: the stored file changed" in out.getvalue()


def _tamper(sql: str, params: list[object]) -> None:
    """Run SQL as a superuser would, past Vigil and (on PostgreSQL) past its triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def test_a_custody_row_edited_in_sql_fails_verify_naming_it(world: World, owner: User) -> None:
    item = add_evidence(owner, store=world.store_a.code)
    event = item.custody.get()
    _tamper("UPDATE evidence_custodyevent SET to_party = %s WHERE id = %s", ["Mallory", event.pk])
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("evidence_verify", stdout=out)
    assert f"FAILED {item.number}: custody log event #1: was altered" in out.getvalue()


def test_a_custody_row_cut_off_the_end_is_caught(world: World, owner: User) -> None:
    item = add_evidence(owner, store=world.store_a.code)
    client_for(owner).get(f"/api/v1/evidence/{item.number}/content")
    last = item.custody.order_by("-seq").first()
    _tamper("DELETE FROM evidence_custodyevent WHERE id = %s", [last.pk])
    problem = custody.verify_item(EvidenceItem.objects.get(pk=item.pk))
    assert problem is not None and "#2 was the last one written" in str(problem)


@pytest.mark.postgres
def test_postgresql_itself_refuses_to_rewrite_custody(world: World, owner: User) -> None:
    from django.db import DatabaseError, transaction

    item = add_evidence(owner, store=world.store_a.code)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.cursor().execute(
            "UPDATE evidence_custodyevent SET purpose = 'x' WHERE evidence_id = %s", [item.pk]
        )


def test_verify_can_check_one_case(world: World, owner: User) -> None:
    incident = make_incident(world.store_a, owner)
    case = make_case(world.store_a, owner)
    post(client_for(owner), f"/api/v1/cases/{case.number}/links", {"incident": incident.number})
    add_evidence(owner, b"in the case", incident=incident.number)
    add_evidence(owner, b"not in the case", store=world.store_a.code)
    assert "Evidence intact: 1 items" in verify("--case", case.number)
    with pytest.raises(CommandError, match="no evidence found"):
        verify("--case", "CASE-1999-00001")


def test_verifying_one_item_from_its_page_is_logged(world: World, owner: User) -> None:
    item = add_evidence(owner, store=world.store_a.code)
    response = post(client_for(owner), f"/api/v1/evidence/{item.number}/verification", {})
    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert item.custody.order_by("-seq").first().action == "verified"
