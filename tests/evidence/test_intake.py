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

from tests.conftest import World, add_evidence, client_for, make_incident, tiny_file
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
    copy = add_evidence(
        owner,
        tiny_file("mp4", b"transcoded"),
        derived_from=original.number,
        derivation="transcoded",
    )
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


# --- what the file is, from its bytes -------------------------------------------------

PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 200


def refusal(response: Any) -> str:
    assert response.status_code == 422, response.content
    message: str = response.json()["error"]["message"]
    assert message.startswith("file: ")
    return message


def test_a_program_named_like_a_camera_clip_is_refused_and_nothing_is_stored(
    incident: Incident, owner: User, tmp_path: Path
) -> None:
    url = upload_url(incident, filename="register-3.mp4", source="camera")
    message = refusal(upload(client_for(owner), url, data=PROGRAM))
    assert '"register-3.mp4" is a Windows program' in message
    assert "Nothing was stored" in message
    assert not EvidenceItem.objects.exists()
    assert stored_files(tmp_path) == []


def test_a_web_page_is_refused_whatever_its_source(
    incident: Incident, owner: User, tmp_path: Path
) -> None:
    page = b"<!DOCTYPE html><html><body><script>steal()</script></body></html>"
    url = upload_url(incident, filename="receipt.pdf", source="document")
    message = refusal(upload(client_for(owner), url, data=page))
    assert "web page (HTML)" in message and "save the page as PDF" in message
    assert stored_files(tmp_path) == []


def test_a_pdf_sent_as_a_camera_clip_is_refused_and_says_what_a_camera_item_must_be(
    incident: Incident, owner: User, tmp_path: Path
) -> None:
    url = upload_url(incident, filename="cam3.mp4", source="camera")
    message = refusal(upload(client_for(owner), url, data=tiny_file("pdf", b"report")))
    assert '"cam3.mp4" is a PDF document, but evidence from "Camera (Vigil clip)"' in message
    assert "must be a photo (JPEG, PNG, GIF, WebP or HEIC) or a video (MP4, MOV" in message
    assert stored_files(tmp_path) == []


def test_a_refused_file_never_starts_an_upload_to_s3(
    incident: Incident, owner: User, settings: Any, s3_server: Any
) -> None:
    settings.EVIDENCE_STORE_URL = f"s3://{s3_server.bucket}/refused/"
    settings.EVIDENCE_S3_ENDPOINT_URL = s3_server.endpoint_url
    refusal(upload(client_for(owner), upload_url(incident, source="camera"), data=PROGRAM))
    client = s3_server.client()
    uploads = client.list_multipart_uploads(Bucket=s3_server.bucket, Prefix="refused/")
    assert uploads.get("Uploads", []) == []
    objects = client.list_object_versions(Bucket=s3_server.bucket, Prefix="refused/")
    assert objects.get("Versions", []) == []


def test_a_real_cctv_clip_is_kept_as_the_video_its_bytes_show_whatever_was_declared(
    incident: Incident, owner: User
) -> None:
    from tests.shared_data import shared_data

    clip = shared_data("video/one-by-one-person-detection.mp4").read_bytes()
    url = upload_url(incident, filename="EXPORT_0001.bin", source="camera")
    response = client_for(owner).post(url, data=clip, content_type="application/octet-stream")
    assert response.status_code == 201, response.content
    assert response.json()["media_type"] == "video/mp4"
    collected = EvidenceItem.objects.get(number=response.json()["number"]).custody.get()
    assert collected.details["media_type"] == "video/mp4"
    assert collected.details["declared_media_type"] == "application/octet-stream"


@pytest.mark.parametrize(
    ("kind", "source", "media_type"),
    [
        ("jpeg", "phone", "image/jpeg"),
        ("heic", "phone", "image/heic"),
        ("mov", "phone", "video/quicktime"),
        ("webm", "camera", "video/webm"),
        ("avi", "vms_export", "video/x-msvideo"),
        ("mkv", "vms_export", "video/x-matroska"),
        ("m4a", "other", "audio/mp4"),
        ("wav", "other", "audio/x-wav"),
        ("pdf", "document", "application/pdf"),
    ],
)
def test_accepted_kinds_are_stored_with_the_type_their_bytes_show(
    incident: Incident, owner: User, kind: str, source: str, media_type: str
) -> None:
    url = upload_url(incident, filename="upload.dat", source=source)
    response = upload(client_for(owner), url, data=tiny_file(kind, b"the rest"))
    assert response.status_code == 201, response.content
    assert response.json()["media_type"] == media_type


def test_a_till_report_is_kept_as_csv(incident: Incident, owner: User) -> None:
    report = b"register,time,amount\nR01,14:32,19.99\nR02,14:35,5.00\n"
    item = add_evidence(owner, report, filename="voids.txt", source="pos", incident=incident.number)
    assert item.media_type == "text/csv"


def test_the_items_page_shows_what_its_bytes_are(incident: Incident, owner: User) -> None:
    item = add_evidence(
        owner, tiny_file("png", b"shelf"), filename="shelf.jpg", incident=incident.number
    )
    page = client_for(owner).get(f"/evidence/{item.number}/").content.decode()
    assert "PNG picture (image/png)" in page


def test_a_still_frame_must_be_a_picture(incident: Incident, owner: User) -> None:
    from django.core.exceptions import ValidationError

    original = add_evidence(owner, CLIP, incident=incident.number)
    with pytest.raises(ValidationError) as refused:
        add_evidence(owner, CLIP, derived_from=original.number, derivation="still")
    assert "a still frame must be a photo" in str(refused.value)
    still = add_evidence(owner, tiny_file("jpeg"), derived_from=original.number, derivation="still")
    assert still.is_image


def test_a_redacted_copy_is_the_same_kind_as_its_original(incident: Incident, owner: User) -> None:
    from django.core.exceptions import ValidationError

    photo = add_evidence(owner, tiny_file("jpeg", b"face"), incident=incident.number)
    with pytest.raises(ValidationError) as refused:
        add_evidence(owner, CLIP, derived_from=photo.number, derivation="redacted")
    assert f"a redacted copy of {photo.number} must be a photo" in str(refused.value)
    blurred = add_evidence(
        owner, tiny_file("png", b"blurred"), derived_from=photo.number, derivation="redacted"
    )
    assert blurred.media_type == "image/png"


def test_the_upload_page_says_what_it_takes(incident: Incident, owner: User) -> None:
    page = client_for(owner).get(f"/evidence/new/?incident={incident.number}").content.decode()
    assert 'accept="image/*,video/*,audio/*,application/pdf' in page
    assert ".zip" not in page
    assert "Programs, web pages and archives are refused" in page
