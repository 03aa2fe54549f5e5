"""The video pages: the feed and its history filters, one alert, cameras and their editors."""

from __future__ import annotations

import json

from django.test import Client

from tests.conftest import World, client_for, make_user
from vigil.core.models import Role, User
from vigil.video.models import Alert, AlertStatus, Camera

from .conftest import event, with_snapshot


def send(worker_token, message) -> None:
    answer = Client().post(
        "/api/v1/video/events",
        data=json.dumps(message),
        content_type="application/json",
        **worker_token,
    )
    assert answer.status_code == 200, answer.content


def test_the_feed_lists_unhandled_alerts_first_and_refreshes_itself(
    world: World, owner: User, worker_token, snapshot_jpeg
) -> None:
    send(worker_token, event(uid="a-1", rule="intrusion", started_at="2026-03-14T22:00:00Z"))
    send(worker_token, with_snapshot(event(uid="a-2"), snapshot_jpeg))
    handled = Alert.objects.get(uid="a-2")
    handled.status = AlertStatus.DISMISSED
    handled.save()
    client = client_for(owner)
    page = client.get("/alerts/").content.decode()
    assert 'hx-trigger="every 5s"' in page
    assert page.index(f'data-alert="{Alert.objects.get(uid="a-1").pk}"') < page.index(
        f'data-alert="{handled.pk}"'
    )
    fragment = client.get("/alerts/", headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section id="alert-feed"')
    assert "<html" not in fragment


def test_history_filters_by_camera_rule_status_and_dates(world, owner, worker_token) -> None:
    send(worker_token, event(uid="a-1", rule="intrusion", started_at="2026-03-01T10:00:00Z"))
    send(worker_token, event(uid="a-2", rule="loitering", started_at="2026-03-14T10:00:00Z"))
    client = client_for(owner)
    assert client.get("/alerts/?rule=intrusion").context["table"].paginator.count == 1
    assert client.get("/alerts/?since=2026-03-10").context["table"].paginator.count == 1
    assert client.get("/alerts/?status=dismissed").context["table"].paginator.count == 0
    assert client.get("/alerts/?camera=aisle-7").context["table"].paginator.count == 2


def test_dismissing_without_a_reason_is_refused_on_the_page(world, owner, worker_token) -> None:
    send(worker_token, event())
    alert = Alert.objects.get()
    client = client_for(owner)
    answer = client.post(f"/alerts/{alert.pk}/dismiss/", {"reason": " "}, follow=True)
    assert "Say why the alert is dismissed." in answer.content.decode()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.NEW


def test_a_viewer_sees_alerts_but_cannot_handle_them(world, worker_token) -> None:
    send(worker_token, event())
    alert = Alert.objects.get()
    executive = make_user(Role.EXECUTIVE, stores=(world.store_a,))
    client = client_for(executive)
    assert "Escalate to an incident" not in client.get(f"/alerts/{alert.pk}/").content.decode()
    assert client.post(f"/alerts/{alert.pk}/acknowledge/").status_code == 403


def test_the_camera_page_hides_the_stream_password(world, owner) -> None:
    camera = Camera.objects.create(
        store=world.store_a, name="door-1", source="rtsp://admin:hunter2@10.1.1.5/main"
    )
    page = client_for(owner).get(f"/cameras/{camera.pk}/").content.decode()
    assert "hunter2" not in page and "rtsp://***@10.1.1.5/main" in page


def test_zones_saved_from_the_editor_must_keep_the_rules_valid(world, owner) -> None:
    camera = Camera.objects.create(store=world.store_a, name="door-1")
    client = client_for(owner)
    zones = [{"name": "exit", "kind": "exit", "polygon": [[0, 0], [0.5, 0], [0.5, 1]]}]
    client.post(f"/cameras/{camera.pk}/zones/", {"zones": json.dumps(zones)})
    camera.refresh_from_db()
    assert camera.config["zones"] == zones
    settings = "rules:\n  - {type: loitering, zone: exit, seconds: 20}\n"
    client.post(f"/cameras/{camera.pk}/settings/", {"settings": settings, "registers": "R1, R2"})
    camera.refresh_from_db()
    assert camera.config["rules"][0]["seconds"] == 20 and camera.listed("registers") == ["R1", "R2"]
    answer = client.post(f"/cameras/{camera.pk}/zones/", {"zones": "[]"}, follow=True)
    assert "rules[0].zone: no zone named &#x27;exit&#x27;" in answer.content.decode()
    camera.refresh_from_db()
    assert camera.config["zones"] == zones  # unchanged


def test_a_settings_mistake_names_the_field(world, owner) -> None:
    camera = Camera.objects.create(store=world.store_a, name="door-1")
    answer = client_for(owner).post(
        f"/cameras/{camera.pk}/settings/", {"settings": "fsp: 5\n"}, follow=True
    )
    assert "fsp: is not a setting here" in answer.content.decode()


def test_the_health_page_shows_each_cameras_last_report(world, owner, worker_token) -> None:
    Client().post(
        "/api/v1/video/health",
        data=json.dumps(
            {
                "kind": "health",
                "store": "SA1",
                "camera": "dock",
                "state": "disconnected",
                "detail": "cannot be opened as video (timeout)",
            }
        ),
        content_type="application/json",
        **worker_token,
    )
    page = client_for(owner).get("/cameras/health/").content.decode()
    assert "disconnected" in page and "cannot be opened as video (timeout)" in page
