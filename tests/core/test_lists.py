"""The one list mechanism: every list sorts, pages with a bounded count, exports what it shows
and keeps named views. Specified on the incident list; every list is declared the same way."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import World, client_for, make_incident, make_user
from vigil.core import lists
from vigil.core.models import AuditAction, AuditEvent, Role, SavedView, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_incidents(world: World, owner: User) -> list[Any]:
    now = timezone.now()
    return [
        make_incident(world.store_a, owner, summary="Razors", occurred_at=now - timedelta(days=3)),
        make_incident(world.store_a, owner, summary="Baby formula", occurred_at=now),
        make_incident(
            world.store_a, owner, summary="=HYPERLINK(1)", occurred_at=now - timedelta(1)
        ),
    ]


def _numbers(response: Any) -> list[str]:
    return [row.record.number for row in response.context["table"].page.object_list]


def test_a_column_header_sorts_the_list_both_ways(owner_client: Client, three_incidents: Any):
    by_summary = _numbers(owner_client.get("/incidents/?sort=summary"))
    backwards = _numbers(owner_client.get("/incidents/?sort=-summary"))

    assert by_summary == [three_incidents[i].number for i in (2, 1, 0)]
    assert backwards == list(reversed(by_summary))


def test_the_header_says_how_the_list_is_sorted(owner_client: Client, three_incidents: Any):
    page = owner_client.get("/incidents/?sort=-occurred_at").content.decode()

    assert 'aria-sort="descending"' in page
    assert "sort=occurred_at" in page  # the header's link turns the order round


def test_a_sort_by_an_unknown_column_is_ignored(owner_client: Client, three_incidents: Any):
    response = owner_client.get("/incidents/?sort=password")

    assert response.status_code == 200
    assert len(_numbers(response)) == 3


def test_equal_values_page_in_a_stable_order(world: World, owner: User, monkeypatch: Any):
    moment = timezone.now()
    made = [make_incident(world.store_a, owner, occurred_at=moment) for _ in range(5)]
    monkeypatch.setattr(lists, "PER_PAGE", 2)
    client = client_for(owner)

    seen = [
        number
        for page in (1, 2, 3)
        for number in _numbers(client.get(f"/incidents/?sort=occurred_at&page={page}"))
    ]

    assert sorted(seen) == sorted(incident.number for incident in made)


def test_the_count_stops_at_its_bound(
    world: World, owner: User, owner_client: Client, monkeypatch: Any
):
    for _ in range(4):
        make_incident(world.store_a, owner)
    monkeypatch.setattr(lists, "COUNT_BOUND", 2)
    monkeypatch.setattr(lists, "PER_PAGE", 1)

    page = owner_client.get("/incidents/").content.decode()

    assert "2+ in all" in page
    assert "Page 1 of 2+" in page


def test_a_page_past_the_last_is_the_last_and_a_bad_one_the_first(
    owner_client: Client, three_incidents: Any
):
    assert owner_client.get("/incidents/?page=999999999").status_code == 200
    assert owner_client.get("/incidents/?page=abc").status_code == 200


def test_an_invalid_filter_is_named_beside_its_field_and_the_rest_still_applies(
    owner_client: Client, three_incidents: Any
):
    response = owner_client.get("/incidents/?since=yesterday&q=Razors")

    assert "Enter a valid date." in response.content.decode()
    assert _numbers(response) == [three_incidents[0].number]


# --- exports -------------------------------------------------------------------------------


def test_the_csv_export_is_the_whole_filtered_list_in_words(
    owner_client: Client, three_incidents: Any, monkeypatch: Any
):
    monkeypatch.setattr(lists, "PER_PAGE", 1)

    response = owner_client.get("/incidents/?kind=shoplifting&sort=summary&export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert response["Content-Disposition"] == 'attachment; filename="incidents.csv"'
    assert rows[0] == ["Number", "When", "Store", "Type", "Summary", "Net loss", "Status"]
    assert len(rows) == 4  # every row, not one page
    assert rows[1][3] == "Shoplifting"  # the label, not the code
    assert rows[1][2].startswith("SA1 ")  # the store's code and name
    assert rows[1][1].endswith(("UTC", "CST", "CDT", "EST", "EDT"))  # the zone named


def test_a_cell_that_reads_as_a_formula_is_exported_as_text(
    owner_client: Client, three_incidents: Any
):
    response = owner_client.get("/incidents/?sort=summary&export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert rows[1][4] == "'=HYPERLINK(1)"


def test_the_xlsx_export_opens_as_a_workbook(owner_client: Client, three_incidents: Any):
    response = owner_client.get("/incidents/?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active

    assert [cell.value for cell in sheet[1]][:2] == ["Number", "When"]
    assert sheet.max_row == 4


def test_an_export_holds_only_the_users_stores(
    world: World, owner: User, outsider: User, three_incidents: Any
):
    make_incident(world.store_b, outsider, summary="Elsewhere")

    response = client_for(outsider).get("/incidents/?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert [row[4] for row in rows[1:]] == ["Elsewhere"]


def test_every_export_is_written_to_the_audit_log_with_its_filters(
    owner_client: Client, three_incidents: Any
):
    response = owner_client.get("/incidents/?status=open&export=csv")
    b"".join(response.streaming_content)

    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("seq")
    assert event.object_repr == "incidents list CSV"
    assert event.changes == {"filters": {"status": "open"}}


# --- saved views -----------------------------------------------------------------------------


def test_a_saved_view_keeps_the_filters_and_sort_and_opens_the_list_with_them(
    owner: User, owner_client: Client, three_incidents: Any
):
    response = owner_client.post(
        "/saved-views/",
        {
            "list_key": "incidents",
            "name": "Open, newest",
            "query": "status=open&sort=-occurred_at&page=3",
        },
    )

    view = SavedView.objects.get(user=owner)
    assert view.query == "status=open&sort=-occurred_at"  # never the page
    assert response.status_code == 302
    assert response["Location"] == "/incidents/?status=open&sort=-occurred_at"
    assert "Open, newest" in owner_client.get("/incidents/").content.decode()


def test_saving_a_view_under_a_name_already_used_replaces_it(owner: User, owner_client: Client):
    for query in ("status=open", "status=closed"):
        owner_client.post("/saved-views/", {"list_key": "cases", "name": "Mine", "query": query})

    assert list(SavedView.objects.filter(user=owner).values_list("query", flat=True)) == [
        "status=closed"
    ]


def test_a_view_of_a_list_that_does_not_exist_is_refused(owner: User, owner_client: Client):
    owner_client.post("/saved-views/", {"list_key": "../../etc", "name": "x", "query": ""})

    assert not SavedView.objects.exists()


def test_a_read_only_role_may_keep_views(world: World):
    auditor = make_user(Role.AUDITOR, stores=(world.store_a,))

    client_for(auditor).post("/saved-views/", {"list_key": "incidents", "name": "All"})

    assert SavedView.objects.filter(user=auditor).exists()


def test_views_are_ones_own(owner: User, outsider: User, owner_client: Client):
    owner_client.post("/saved-views/", {"list_key": "incidents", "name": "Mine", "query": ""})
    view = SavedView.objects.get()

    assert "Mine" not in client_for(outsider).get("/incidents/").content.decode()
    assert client_for(outsider).post(f"/saved-views/{view.pk}/deletion/").status_code == 404
    assert owner_client.post(f"/saved-views/{view.pk}/deletion/").status_code == 302
    assert not SavedView.objects.exists()


# --- the organisation's lists ------------------------------------------------------------


def test_the_user_list_filters_by_role_and_status(world: World, admin_user: User):
    make_user(Role.AUDITOR, stores=(world.store_a,), username="reader")
    gone = make_user(Role.AUDITOR, stores=(world.store_a,), username="gone")
    gone.is_active = False
    gone.save()
    client = client_for(admin_user)

    shown = client.get("/users/?role=auditor&active=yes").context["table"].page.object_list

    assert [row.record.username for row in shown] == ["reader"]


def test_the_audit_log_list_is_on_the_utc_clock_and_exports_in_words(
    admin_user: User, three_incidents: Any
):
    response = client_for(admin_user).get("/audit-log/?action=create&export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert rows[0][:4] == ["#", "When", "Who", "Action"]
    assert {row[3] for row in rows[1:]} == {"Created"}
    assert all(row[1].endswith(" UTC") for row in rows[1:])


def test_a_status_is_a_badge_named_in_words_and_classed_by_its_code(
    owner_client: Client, three_incidents: Any
):
    page = owner_client.get("/incidents/").content.decode()

    assert '<span class="badge status-open">Open</span>' in page


def test_a_list_page_never_counts_a_whole_table(owner_client: Client, three_incidents: Any):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        owner_client.get("/incidents/?sort=-occurred_at")
    counts = [
        q["sql"] for q in captured if "COUNT(" in q["sql"].upper() and "cases_incident" in q["sql"]
    ]

    assert counts, "the page counts its rows"
    assert all("LIMIT" in sql.upper() for sql in counts), counts
    assert not any("ORDER BY" in sql.upper() for sql in counts), counts


def test_the_rows_built_in_python_hold_the_cells_django_tables2_renders(
    owner_client: Client, three_incidents: Any
):
    table = owner_client.get("/incidents/").context["table"]

    # A row's odd/even class counts every row the table ever made, so only the cells compare.
    built = [str(row).split(">", 1)[1] for row in table.body()]
    rendered = [
        "".join(
            f'<td {column.attrs["td"].as_html()} data-label="{column.header}">{cell}</td>'
            for column, cell in row.items()
        )
        + "</tr>"
        for row in table.paginated_rows
    ]

    assert built == rendered
    assert all(incident.number in "".join(built) for incident in three_incidents)
