"""The evidence list: the vault found by number, file or hash, sorted by any column and
exported in words, never holding another store's items (the list mechanism itself is
specified in tests/core/test_lists.py)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from tests.conftest import World, add_evidence, client_for, make_incident, tiny_file
from vigil.core.models import User
from vigil.evidence import custody

pytestmark = pytest.mark.django_db


def _numbers(response: Any) -> list[str]:
    return [row.record.number for row in response.context["table"].page.object_list]


def _csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def items(world: World, owner: User) -> list[Any]:
    incident = make_incident(world.store_a, owner)
    return [
        add_evidence(owner, b"b" * 2000, filename="bravo.mp4", incident=incident.number),
        add_evidence(  # a 10-byte "photo": a GIF's signature and 4 bytes
            owner, tiny_file("gif", b"a" * 4), filename="alpha.gif", store="SA1", source="phone"
        ),
    ]


def test_the_list_sorts_by_file_name_and_by_size(owner_client: Client, items: list[Any]):
    by_name = _numbers(owner_client.get("/evidence/?sort=original_filename"))
    biggest_first = _numbers(owner_client.get("/evidence/?sort=-size"))

    assert by_name == [items[1].number, items[0].number]
    assert biggest_first == [items[0].number, items[1].number]


def test_a_hash_read_out_finds_its_item(owner_client: Client, items: list[Any]):
    response = owner_client.get(f"/evidence/?q={items[0].sha256.upper()}")

    assert _numbers(response) == [items[0].number]


def test_the_page_names_what_each_item_is_for_and_its_size_in_words(
    owner_client: Client, items: list[Any]
):
    page = owner_client.get("/evidence/").content.decode()

    assert f">{items[0].incident.number}</a>" in page
    assert "2.0\xa0KB" in page
    assert "Phone photo or video" in page  # the source's label, not "phone"


def test_the_csv_holds_labels_whole_hashes_and_bytes(owner_client: Client, items: list[Any]):
    rows = _csv(owner_client.get("/evidence/?sort=original_filename&export=csv"))

    assert rows[0] == ["Item", "File", "Size", "Source", "For", "Store", "Acquired", "SHA-256"]
    alpha, bravo = rows[1], rows[2]
    assert alpha[2:4] == ["10", "Phone photo or video"]
    assert bravo[4] == items[0].incident.number
    assert bravo[7] == items[0].sha256
    assert alpha[6].endswith(("CST", "CDT"))  # the store's clock, named


def test_deleted_items_are_a_filter_of_their_own(
    owner: User, owner_client: Client, items: list[Any]
):
    custody.withdraw(owner, items[1], reason="Duplicate upload")

    assert _numbers(owner_client.get("/evidence/")) == [items[0].number]
    assert _numbers(owner_client.get("/evidence/?deleted=1")) == [items[1].number]


def test_an_export_holds_only_the_users_stores(world: World, outsider: User, items: list[Any]):
    add_evidence(outsider, b"elsewhere", filename="other-store.mp4", store="SB1")

    rows = _csv(client_for(outsider).get("/evidence/?export=csv"))

    assert [row[1] for row in rows[1:]] == ["other-store.mp4"]
