"""The video API: what workers send, store scope on it, and handling alerts."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.test import Client

from tests.conftest import World, client_for
from vigil.core.models import User
from vigil.evidence.models import EvidenceItem
from vigil.video import media
from vigil.video.models import Alert, AlertStatus, Camera

from .conftest import event, with_snapshot


def post(client: Client, path: str, body: Any, auth: dict[str, str] | None = None) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json", **(auth or {}))


def send_clip(client: Client, uid: str, data: bytes, auth: dict[str, str], store: str = "SA1"):
    return client.generic(
        "POST",
        f"/api/v1/video/clips?store={store}&uid={uid}&camera=aisle-7",
        data,
        content_type="video/mp4",
        **auth,
    )


def test_an_event_creates_an_alert_and_its_camera_and_a_resend_updates_it(
    world: World, worker_token, snapshot_jpeg
) -> None:
    client = Client()
    first = post(
        client, "/api/v1/video/events", with_snapshot(event(), snapshot_jpeg), worker_token
    )
    assert first.status_code == 200, first.content
    body = first.json()
    assert (body["store"], body["camera"], body["rule"], body["status"]) == (
        "SA1",
        "aisle-7",
        "loitering",
        "new",
    )
    alert = Alert.objects.get(uid="aisle-7-0001")
    assert alert.snapshot_sha256 == hashlib.sha256(snapshot_jpeg).hexdigest()
    assert media.SNAPSHOTS.path_of(alert.snapshot_sha256).read_bytes() == snapshot_jpeg
    assert Camera.objects.get(store=world.store_a, name="aisle-7").snapshot_sha256
    closed = event(open=False, ended_at="2026-03-14T22:15:41+00:00", track_ids=[4, 9])
    assert post(client, "/api/v1/video/events", closed, worker_token).status_code == 200
    assert post(client, "/api/v1/video/events", closed, worker_token).status_code == 200
    alert.refresh_from_db()
    assert Alert.objects.count() == 1
    assert not alert.is_open and alert.track_ids == [4, 9] and alert.ended_at is not None


def test_a_clip_is_hashed_on_arrival_and_kept_read_only(world, worker_token, clip_mp4) -> None:
    client = Client()
    post(client, "/api/v1/video/events", event(), worker_token)
    answer = send_clip(client, "aisle-7-0001", clip_mp4, worker_token)
    assert answer.status_code == 200, answer.content
    assert answer.json()["clip_sha256"] == hashlib.sha256(clip_mp4).hexdigest()
    stored = media.CLIPS.path_of(answer.json()["clip_sha256"])
    assert stored.read_bytes() == clip_mp4
    assert stored.stat().st_mode & 0o222 == 0


def test_a_clip_before_its_event_or_too_large_is_refused_and_nothing_kept(
    world, worker_token, clip_mp4, settings
) -> None:
    client = Client()
    assert send_clip(client, "no-such-event", clip_mp4, worker_token).status_code == 404
    post(client, "/api/v1/video/events", event(), worker_token)
    settings.VIDEO_CLIP_MAX_BYTES = 1000
    refused = send_clip(client, "aisle-7-0001", clip_mp4, worker_token)
    assert refused.status_code == 413
    assert "limit" in refused.json()["error"]["message"]
    assert list(media.CLIPS.folder().glob("*.mp4")) == []


def test_a_worker_cannot_send_to_a_store_outside_its_scope(world, worker_token) -> None:
    answer = post(Client(), "/api/v1/video/events", event(store="SB1"), worker_token)
    assert answer.status_code == 404
    assert not Alert.objects.exists()


def test_a_snapshot_that_is_not_a_jpeg_is_refused(world, worker_token) -> None:
    message = with_snapshot(event(), b"GIF89a not a jpeg")
    answer = post(Client(), "/api/v1/video/events", message, worker_token)
    assert answer.status_code == 422
    assert "Not a JPEG" in answer.content.decode()


def test_unknown_fields_in_a_message_are_refused_by_name(world, worker_token) -> None:
    answer = post(Client(), "/api/v1/video/events", event(race="x"), worker_token)
    assert answer.status_code == 422
    assert "race" in answer.content.decode()


def test_handling_acknowledge_then_dismiss_needs_a_reason(world, owner: User, worker_token) -> None:
    post(Client(), "/api/v1/video/events", event(), worker_token)
    alert = Alert.objects.get()
    client = client_for(owner)
    url = f"/api/v1/video/alerts/{alert.pk}"
    assert post(client, f"{url}/acknowledgement", {"note": "Watching"}).json()["status"] == (
        "acknowledged"
    )
    assert post(client, f"{url}/dismissal", {"reason": ""}).status_code == 422
    dismissed = post(client, f"{url}/dismissal", {"reason": "Staff restocking razors"})
    assert dismissed.json()["status"] == "dismissed"
    assert dismissed.json()["note"] == "Staff restocking razors"


def test_escalation_files_an_incident_with_the_clip_as_evidence_of_the_same_hash(
    world, owner: User, worker_token, clip_mp4, snapshot_jpeg
) -> None:
    client = Client()
    post(client, "/api/v1/video/events", with_snapshot(event(), snapshot_jpeg), worker_token)
    send_clip(client, "aisle-7-0001", clip_mp4, worker_token)
    alert = Alert.objects.get()
    answer = post(
        client_for(owner),
        f"/api/v1/video/alerts/{alert.pk}/escalation",
        {"note": "Subject concealed two razor packs"},
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert len(body["evidence"]) == 2
    clip = EvidenceItem.objects.get(number__in=body["evidence"], media_type="video/mp4")
    assert clip.sha256 == hashlib.sha256(clip_mp4).hexdigest() == alert.clip_sha256
    assert clip.incident.number == body["incident"]
    assert clip.custody.count() == 1
    assert clip.camera == "aisle-7"
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ESCALATED and alert.incident.number == body["incident"]
    assert "loitering" in alert.incident.narrative and "razor packs" in alert.incident.narrative
    again = post(client_for(owner), f"/api/v1/video/alerts/{alert.pk}/escalation", {})
    assert again.json()["incident"] == body["incident"]


def test_another_stores_alert_is_not_found(world, outsider: User, worker_token) -> None:
    post(Client(), "/api/v1/video/events", event(), worker_token)
    alert = Alert.objects.get()
    client = client_for(outsider)
    assert client.get(f"/api/v1/video/alerts/{alert.pk}").status_code == 404
    assert client.get("/api/v1/video/alerts").json()["count"] == 0
    assert post(client, f"/api/v1/video/alerts/{alert.pk}/escalation", {}).status_code == 404


def test_a_camera_config_is_checked_by_the_engine_and_the_error_names_the_field(
    world, owner: User
) -> None:
    client = client_for(owner)
    bad = {
        "store": "SA1",
        "name": "door-2",
        "config": {"rules": [{"type": "intrusion", "zone": "exit"}]},
    }
    answer = post(client, "/api/v1/video/cameras", bad)
    assert answer.status_code == 422
    assert "rules[0].zone: no zone named 'exit'" in answer.content.decode()


def test_the_worker_config_carries_the_store_hours_and_the_stream_the_pages_hide(
    world, owner: User
) -> None:
    import datetime as dt

    from vigil.core.records import set_opening_hours

    set_opening_hours(world.store_a, [(0, dt.time(9), dt.time(21))])
    client = client_for(owner)
    camera = post(
        client,
        "/api/v1/video/cameras",
        {
            "store": "SA1",
            "name": "door-2",
            "source": "rtsp://admin:hunter2@10.0.0.9/1",
            "config": {
                "zones": [{"name": "exit", "kind": "exit", "polygon": [[0, 0], [1, 0], [1, 1]]}],
                "rules": [{"type": "intrusion", "zone": "exit", "schedule": "closed_hours"}],
            },
        },
    ).json()
    assert camera["source"] == "rtsp://***@10.0.0.9/1"
    config = client.get(f"/api/v1/video/cameras/{camera['id']}/worker-config").json()
    assert config["source"] == "rtsp://admin:hunter2@10.0.0.9/1"
    assert config["store"] == "SA1"
    assert config["hours"] == [{"days": ["mon"], "start": "09:00", "end": "21:00"}]
