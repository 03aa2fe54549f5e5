"""Witness statements: versions hashed and kept, signing locks, corrections are new versions."""

from __future__ import annotations

import base64
import subprocess

import pytest
from django.core.exceptions import ValidationError

from tests.cases.test_incidents import post
from tests.conftest import World, client_for, make_incident
from vigil.cases import statements
from vigil.cases.models import AppendOnly, Statement, StatementStatus, StatementVersion
from vigil.core.models import User

# A 1x1 transparent PNG: what a drawn signature pad sends, in miniature.
PNG = (
    "data:image/png;base64,"
    + base64.b64encode(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
        )
    ).decode()
)


def take(world: World, owner: User, body: str = "I saw him put razors in a bag.") -> Statement:
    incident = make_incident(world.store_a, owner)
    response = post(
        client_for(owner),
        "/api/v1/statements",
        {
            "incident": incident.number,
            "witness_name": "Sam Cashier",
            "place": "LP office",
            "started_at": "2026-11-20T15:00:00-06:00",
            "body": body,
        },
    )
    assert response.status_code == 201, response.content
    return Statement.objects.get(pk=response.json()["id"])


def test_a_statement_is_taken_as_a_hashed_first_version(world: World, owner: User) -> None:
    statement = take(world, owner)
    version = statement.current
    assert version is not None and version.number == 1
    assert version.sha256 == version.compute_hash()
    assert statement.status == StatementStatus.DRAFT


def test_signing_attests_and_locks_the_statement(world: World, owner: User) -> None:
    statement = take(world, owner)
    response = post(
        client_for(owner),
        f"/api/v1/statements/{statement.pk}/signature",
        {"attested_name": "Sam Cashier", "signature_png": PNG},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "signed"
    assert body["versions"][0]["attested_name"] == "Sam Cashier"
    assert body["versions"][0]["has_drawn_signature"] is True
    with pytest.raises(ValidationError):
        statements.sign(owner, Statement.objects.get(pk=statement.pk), "Sam Cashier")


def test_a_correction_after_signing_is_a_new_version_with_a_reason(
    world: World, owner: User
) -> None:
    statement = take(world, owner)
    statements.sign(owner, statement, "Sam Cashier")
    with pytest.raises(ValidationError):
        statements.revise(owner, statement, "Corrected words")
    statements.revise(owner, statement, "I saw him put three razors in a bag.", reason="Count")
    versions = list(statement.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3]
    assert versions[1].is_signed and not versions[2].is_signed
    assert versions[2].prev_sha256 == versions[1].sha256
    assert statements.verify_versions(statement) is None


def test_a_version_cannot_be_changed_in_place(world: World, owner: User) -> None:
    statement = take(world, owner)
    version = statement.current
    assert version is not None
    version.body = "Different words"
    with pytest.raises(AppendOnly):
        version.save()


def test_a_version_altered_in_the_database_is_detected(world: World, owner: User) -> None:
    statement = take(world, owner)
    StatementVersion.objects.filter(statement=statement).update(body="Forged")
    assert "altered" in (statements.verify_versions(statement) or "")


def test_a_signature_that_is_not_a_png_is_refused(world: World, owner: User) -> None:
    statement = take(world, owner)
    response = post(
        client_for(owner),
        f"/api/v1/statements/{statement.pk}/signature",
        {"attested_name": "Sam", "signature_png": "data:image/png;base64,PHN2Zz4="},
    )
    assert response.status_code == 422


def test_the_statement_pdf_holds_the_words_and_the_hash(world: World, owner: User) -> None:
    statement = take(world, owner, body="The subject walked out of door 2 at 14:35.")
    statements.sign(owner, statement, "Sam Cashier")
    response = client_for(owner).get(f"/api/v1/statements/{statement.pk}/statement.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "door 2 at 14:35" in text
    assert "Sam Cashier" in text
    assert statement.current.sha256[:16] in text.replace("\n", "")
