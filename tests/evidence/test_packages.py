"""Police packages: a ZIP that verifies with `sha256sum -c`, and share links that expire."""

from __future__ import annotations

import datetime
import json
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.cases.test_incidents import post
from tests.conftest import World, add_evidence, client_for, make_case, make_incident
from vigil.cases import statements
from vigil.core.models import AuditEvent, User
from vigil.evidence import package_contents, packages
from vigil.evidence.models import EvidenceItem, EvidencePackage, ShareLink

VIDEO = b"\x00\x00\x00\x18ftypmp42 native DVR export" * 100
PHOTO = b"\x89PNG\r\n\x1a\n pretend photo of the razors"


@pytest.fixture
def case_with_evidence(world: World, owner: User) -> Any:
    incident = make_incident(
        world.store_a,
        owner,
        narrative="At 14:32 the subject placed two razor packs into a tote bag in aisle 7.",
        police_involved=True,
        police_agency="Springfield PD",
        police_report_number="SPD-26-1142",
    )
    case = make_case(world.store_a, owner)
    post(client_for(owner), f"/api/v1/cases/{case.number}/links", {"incident": incident.number})
    add_evidence(
        owner,
        VIDEO,
        filename="cam 3 export.mp4",
        incident=incident.number,
        camera="Cam 3",
        camera_clock_offset_s="12.5",
    )
    add_evidence(owner, PHOTO, filename="razors.png", source="phone", incident=incident.number)
    statement = statements.take_statement(
        owner,
        {
            "store": world.store_a,
            "incident": incident,
            "witness_name": "Sam Cashier",
            "started_at": timezone.now(),
        },
        body="I saw the subject leave through door 2 without paying.",
    )
    statements.sign(owner, statement, "Sam Cashier")
    return case


def evidence_of(case: Any) -> list[EvidenceItem]:
    return package_contents.choices_for(None, case, None).evidence


def unzip(package: EvidencePackage, client: Client, target: Path) -> Path:
    response = client.get(f"/api/v1/packages/{package.number}/content")
    assert response.status_code == 200
    archive = target / package.filename
    archive.write_bytes(b"".join(response.streaming_content))
    folder = target / "unzipped"
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(folder)
    return folder


def test_a_package_verifies_with_sha256sum(
    case_with_evidence: Any, owner: User, tmp_path: Path
) -> None:
    response = post(
        client_for(owner),
        "/api/v1/packages",
        {"case": case_with_evidence.number, "purpose": "Springfield PD, report SPD-26-1142"},
    )
    assert response.status_code == 201, response.content
    package = EvidencePackage.objects.get(number=response.json()["number"])
    folder = unzip(package, client_for(owner), tmp_path)
    check = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    every_file = [p for p in folder.rglob("*") if p.is_file() and p.name != "SHA256SUMS"]
    assert check.stdout.count(": OK") == len(every_file)
    listed = json.loads((folder / "manifest.json").read_text())["files"]
    assert all(name in check.stdout for name in listed)


def test_a_package_holds_originals_statements_report_and_custody(
    case_with_evidence: Any, owner: User, tmp_path: Path
) -> None:
    package = packages.build_package(owner, purpose="DA", case=case_with_evidence)
    folder = unzip(package, client_for(owner), tmp_path)
    names = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    originals = sorted(p for p in names if p.startswith("evidence/EV-"))
    assert [(folder / p).read_bytes() for p in originals] == [VIDEO, PHOTO]
    assert any(p.startswith("statements/") for p in names)
    assert {"manifest.json", "SHA256SUMS", "README.txt", "custody/custody-log.csv"} <= names
    offsets = (folder / "evidence/clock-offsets.csv").read_text()
    assert "12.500" in offsets and "runs 12.5 s ahead" in offsets
    assert {p for p in names if p.startswith("report/")} == {
        f"report/{case_with_evidence.number}-report.pdf",  # the case summary
        f"report/{case_with_evidence.links.get().incident.number}-report.pdf",
    }
    report = f"report/{case_with_evidence.number}-report.pdf"
    text = subprocess.run(
        ["pdftotext", str(folder / report), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "SPD-26-1142" in text and "Springfield PD" in text
    assert "two razor packs into a tote bag" in text
    assert "Sam Cashier" in text


def test_building_a_package_is_an_export_in_every_items_custody(
    case_with_evidence: Any, owner: User
) -> None:
    package = packages.build_package(owner, purpose="DA", case=case_with_evidence)
    for item in evidence_of(case_with_evidence):
        assert item.custody.filter(action="exported", details__package=package.number).exists()


def share(owner: User, package: EvidencePackage, **extra: Any) -> Any:
    response = post(
        client_for(owner),
        f"/api/v1/packages/{package.number}/shares",
        {"recipient": "Det. Ruiz", "agency": "Springfield PD", **extra},
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_share_link_opens_only_its_package_and_logs_every_use(
    case_with_evidence: Any, owner: User
) -> None:
    package = packages.build_package(owner, purpose="DA", case=case_with_evidence)
    link = share(owner, package)
    anonymous = Client()
    page = anonymous.get(link["url"])
    assert page.status_code == 200
    assert package.number in page.content.decode()
    download = anonymous.get(link["url"] + "download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    uses = AuditEvent.objects.filter(action="share_access", object_id=str(package.pk))
    assert [event.changes["what"] for event in uses.order_by("seq")] == ["view", "download"]
    item = evidence_of(case_with_evidence)[0]
    assert item.custody.filter(action="downloaded", to_party__contains="Det. Ruiz").exists()
    assert anonymous.get(f"/api/v1/packages/{package.number}").status_code == 401


def test_a_revoked_link_gets_nothing(case_with_evidence: Any, owner: User) -> None:
    package = packages.build_package(owner, purpose="DA", case=case_with_evidence)
    link = share(owner, package)
    assert client_for(owner).delete(f"/api/v1/shares/{link['id']}").status_code == 200
    assert Client().get(link["url"]).status_code == 404
    assert Client().get(link["url"] + "download/").status_code == 404
    refused = AuditEvent.objects.filter(action="share_access", changes__what="refused")
    assert refused.count() == 2


def test_an_expired_link_gets_nothing(case_with_evidence: Any, owner: User) -> None:
    package = packages.build_package(owner, purpose="DA", case=case_with_evidence)
    link = share(owner, package)
    ShareLink.objects.filter(pk=link["id"]).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert Client().get(link["url"]).status_code == 404


def test_a_made_up_link_gets_nothing(world: World) -> None:
    assert Client().get("/shared/vgs_deadbeef_notarealtoken/").status_code == 404


def test_outsider_gets_404_for_packages_and_shares(
    case_with_evidence: Any, owner: User, outsider: User
) -> None:
    package = packages.build_package(owner, purpose="DA", case=case_with_evidence)
    link = share(owner, package)
    client = client_for(outsider)
    assert client.get(f"/api/v1/packages/{package.number}").status_code == 404
    assert client.get(f"/api/v1/packages/{package.number}/content").status_code == 404
    assert client.delete(f"/api/v1/shares/{link['id']}").status_code == 404
    body = {"case": case_with_evidence.number, "purpose": "x"}
    assert post(client, "/api/v1/packages", body).status_code == 404
