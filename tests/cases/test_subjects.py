"""Subjects and vehicles: what can be recorded, what never can, and how they are found."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from tests.cases.test_incidents import patch, post
from tests.conftest import World, client_for, make_subject, tiny_file
from vigil.cases.models import Subject, Vehicle
from vigil.core.models import User
from vigil.core.schemas import PROTECTED_CLASS_FIELDS
from vigil.evidence.models import EvidenceItem

SUBJECT = {
    "store": "SA1",
    "name": "Jordan Example",
    "height": "5'10\"",
    "identifying_marks": "Rose tattoo on left forearm",
    "bolo_status": "active",
    "bolo_instructions": "Do not approach; call LP on channel 2",
}


def test_a_subject_is_recorded_with_a_bolo(world: World, owner: User) -> None:
    response = post(client_for(owner), "/api/v1/subjects", SUBJECT)
    assert response.status_code == 201, response.content
    assert response.json()["bolo_status"] == "active"


@pytest.mark.parametrize("field", ["race", "ethnicity", "religion", "sexual_orientation"])
def test_protected_class_fields_are_refused_by_name(world: World, owner: User, field: str) -> None:
    response = post(client_for(owner), "/api/v1/subjects", {**SUBJECT, field: "anything"})
    assert response.status_code == 422
    assert "protected-class" in response.json()["error"]["message"]
    assert not Subject.objects.exists()


def test_the_subject_schema_has_no_protected_class_field() -> None:
    names = {field.name for field in Subject._meta.get_fields()}
    assert not names & PROTECTED_CLASS_FIELDS


def test_a_trespass_cannot_expire_before_it_was_given(world: World, owner: User) -> None:
    body = {**SUBJECT, "trespass_notice_on": "2026-11-01", "trespass_expires_on": "2026-10-01"}
    response = post(client_for(owner), "/api/v1/subjects", body)
    assert response.status_code == 422
    assert "trespass_expires_on" in response.json()["error"]["message"]


def test_subjects_are_found_by_description_and_by_plate(world: World, owner: User) -> None:
    subject = make_subject(world.store_a, identifying_marks="Rose tattoo on left forearm")
    make_subject(world.store_a, name="Other Person")
    vehicle = Vehicle.objects.create(store=world.store_a, plate="abc 123", make="Honda")
    vehicle.subjects.add(subject)
    client = client_for(owner)
    assert [s["id"] for s in client.get("/api/v1/subjects?q=tattoo").json()["items"]] == [
        subject.pk
    ]
    assert [s["id"] for s in client.get("/api/v1/subjects?q=ABC123").json()["items"]] == [
        subject.pk
    ]
    assert client.get("/api/v1/vehicles?q=abc 123").json()["items"][0]["plate"] == "ABC123"


def test_a_vehicle_is_linked_to_its_subjects(world: World, owner: User) -> None:
    subject = make_subject(world.store_a)
    body = {
        "store": "SA1",
        "plate": "7XYZ321",
        "plate_state": "TX",
        "make": "Ford",
        "model": "Focus",
        "colour": "Silver",
        "subject_ids": [subject.pk],
    }
    response = post(client_for(owner), "/api/v1/vehicles", body)
    assert response.status_code == 201, response.content
    assert response.json()["subject_ids"] == [subject.pk]


def test_a_subject_of_another_store_cannot_be_linked_to_a_vehicle(
    world: World, owner: User
) -> None:
    foreign = make_subject(world.store_b)
    body = {"store": "SA1", "plate": "1AAA111", "subject_ids": [foreign.pk]}
    assert post(client_for(owner), "/api/v1/vehicles", body).status_code == 404
    assert not Vehicle.objects.exists()


def test_outsider_gets_404_for_subjects_and_vehicles(
    world: World, owner_client: Client, outsider: User
) -> None:
    subject = make_subject(world.store_a)
    vehicle = Vehicle.objects.create(store=world.store_a, plate="Q1")
    client = client_for(outsider)
    assert client.get(f"/api/v1/subjects/{subject.pk}").status_code == 404
    assert patch(client, f"/api/v1/subjects/{subject.pk}", {"name": "x"}).status_code == 404
    assert client.get(f"/api/v1/vehicles/{vehicle.pk}").status_code == 404
    assert client.get("/api/v1/subjects").json()["count"] == 0


# --- a subject's photo is a picture, read from its bytes --------------------------------


def photo_upload(client: Client, subject: Subject, data: bytes, name: str) -> Any:
    query = urlencode(
        {
            "filename": name,
            "source": "phone",
            "acquired_by": "Pat Officer",
            "acquired_at": "2026-11-20T15:10:00-06:00",
            "subject_id": subject.pk,
        }
    )
    return client.post(f"/api/v1/evidence?{query}", data=data, content_type="image/jpeg")


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 64, "is a Windows program"),
        (b"<html><body><img src=x onerror=alert(1)></body></html>", "is a web page (HTML)"),
        (tiny_file("mp4", b"clip"), "is an MP4 video, but a subject's photo must be a photo"),
        (tiny_file("pdf", b"scan"), "is a PDF document, but a subject's photo must be a photo"),
    ],
)
def test_a_subjects_photo_that_is_not_a_picture_is_refused_and_nothing_is_stored(
    world: World, owner: User, data: bytes, what: str
) -> None:
    subject = make_subject(world.store_a)
    response = photo_upload(client_for(owner), subject, data, "face.jpg")
    assert response.status_code == 422, response.content
    assert f'file: "face.jpg" {what}' in response.json()["error"]["message"]
    assert not EvidenceItem.objects.filter(subject=subject).exists()


def test_a_subjects_photo_is_kept_as_the_picture_its_bytes_show(world: World, owner: User) -> None:
    subject = make_subject(world.store_a)
    response = photo_upload(client_for(owner), subject, tiny_file("heic", b"face"), "IMG_0042")
    assert response.status_code == 201, response.content
    assert response.json()["media_type"] == "image/heic"


def test_the_upload_page_for_a_subjects_photo_offers_only_pictures(
    world: World, owner: User
) -> None:
    subject = make_subject(world.store_a)
    page = client_for(owner).get(f"/evidence/new/?subject_id={subject.pk}").content.decode()
    assert 'accept="image/*"' in page
    assert "a photo (JPEG, PNG, GIF, WebP or HEIC)" in page
