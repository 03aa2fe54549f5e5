"""Uploading evidence: hashed while streaming, described before a byte is read, and refused
cleanly (nothing half-stored) when too big, cut off, badly named or badly described.
"""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from tests.conftest import World, add_evidence, client_for, make_incident
from vigil.cases.models import Incident
from vigil.core.models import User
from vigil.evidence.models import CustodyAction, EvidenceItem

CLIP = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 64


def upload_url(incident: Incident, **extra: Any) -> str:
    query = {
        "filename": "register-3.mp4",
        "source": "vms_export",
        "acquired_by": "Pat Officer",
        "acquired_at": "2026-11-20T15:10:00-06:00",
        "incident": incident.number,
        "camera": "Cam 3 (register bank)",
        "camera_clock_offset_s": "12.5",
        **extra,
    }
    return "/api/v1/evidence?" + urlencode(query)


def upload(client: Client, url: str, data: bytes = CLIP, **meta: Any) -> Any:
    return client.post(url, data=data, content_type="video/mp4", **meta)


def stored_files(data_dir: Path) -> list[Path]:
    return [p for p in (data_dir / "evidence").rglob("*") if p.is_file()]


@pytest.fixture
def incident(world: World, owner: User) -> Incident:
    return make_incident(world.store_a, owner)


def test_an_upload_is_hashed_on_the_server_and_collected(
    incident: Incident, owner: User, tmp_path: Path
) -> None:
    response = upload(client_for(owner), upload_url(incident))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(CLIP).hexdigest()
    assert body["size"] == len(CLIP)
    assert body["media_type"] == "video/mp4"
    assert Decimal(body["camera_clock_offset_s"]) == Decimal("12.5")
    item = EvidenceItem.objects.get(number=body["number"])
    collected = item.custody.get()
    assert collected.action == CustodyAction.COLLECTED and collected.actor_name == "owner"
    assert [f.read_bytes() for f in stored_files(tmp_path)] == [CLIP]


def test_an_original_is_stored_read_only(incident: Incident, owner: User, tmp_path: Path) -> None:
    upload(client_for(owner), upload_url(incident))
    (stored,) = stored_files(tmp_path)
    assert stored.stat().st_mode & 0o222 == 0


def test_an_over_size_upload_is_refused_before_it_is_read(
    incident: Incident, owner: User, settings: Any, tmp_path: Path
) -> None:
    settings.EVIDENCE_MAX_BYTES = 1000
    response = upload(client_for(owner), upload_url(incident))
    assert response.status_code == 413
    assert not EvidenceItem.objects.exists()
    assert stored_files(tmp_path) == []


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "C:\\evil.mp4", "a/b.mp4"])
def test_a_file_name_that_is_a_path_is_refused(
    incident: Incident, owner: User, name: str, tmp_path: Path
) -> None:
    response = upload(client_for(owner), upload_url(incident, filename=name))
    assert response.status_code == 400
    assert "filename" in response.json()["error"]["message"]
    assert not EvidenceItem.objects.exists()
    assert stored_files(tmp_path) == []


def test_an_upload_cut_off_midway_stores_nothing(
    incident: Incident, owner: User, tmp_path: Path
) -> None:
    cut = CLIP[: len(CLIP) // 2]
    response = upload(
        client_for(owner),
        upload_url(incident),
        data=CLIP,
        CONTENT_LENGTH=str(len(CLIP)),
        **{"wsgi.input": io.BytesIO(cut)},
    )
    assert response.status_code == 400
    assert "cut off" in response.json()["error"]["message"]
    assert not EvidenceItem.objects.exists()
    assert stored_files(tmp_path) == []


def test_an_unknown_field_is_refused_and_nothing_is_stored(
    incident: Incident, owner: User, tmp_path: Path
) -> None:
    response = upload(client_for(owner), upload_url(incident, ethnicity="x"))
    assert response.status_code == 422
    assert "ethnicity" in response.json()["error"]["message"]
    assert stored_files(tmp_path) == []


def test_a_bad_description_costs_no_bytes(incident: Incident, owner: User, tmp_path: Path) -> None:
    response = upload(client_for(owner), upload_url(incident, source="rumour"))
    assert response.status_code == 422
    assert stored_files(tmp_path) == []


def test_evidence_for_another_stores_incident_is_not_found(
    world: World, outsider: User, incident: Incident, tmp_path: Path
) -> None:
    response = upload(client_for(outsider), upload_url(incident))
    assert response.status_code == 404
    assert stored_files(tmp_path) == []


def test_a_working_copy_links_to_its_original(incident: Incident, owner: User) -> None:
    original = add_evidence(owner, CLIP, incident=incident.number)
    copy = add_evidence(owner, b"transcoded", derived_from=original.number, derivation="transcoded")
    assert copy.derived_from == original
    assert copy.incident == incident
    assert EvidenceItem.objects.get(pk=original.pk).sha256 == hashlib.sha256(CLIP).hexdigest()


def test_a_download_is_logged_in_custody(incident: Incident, owner: User) -> None:
    item = add_evidence(owner, CLIP, incident=incident.number)
    response = client_for(owner).get(f"/api/v1/evidence/{item.number}/content")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CLIP
    assert [e.action for e in item.custody.order_by("seq")] == ["collected", "downloaded"]


def test_deleting_evidence_is_soft_and_needs_a_reason(incident: Incident, owner: User) -> None:
    item = add_evidence(owner, CLIP, incident=incident.number)
    client = client_for(owner)
    assert client.delete(f"/api/v1/evidence/{item.number}").status_code == 422
    response = client.delete(f"/api/v1/evidence/{item.number}?reason=Duplicate+of+EV-1")
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.is_deleted and item.deleted_reason == "Duplicate of EV-1"
    assert item.custody.order_by("-seq").first().action == CustodyAction.DELETED
    assert client.get("/api/v1/evidence").json()["count"] == 0
    assert client.get("/api/v1/evidence?deleted=true").json()["count"] == 1


def test_outsider_gets_404_for_evidence_its_bytes_and_custody(
    incident: Incident, owner: User, outsider: User
) -> None:
    item = add_evidence(owner, CLIP, incident=incident.number)
    client = client_for(outsider)
    for url in ("", "/content", "/custody"):
        assert client.get(f"/api/v1/evidence/{item.number}{url}").status_code == 404, url
    assert client.delete(f"/api/v1/evidence/{item.number}?reason=x").status_code == 404
    assert item.custody.count() == 1  # the failed attempts touched nothing


def test_the_s3_store_takes_uploads_the_same_way(
    incident: Incident, owner: User, settings: Any, s3_server: Any
) -> None:
    settings.EVIDENCE_STORE_URL = f"s3://{s3_server.bucket}/vigil-test/"
    settings.EVIDENCE_S3_ENDPOINT_URL = s3_server.endpoint_url
    response = upload(client_for(owner), upload_url(incident))
    assert response.status_code == 201, response.content
    sha256 = response.json()["sha256"]
    body = s3_server.client().get_object(
        Bucket=s3_server.bucket, Key=f"vigil-test/sha256/{sha256}"
    )["Body"]
    assert body.read() == CLIP
    assert response.json()["stored_in"].startswith("s3://")


class DroppedConnection(io.BytesIO):
    """A request body whose client goes away after the first read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.reads = 0

    def read(self, size: int | None = -1) -> bytes:
        self.reads += 1
        if self.reads > 1:
            raise ConnectionResetError("connection reset by peer")
        return super().read(min(size or 1, 1024))


def test_a_dropped_connection_stores_nothing(
    incident: Incident, owner: User, tmp_path: Path
) -> None:
    response = upload(
        client_for(owner),
        upload_url(incident),
        CONTENT_LENGTH=str(len(CLIP)),
        **{"wsgi.input": DroppedConnection(CLIP)},
    )
    assert response.status_code == 400
    assert not EvidenceItem.objects.exists()
    assert stored_files(tmp_path) == []


def test_an_upload_without_a_length_is_refused(incident: Incident, owner: User) -> None:
    from vigil.evidence import intake

    item = intake.describe_item(
        owner,
        intake.item_fields(
            owner,
            {
                "filename": "a.mp4",
                "source": "camera",
                "acquired_by": "Pat",
                "acquired_at": "2026-11-20T10:00Z",
                "incident": incident.number,
            },
            "video/mp4",
        ),
    )
    with pytest.raises(intake.UploadRefused) as refused:
        intake.receive(item, io.BytesIO(CLIP), None)
    assert refused.value.status == 411


def test_a_name_that_reads_as_another_loses_its_direction_marks_and_custody_keeps_it(
    incident: Incident, owner: User
) -> None:
    spoofed = "invoice\u202efdp.exe"  # shown as "invoiceexe.pdf"
    item = add_evidence(owner, filename=spoofed, incident=incident.number)
    assert item.original_filename == "invoicefdp.exe"
    collected = item.custody.get()
    assert collected.details["filename_as_sent"] == spoofed
    assert (
        "filename_as_sent"
        not in add_evidence(owner, b"other bytes", filename="plain.jpg", incident=incident.number)
        .custody.get()
        .details
    )


def test_stored_files_are_for_vigils_own_user_alone(
    incident: Incident, owner: User, tmp_path: Path
) -> None:
    import stat

    upload(client_for(owner), upload_url(incident))
    (stored,) = stored_files(tmp_path)
    assert stat.S_IMODE(stored.stat().st_mode) == 0o400
