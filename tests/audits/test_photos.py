"""Floor-walk and fix photos: a picture, read from its first bytes, or nothing is kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import World, client_for, tiny_file
from vigil.audits.models import FloorWalk
from vigil.audits.photos import PHOTOS, content_type_of

from .conftest import PHOTO


def photo_url(client: Client) -> str:
    client.post("/audits/start/", {"checklist": "eas", "store": "SA1"})
    walk = FloorWalk.objects.latest("started_at")
    return f"/audits/walks/{walk.number}/photos/tagging-photo/"


def kept_files(data_dir: Path) -> list[Path]:
    return [path for path in (data_dir / "audits").rglob("*") if path.is_file()]


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 64, "it is a Windows program"),
        (b"<!doctype html><html><script>x()</script></html>", "it is a web page (HTML)"),
        (tiny_file("mp4", b"clip"), "it is an MP4 video"),
        (b"Shelf looked fine\n", "it is a plain-text file"),
    ],
)
def test_a_floor_walk_photo_that_is_not_a_picture_is_refused_and_nothing_is_kept(
    world: World, owner, tmp_path: Path, data: bytes, what: str
) -> None:
    client = client_for(owner)
    url = photo_url(client)
    refused = client.generic("POST", url, data, content_type="image/jpeg")
    assert refused.status_code == 422
    message = refused.json()["error"]
    assert message.startswith("That file is not a photo") and what in message
    assert "Send a photo (JPEG, PNG, GIF, WebP or HEIC)" in message
    assert kept_files(tmp_path) == []  # not even a temporary file


@pytest.mark.parametrize(
    ("kind", "media_type"), [("webp", "image/webp"), ("heic", "image/heic"), ("gif", "image/gif")]
)
def test_a_floor_walk_photo_is_served_as_the_picture_its_bytes_show(
    world: World, owner, kind: str, media_type: str
) -> None:
    client = client_for(owner)
    url = photo_url(client)
    picture = tiny_file(kind, b"the aisle")
    sent = client.generic("POST", url, picture, content_type="application/octet-stream")
    assert sent.status_code == 200, sent.content
    assert PHOTOS.path_of(sent.json()["photo"]).read_bytes() == picture
    assert client.get(url)["Content-Type"] == media_type


@pytest.mark.parametrize("picture", [PHOTO, tiny_file("png", bytes(range(256)) * 400)])
def test_a_photo_is_kept_whole_after_its_first_bytes_are_read(
    world: World, owner, picture: bytes
) -> None:
    client = client_for(owner)
    url = photo_url(client)
    sent = client.generic("POST", url, picture, content_type="image/jpeg")
    assert PHOTOS.path_of(sent.json()["photo"]).read_bytes() == picture


def test_the_photo_report_knows_a_heic_photo_from_its_first_sixteen_bytes() -> None:
    assert content_type_of(tiny_file("heic")[:16]) == "image/heic"
    assert content_type_of(tiny_file("pdf")) is None
