"""The floor-walk and corrective-action lists: sorted by any column, exported in words,
never holding another store's rows (the list mechanism itself is specified in
tests/core/test_lists.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.audits.conftest import completed_walk
from tests.conftest import World, client_for
from vigil.audits import walks
from vigil.audits.models import ActionStatus, CorrectiveAction, FloorWalk
from vigil.core.models import User
from vigil.core.numbering import next_number

pytestmark = pytest.mark.django_db


def _shown(response: Any) -> list[str]:
    return [row.record.number for row in response.context["table"].page.object_list]


def _csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def three_walks(world: World, owner: User) -> list[FloorWalk]:
    """A passed walk, a failed one (its detacher left out) and one still in progress."""
    return [
        completed_walk(owner, world.store_a),
        completed_walk(owner, world.store_a, **{"detacher-secured": "no"}),
        walks.start_walk(owner, world.store_a, "eas"),
    ]


# --- floor walks ---------------------------------------------------------------------------


def test_the_walk_list_sorts_by_score_and_filters_by_result(
    owner_client: Client, three_walks: list[FloorWalk]
):
    passed, failed, draft = three_walks

    lowest_first = _shown(owner_client.get("/audits/walks/?sort=score"))
    failed_only = _shown(owner_client.get("/audits/walks/?result=failed"))

    assert lowest_first == [failed.number, passed.number, draft.number]  # no score yet: last
    assert failed_only == [failed.number]
    assert _shown(owner_client.get("/audits/walks/?result=draft")) == [draft.number]


def test_the_walk_csv_names_the_checklist_the_walker_and_the_result(
    owner: User, owner_client: Client, three_walks: list[FloorWalk]
):
    rows = _csv(owner_client.get("/audits/walks/?sort=number&export=csv"))

    assert rows[0] == [
        "Walk", "Checklist", "Store", "Walked by", "Started", "Score", "Result",
        "Critical failures",
    ]  # fmt: skip
    first = rows[1]
    assert first[1] == three_walks[0].checklist.title
    assert first[2].startswith("SA1 ")
    assert first[3] == str(owner)
    assert first[4].endswith(("CST", "CDT"))
    assert [row[6] for row in rows[1:]] == ["Passed", "Failed", "In progress"]


def test_the_walk_page_shows_the_newest_walks_and_leads_to_the_whole_list(
    owner_client: Client, three_walks: list[FloorWalk]
):
    page = owner_client.get("/audits/").content.decode()

    assert three_walks[2].number in page
    assert 'href="/audits/walks/"' in page


# --- corrective actions --------------------------------------------------------------------


def test_the_action_list_shows_open_actions_unless_asked_otherwise(
    world: World, owner: User, owner_client: Client, three_walks: list[FloorWalk]
):
    (raised,) = CorrectiveAction.objects.all()
    done = CorrectiveAction.objects.create(
        number=next_number("CA"), store=world.store_a, title="Mop the dock",
        due_on=timezone.localdate(), status=ActionStatus.VERIFIED,
    )  # fmt: skip

    assert _shown(owner_client.get("/audits/actions/")) == [raised.number]
    assert _shown(owner_client.get("/audits/actions/?status=verified")) == [done.number]
    assert len(_shown(owner_client.get("/audits/actions/?status=all"))) == 2


def test_a_late_action_says_so_and_sorts_by_its_due_day(
    world: World, owner: User, owner_client: Client
):
    today = timezone.localdate()
    late = CorrectiveAction.objects.create(
        number=next_number("CA"), store=world.store_a, title="Replace the cracked mirror",
        due_on=today - dt.timedelta(3), owner=owner, critical=True,
    )  # fmt: skip
    later = CorrectiveAction.objects.create(
        number=next_number("CA"),
        store=world.store_a,
        title="Relabel the bins",
        due_on=today + dt.timedelta(3),
    )

    latest_first = owner_client.get("/audits/actions/?sort=-due_on")

    assert _shown(latest_first) == [later.number, late.number]
    assert "Overdue" in latest_first.content.decode()
    assert _shown(owner_client.get("/audits/actions/?overdue=on")) == [late.number]
    rows = _csv(owner_client.get("/audits/actions/?mine=on&export=csv"))
    assert rows[0] == [
        "Action", "What to fix", "Store", "Due", "Critical", "Status", "Owner", "From",
    ]  # fmt: skip
    assert rows[1][3:7] == [late.due_on.isoformat(), "Yes", "Open", str(owner)]


def test_an_export_holds_only_the_users_stores(
    world: World, outsider: User, three_walks: list[FloorWalk]
):
    completed_walk(outsider, world.store_b, **{"detacher-secured": "no"})

    walk_rows = _csv(client_for(outsider).get("/audits/walks/?export=csv"))
    action_rows = _csv(client_for(outsider).get("/audits/actions/?export=csv"))

    assert [row[2][:4] for row in walk_rows[1:]] == ["SB1 "]
    assert [row[2][:4] for row in action_rows[1:]] == ["SB1 "]
