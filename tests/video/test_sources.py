"""Other sources in the same feed: Frigate, VMS webhooks, EAS gates, and the MQTT listener."""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid

import duckdb
import paho.mqtt.client as mqtt
import pytest
from django.test import Client
from paho.mqtt.enums import CallbackAPIVersion

from tests.conftest import World
from vigil.pos.imports import data_sets_root
from vigil.pos.models import DataSet
from vigil.video import sources
from vigil.video.listener import Listener, connect
from vigil.video.models import Alert, AlertSource, Camera, Priority

from .conftest import event

FRIGATE_NEW = {
    "type": "new",
    "before": {},
    "after": {
        "id": "1773526503.1-ab12cd", "camera": "aisle-7", "label": "person", "top_score": 0.82,
        "start_time": 1773526503.1, "end_time": None, "entered_zones": ["razors"],
        "false_positive": False, "stationary": False,
    },
}  # fmt: skip


def frigate(type_: str, **after: object) -> dict:
    return {**FRIGATE_NEW, "type": type_, "after": {**FRIGATE_NEW["after"], **after}}


def test_a_frigate_object_is_one_alert_from_new_to_end(world: World, worker_user) -> None:
    Camera.objects.create(store=world.store_a, name="aisle-7")
    listener = Listener(worker_user)
    assert listener.handle("frigate/events", json.dumps(frigate("new")).encode()).startswith(
        "frigate event"
    )
    listener.handle("frigate/events", json.dumps(frigate("update", top_score=0.9)).encode())
    listener.handle(
        "frigate/events", json.dumps(frigate("end", end_time=1773526530.0, top_score=0.9)).encode()
    )
    alert = Alert.objects.get()
    assert (alert.source, alert.rule, alert.zone, alert.store) == (
        AlertSource.FRIGATE,
        "person",
        "razors",
        world.store_a,
    )
    assert not alert.is_open and alert.detail.startswith("person 90%")
    assert alert.started_at == dt.datetime.fromtimestamp(1773526503.1, tz=dt.UTC)


def test_frigate_false_positives_are_skipped_and_unknown_cameras_refused(world, worker_user):
    listener = Listener(worker_user)
    positive = frigate("new", false_positive=True)
    assert listener.handle("frigate/events", json.dumps(positive).encode()) == "skipped"
    refused = listener.handle("frigate/events", json.dumps(frigate("new")).encode())
    assert "No camera named 'aisle-7'" in refused
    assert (
        Listener(worker_user, world.store_a)
        .handle("frigate/events", json.dumps(frigate("new")).encode())
        .startswith("frigate event")
    )
    assert Camera.objects.get(name="aisle-7").store == world.store_a


def test_a_frigate_alert_review_is_high_priority(world, worker_user) -> None:
    review = {"type": "new", "after": {
        "id": "r-1", "camera": "aisle-7", "severity": "alert", "start_time": 1773526503.0,
        "end_time": None, "data": {"objects": ["person"], "zones": ["razors"]}}}  # fmt: skip
    Listener(worker_user, world.store_a).handle("frigate/reviews", json.dumps(review).encode())
    alert = Alert.objects.get()
    assert alert.priority == Priority.HIGH and alert.rule == "review alert"


def test_a_message_that_is_not_json_is_refused_and_the_listener_goes_on(world, worker_user):
    assert Listener(worker_user).handle("frigate/events", b"{not json").startswith("refused")


def test_a_vms_rule_can_post_to_the_webhook(world: World, worker_token) -> None:
    body = {"system": "genetec", "id": "evt-991", "store": "SA1", "camera": "dock-door",
            "rule": "Door forced open", "at": "2026-03-14T03:12:00Z"}  # fmt: skip
    answer = Client().post(
        "/api/v1/video/webhook",
        data=json.dumps(body),
        content_type="application/json",
        **worker_token,
    )
    assert answer.status_code == 200, answer.content
    alert = Alert.objects.get()
    assert (alert.uid, alert.source, alert.rule) == (
        "vms-genetec-evt-991",
        "vms",
        "Door forced open",
    )


def pos_day(world: World, sales: list[str]) -> None:
    """A data set for store A on 2026-03-14 whose completed sales ended at ``sales``."""
    folder = data_sets_root() / "eas-day"
    folder.mkdir(parents=True)
    rows = ", ".join(
        f"('T{i}', 'SA1', 'sale', 'completed', '{end}')" for i, end in enumerate(sales)
    )
    duckdb.execute(
        "COPY (SELECT * FROM (VALUES " + rows + ") AS t(transaction_id, store_id, kind, status, "
        f"ended_at)) TO '{folder / 'transactions.parquet'}' (FORMAT parquet)"
    )
    data_set = DataSet.objects.create(
        name="day", folder="eas-day", source="folder",
        first_day=dt.date(2026, 3, 14), last_day=dt.date(2026, 3, 14),
    )  # fmt: skip
    data_set.stores.set([world.store_a])


def alarm(worker_token, at: str, door: str = "front-left") -> Alert:
    body = {"store": "SA1", "door": door, "at": at}
    answer = Client().post(
        "/api/v1/video/eas",
        data=json.dumps(body),
        content_type="application/json",
        **worker_token,
    )
    assert answer.status_code == 200, answer.content
    return Alert.objects.get(uid=answer.json()["uid"])


def test_an_eas_alarm_with_no_sale_just_before_is_high_priority(world, worker_token) -> None:
    pos_day(world, ["2026-03-14T15:00:00-05:00", "2026-03-14T15:58:30-05:00"])
    Camera.objects.create(store=world.store_a, name="entrance", doors="front-left, front-right")
    lone = alarm(worker_token, "2026-03-14T15:40:00-05:00")
    assert lone.priority == Priority.HIGH
    assert lone.priority_reason == "no completed sale at the store in the 5 minutes before"
    assert lone.camera.name == "entrance"
    after_sale = alarm(worker_token, "2026-03-14T16:00:00-05:00")
    assert after_sale.priority == Priority.NORMAL
    assert after_sale.priority_reason.startswith("1 completed sale(s)")


def test_an_eas_alarm_without_pos_data_says_so(world, worker_token) -> None:
    alert = alarm(worker_token, "2026-03-14T15:40:00-05:00")
    assert alert.priority == Priority.NORMAL
    assert alert.priority_reason == "no POS data covers that time yet"


@pytest.mark.django_db(transaction=True)
def test_the_listener_takes_worker_and_frigate_messages_from_the_local_mosquitto(
    world: World, worker_user
) -> None:
    Camera.objects.create(store=world.store_a, name="aisle-7")
    handled: list[str] = []

    class Counting(Listener):
        # The test waits on this rather than polling the database from a second thread
        # (SQLite's in-memory test database locks a table mid-write).
        def handle(self, topic: str, payload: bytes | bytearray) -> str:
            handled.append(super().handle(topic, payload))
            return handled[-1]

    client = connect("mqtt://127.0.0.1:1883", Counting(worker_user), f"vigil-test-{uuid.uuid4()}")
    client.loop_start()
    publisher = mqtt.Client(CallbackAPIVersion.VERSION2)
    publisher.connect("127.0.0.1", 1883)
    publisher.loop_start()
    try:
        time.sleep(0.5)  # subscribed
        publisher.publish("frigate/events", json.dumps(frigate("new")), qos=1).wait_for_publish(5)
        message = {k: v for k, v in event(uid="mqtt-1").items() if k not in {"store", "camera"}}
        publisher.publish("vigil/SA1/aisle-7/events", json.dumps(message), qos=1).wait_for_publish(
            5
        )
        deadline = time.monotonic() + 10
        while len(handled) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        publisher.loop_stop()
        publisher.disconnect()
        client.loop_stop()
        client.disconnect()
    assert [h.split()[0] for h in handled] == ["frigate", "event"], handled
    assert sorted(Alert.objects.values_list("source", flat=True)) == ["frigate", "vigil"]


def test_a_data_sets_eas_alarms_table_becomes_alerts_once(world: World, worker_user) -> None:
    pos_day(world, ["2026-03-14T15:00:00-05:00"])
    folder = data_sets_root() / "eas-day"
    duckdb.execute(
        "COPY (SELECT * FROM (VALUES ('SA1', 'front-left', '2026-03-14T15:02:00-05:00', 'E1'), "
        "('SA1', 'front-right', '2026-03-14T18:30:00-05:00', NULL), "
        "('SB1', 'dock', '2026-03-14T18:30:00-05:00', NULL)) AS t(store_id, door, \"at\", tag_id)) "
        f"TO '{folder / 'eas_alarms.parquet'}' (FORMAT parquet)"
    )
    data_set = DataSet.objects.get()
    assert sources.import_eas_table(worker_user, data_set) == 2  # store B is out of scope
    assert sources.import_eas_table(worker_user, data_set) == 2
    after_sale, lone = Alert.objects.order_by("started_at")
    assert Alert.objects.count() == 2
    assert after_sale.priority == Priority.NORMAL and after_sale.detail.endswith("tag E1")
    assert lone.priority == Priority.HIGH
