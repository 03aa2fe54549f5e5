"""The alert list: a live feed of cards or a sortable table of the same rows, exported in
words and never holding another store's alerts (the list mechanism itself is specified in
tests/core/test_lists.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client

from tests.conftest import World, client_for
from vigil.core.models import User
from vigil.video.models import Alert, AlertSource, AlertStatus, Camera, Priority

pytestmark = pytest.mark.django_db
STARTED = dt.datetime(2026, 3, 14, 22, 15, 3, tzinfo=dt.UTC)


def _alert(store: Any, uid: str, **fields: Any) -> Alert:
    camera, _ = Camera.objects.get_or_create(store=store, name="aisle-7")
    values: dict[str, Any] = {
        "store": store,
        "camera": camera,
        "source": AlertSource.VIGIL,
        "rule": "loitering",
        "started_at": STARTED,
        **fields,
    }
    return Alert.objects.create(uid=uid, **values)


@pytest.fixture
def three(world: World, owner: User) -> list[Alert]:
    return [
        _alert(world.store_a, "a-1", rule="line_crossing", zone="doors"),
        _alert(world.store_a, "a-2", priority=Priority.HIGH, started_at=STARTED - dt.timedelta(1)),
        _alert(world.store_a, "a-3", status=AlertStatus.DISMISSED, handled_by=owner),
    ]


def _shown(response: Any) -> list[str]:
    return [row.record.uid for row in response.context["table"].page.object_list]


def _csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_feed_is_cards_in_triage_order_and_the_table_sorts_by_a_column(
    owner_client: Client, three: list[Alert]
):
    feed = owner_client.get("/alerts/")
    oldest_first = owner_client.get("/alerts/?layout=table&sort=started_at")

    assert _shown(feed) == ["a-2", "a-1", "a-3"]  # unhandled and urgent first
    assert 'class="alert-card' in feed.content.decode()
    assert _shown(oldest_first)[0] == "a-2"
    assert 'aria-sort="ascending"' in oldest_first.content.decode()


def test_the_refresh_keeps_the_layout_sort_and_page(owner_client: Client, three: list[Alert]):
    page = owner_client.get("/alerts/?layout=table&sort=-status").content.decode()

    assert 'hx-get="/alerts/?layout=table&amp;sort=-status"' in page


def test_a_rule_is_found_by_the_words_people_use(owner_client: Client, three: list[Alert]):
    assert _shown(owner_client.get("/alerts/?rule=Line+crossing")) == ["a-1"]


def test_the_csv_is_the_filtered_list_in_words(owner_client: Client, three: list[Alert]):
    rows = _csv(owner_client.get("/alerts/?sort=started_at&export=csv"))

    assert rows[0] == [
        "Alert", "Started", "Camera", "Store", "Priority", "Status", "Handled by", "Incident",
    ]  # fmt: skip
    assert rows[1][4] == "High"  # labels, not 3 or "new"
    assert rows[2][0] == "Line crossing · doors"
    assert rows[2][1].endswith("17:15:03 CDT")  # the store's clock, to the second, named
    assert rows[3][5:7] == ["Dismissed", "owner"]


def test_an_export_holds_only_the_users_stores(world: World, outsider: User, three: list[Alert]):
    _alert(world.store_b, "b-1", rule="intrusion")

    rows = _csv(client_for(outsider).get("/alerts/?export=csv"))

    assert [row[0] for row in rows[1:]] == ["Intrusion"]
