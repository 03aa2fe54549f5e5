"""Plate reads against the watchlist, and BOLOs pushed to their region's LP users."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from django.core import mail
from django.test import Client
from paho.mqtt.enums import CallbackAPIVersion

from tests.conftest import World, client_for, make_store, make_subject, make_user
from vigil.cases.models import BoloStatus, Vehicle
from vigil.core.models import Role, User
from vigil.video import platereads
from vigil.video.listener import Listener, connect
from vigil.video.models import Alert, BoloNotice, Camera, PlateRead, Priority

FRIGATE_CAR: dict[str, Any] = {
    "type": "new",
    "before": {},
    "after": {
        "id": "1773526600.2-lpr001", "camera": "car-park", "label": "car", "top_score": 0.91,
        "start_time": 1773526600.2, "end_time": None, "entered_zones": [],
        "false_positive": False, "stationary": False,
        "recognized_license_plate": "ABC1O3", "recognized_license_plate_score": 0.93,
    },
}  # fmt: skip


def frigate_car(type_: str = "new", **after: object) -> bytes:
    return json.dumps(
        {**FRIGATE_CAR, "type": type_, "after": {**FRIGATE_CAR["after"], **after}}
    ).encode()


def watched(world: World, plate: str = "ABC103", **fields: Any) -> Vehicle:
    """A vehicle of store A with an active BOLO of its own."""
    values = {"bolo_status": BoloStatus.ACTIVE, "bolo_instructions": "Call LP, do not approach."}
    return Vehicle.objects.create(store=world.store_a, plate=plate, **{**values, **fields})


# --- normalising and matching -------------------------------------------------------------


def test_a_plate_is_normalised_to_letters_and_digits() -> None:
    assert platereads.normalise(" abc-12 3 ") == "ABC123"


def test_the_same_plate_is_an_exact_match() -> None:
    found = platereads.match("abc 123", "ABC123")
    assert found is not None and found.how == "exact plate" and not found.partial


def test_a_reader_confusion_matches_and_says_which() -> None:
    found = platereads.match("ABC1O3", "ABC103")
    assert found is not None and found.how == "one confusion away: 0 read as O"


@pytest.mark.parametrize(
    ("read", "plate"),
    [("8XY123", "BXY123"), ("AIR555", "A1R555"), ("ZS6TTT", "2S6TTT"), ("GHJ777", "6HJ777")],
)
def test_each_reader_confusion_is_tolerated(read: str, plate: str) -> None:
    assert platereads.match(read, plate) is not None


def test_two_confusions_are_counted() -> None:
    found = platereads.match("8O5XYZ", "B05XYZ")
    assert found is not None and found.how == "2 confusions away: B read as 8, 0 read as O"


def test_three_confusions_are_too_many() -> None:
    assert platereads.match("8OSXYZ", "B05XYZ") is None


def test_a_read_that_is_part_of_a_watched_plate_is_a_partial_match() -> None:
    found = platereads.match("BC103", "ABC103")
    assert (
        found is not None and found.partial and found.how == "partial: BC103 read, part of ABC103"
    )


def test_a_read_that_contains_a_watched_plate_is_a_partial_match() -> None:
    found = platereads.match("XABC103", "ABC103")
    assert found is not None and found.partial


def test_a_partial_of_fewer_than_four_characters_matches_nothing() -> None:
    assert platereads.match("C10", "ABC103") is None


def test_an_unrelated_plate_does_not_match() -> None:
    assert platereads.match("XYZ789", "ABC103") is None
    assert platereads.match("ABD103", "ABC103") is None  # D is not a confusion of C


def test_the_surest_match_wins() -> None:
    exact, confused = Vehicle(pk=1, plate="ABC1O3"), Vehicle(pk=2, plate="ABC103")
    found = platereads.best_match("ABC1O3", [confused, exact])
    assert found is not None and found[0] is exact


# --- the watchlist ------------------------------------------------------------------------


def test_vehicles_of_a_subject_with_an_active_bolo_are_watched(world: World) -> None:
    subject = make_subject(world.store_a, bolo_status=BoloStatus.ACTIVE)
    car = Vehicle.objects.create(store=world.store_a, plate="KLM456")
    car.subjects.add(subject)
    Vehicle.objects.create(store=world.store_a, plate="NOP789")  # nobody's BOLO
    assert list(platereads.watched_vehicles(world.store_a)) == [car]


def test_a_bolo_is_watched_for_in_its_region_only(world: World) -> None:
    watched(world)
    assert list(platereads.watched_vehicles(world.store_b)) == []
    assert len(platereads.watched_vehicles(make_store(world.region_a))) == 1


# --- Frigate ------------------------------------------------------------------------------


def test_a_frigate_plate_one_confusion_away_raises_an_alert(
    world: World, worker_user: User
) -> None:
    car = watched(world)
    Camera.objects.create(store=world.store_a, name="car-park")
    Listener(worker_user).handle("frigate/events", frigate_car())
    read = PlateRead.objects.get()
    assert (read.plate, read.normalised, read.confidence, read.vehicle) == (
        "ABC1O3",
        "ABC1O3",
        0.93,
        car,
    )
    alert = Alert.objects.get(rule="watched_plate")
    assert alert.camera is not None and alert.camera.name == "car-park"
    assert alert.priority == Priority.HIGH
    assert "one confusion away: 0 read as O" in alert.detail
    assert "Call LP, do not approach." in alert.detail


def test_frigate_updates_of_one_event_are_one_read_and_one_alert(
    world: World, worker_user: User
) -> None:
    watched(world)
    Camera.objects.create(store=world.store_a, name="car-park")
    listener = Listener(worker_user)
    listener.handle("frigate/events", frigate_car("new", recognized_license_plate_score=0.7))
    listener.handle("frigate/events", frigate_car("update", recognized_license_plate_score=0.95))
    listener.handle("frigate/events", frigate_car("end", end_time=1773526630.0))
    assert PlateRead.objects.count() == 1
    assert PlateRead.objects.get().confidence == 0.95
    assert Alert.objects.filter(rule="watched_plate").count() == 1


def test_a_frigate_car_of_nobody_watched_raises_no_plate_alert(
    world: World, worker_user: User
) -> None:
    watched(world, plate="XYZ789")
    Camera.objects.create(store=world.store_a, name="car-park")
    Listener(worker_user).handle("frigate/events", frigate_car())
    assert PlateRead.objects.get().alert is None
    assert not Alert.objects.filter(rule="watched_plate").exists()


def test_a_frigate_event_without_a_plate_is_no_read(world: World, worker_user: User) -> None:
    Camera.objects.create(store=world.store_a, name="car-park")
    Listener(worker_user).handle("frigate/events", frigate_car(recognized_license_plate=None))
    assert not PlateRead.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_frigate_plate_published_to_the_local_mosquitto_raises_an_alert(
    world: World, worker_user: User
) -> None:
    watched(world)
    Camera.objects.create(store=world.store_a, name="car-park")
    handled: list[str] = []

    class Counting(Listener):
        # Waited on rather than polling the database from a second thread (see test_sources).
        def handle(self, topic: str, payload: bytes | bytearray) -> str:
            handled.append(super().handle(topic, payload))
            return handled[-1]

    client = connect("mqtt://127.0.0.1:1883", Counting(worker_user), f"vigil-test-{uuid.uuid4()}")
    client.loop_start()
    publisher = mqtt.Client(CallbackAPIVersion.VERSION2)
    try:
        publisher.connect("127.0.0.1", 1883)
    except OSError as error:  # CI runs a Mosquitto service; so must a developer
        pytest.fail(f"the local Mosquitto on 127.0.0.1:1883 is needed: {error}")
    publisher.loop_start()
    try:
        time.sleep(0.5)  # subscribed
        publisher.publish("frigate/events", frigate_car(), qos=1).wait_for_publish(5)
        deadline = time.monotonic() + 10
        while not handled and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        publisher.loop_stop()
        publisher.disconnect()
        client.loop_stop()
        client.disconnect()
    assert handled and handled[0].endswith("plate ABC1O3 (watched)"), handled
    alert = Alert.objects.get(rule="watched_plate")
    assert "one confusion away: 0 read as O" in alert.detail


# --- the webhook --------------------------------------------------------------------------


def post_read(client: Client, headers: dict[str, Any] | None = None, **fields: Any) -> Any:
    body = {
        "plate": "ABC1O3", "store": "SA1", "camera": "gate", "read_at": "2026-03-14T17:20:00-05:00",
        "confidence": 0.88, "id": "r-1", "system": "acme", **fields,
    }  # fmt: skip
    return client.post(
        "/api/v1/plate-reads", json.dumps(body), content_type="application/json", **(headers or {})
    )


def test_a_webhook_read_of_a_watched_plate_raises_an_alert(
    world: World, worker_token: dict[str, str]
) -> None:
    watched(world)
    answer = post_read(Client(), worker_token)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["normalised"], body["store"], body["camera"], body["source"]) == (
        "ABC1O3",
        "SA1",
        "gate",
        "webhook",
    )
    assert body["match"] == "one confusion away: 0 read as O" and body["alert_id"]
    assert Alert.objects.get(pk=body["alert_id"]).source == "lpr"


def test_the_same_webhook_read_twice_is_one_read(
    world: World, worker_token: dict[str, str]
) -> None:
    post_read(Client(), worker_token)
    post_read(Client(), worker_token)
    assert PlateRead.objects.count() == 1


def test_a_webhook_read_needs_a_token(world: World) -> None:
    assert post_read(Client()).status_code == 401


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"plate": ""}, "plate"),
        ({"plate": "X" * 21}, "plate"),
        ({"read_at": "2026-03-14T17:20:00"}, "read_at"),  # no offset
        ({"read_at": "yesterday"}, "read_at"),
        ({"confidence": 1.5}, "confidence"),
        ({"store": "", "camera": ""}, "name the camera or the store"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_webhook_read_is_refused_naming_the_field(
    world: World, worker_token: dict[str, str], fields: dict[str, Any], where: str
) -> None:
    answer = post_read(Client(), worker_token, **fields)
    assert answer.status_code == 422
    assert where in answer.json()["error"]["message"]
    assert not PlateRead.objects.exists()


def test_a_webhook_read_at_another_stores_camera_is_404(
    world: World, worker_token: dict[str, str]
) -> None:
    assert post_read(Client(), worker_token, store=world.store_b.code).status_code == 404
    assert not PlateRead.objects.exists()


def test_a_webhook_read_may_name_only_a_camera_of_its_stores(
    world: World, worker_token: dict[str, str]
) -> None:
    Camera.objects.create(store=world.store_a, name="gate")
    Camera.objects.create(store=world.store_b, name="dock")
    assert post_read(Client(), worker_token, store="").json()["store"] == "SA1"
    assert post_read(Client(), worker_token, store="", camera="dock", id="r-2").status_code == 422


def test_an_executive_may_not_post_reads(world: World) -> None:
    from vigil.core import tokens

    executive = make_user(Role.EXECUTIVE, stores=(world.store_a,))
    _, raw = tokens.issue(executive, name="reader")
    assert post_read(Client(), {"HTTP_AUTHORIZATION": f"Bearer {raw}"}).status_code == 403


# --- BOLO push ----------------------------------------------------------------------------


def person(role: str, email: str, **scope: Any) -> User:
    user = make_user(role, **scope)
    user.email = email
    user.save()
    return user


@pytest.fixture
def region_a_people(world: World) -> dict[str, User]:
    other_store = make_store(world.region_a)
    return {
        "officer": person(Role.LP_OFFICER, "officer@example.com", stores=(other_store,)),
        "manager": person(Role.LP_MANAGER, "manager@example.com", regions=(world.region_a,)),
        "everywhere": person(Role.LP_MANAGER, "hq@example.com", everything=True),
        "store manager": person(Role.STORE_MANAGER, "sm@example.com", stores=(world.store_a,)),
        "director": person(Role.REGIONAL_DIRECTOR, "rd@example.com", regions=(world.region_a,)),
        "police": person(Role.EXTERNAL, "police@example.com", stores=(world.store_a,)),
        "region B officer": person(Role.LP_OFFICER, "b@example.com", stores=(world.store_b,)),
    }


def test_an_active_bolo_is_pushed_to_the_lp_users_of_its_region_only(
    world: World, region_a_people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_subject(world.store_a, bolo_status=BoloStatus.ACTIVE, bolo_instructions="Call 911.")
    told = {notice.recipient.email for notice in BoloNotice.objects.all()}
    assert told == {"officer@example.com", "manager@example.com", "hq@example.com"}
    assert sorted(message.to[0] for message in mail.outbox) == sorted(told)
    assert "Call 911." in mail.outbox[0].body


def test_a_bolo_is_pushed_when_it_becomes_active_and_not_again(
    world: World, region_a_people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        car = Vehicle.objects.create(store=world.store_a, plate="KLM456")
    assert not BoloNotice.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        car.bolo_status, car.bolo_instructions = BoloStatus.ACTIVE, "Note the driver."
        car.save()
    assert BoloNotice.objects.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        car.description = "Dent on the rear door"
        car.save()
    assert BoloNotice.objects.count() == 3
    assert BoloNotice.objects.filter(vehicle=car, instructions="Note the driver.").count() == 3


def test_the_bolo_page_lists_ones_own_notices_with_instructions(
    world: World, region_a_people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_subject(world.store_a, bolo_status=BoloStatus.ACTIVE, bolo_instructions="Call 911.")
    mine = client_for(region_a_people["officer"]).get("/bolos/").content.decode()
    assert "Jordan Example" in mine and "Call 911." in mine
    theirs = client_for(region_a_people["store manager"]).get("/bolos/").content.decode()
    assert "Jordan Example" not in theirs


def test_the_alert_page_shows_the_read_and_the_watched_vehicle(
    world: World, owner: User, worker_user: User
) -> None:
    car = watched(world)
    Camera.objects.create(store=world.store_a, name="car-park")
    Listener(worker_user).handle("frigate/events", frigate_car())
    alert = Alert.objects.get(rule="watched_plate")
    page = client_for(owner).get(f"/alerts/{alert.pk}/").content.decode()
    assert "ABC1O3" in page and "93 %" in page
    assert f"/vehicles/{car.pk}/" in page and "one confusion away: 0 read as O" in page


def test_reads_are_listed_for_ones_own_stores_only(
    world: World, worker_token: dict[str, str]
) -> None:
    watched(world)
    post_read(Client(), worker_token)
    post_read(Client(), worker_token, plate="QRS999", id="r-2")
    PlateRead.objects.create(
        uid="b-1", store=world.store_b, plate="ABC1O3", normalised="ABC1O3",
        read_at="2026-03-14T17:20:00Z", source="webhook",
    )  # fmt: skip
    client = Client(HTTP_AUTHORIZATION=worker_token["HTTP_AUTHORIZATION"])
    assert [r["plate"] for r in client.get("/api/v1/plate-reads").json()["items"]] == [
        "QRS999",
        "ABC1O3",
    ]
    assert [r["plate"] for r in client.get("/api/v1/plate-reads?watched=true").json()["items"]] == [
        "ABC1O3"
    ]
    assert [r["plate"] for r in client.get("/api/v1/plate-reads?plate=qrs").json()["items"]] == [
        "QRS999"
    ]


def test_a_pushed_bolo_links_the_subjects_photo(
    world: World,
    owner: User,
    region_a_people: dict[str, User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from tests.conftest import add_evidence, tiny_file

    subject = make_subject(world.store_a)
    photo = add_evidence(
        owner,
        tiny_file("jpeg", b"face"),
        filename="face.jpg",
        subject_id=subject.pk,
        store=world.store_a.code,
    )
    with django_capture_on_commit_callbacks(execute=True):
        subject.bolo_status = BoloStatus.ACTIVE
        subject.save()
    notice = BoloNotice.objects.filter(recipient=region_a_people["officer"]).get()
    assert notice.photo_url == f"/evidence/{photo.number}/download/"
    assert notice.photo_url in mail.outbox[0].body


def test_a_pushed_bolo_is_in_the_lp_users_my_work(
    world: World, region_a_people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_subject(world.store_a, bolo_status=BoloStatus.ACTIVE, bolo_instructions="Call 911.")
    page = client_for(region_a_people["officer"]).get("/my-work/").content.decode()
    assert "BOLOs for your region" in page and "Call 911." in page
    page = client_for(region_a_people["store manager"]).get("/my-work/").content.decode()
    assert "BOLOs for your region" not in page
