"""The lead report and the ranking as lists of the one list mechanism: their columns sort,
their exports keep the columns an analyst's spreadsheet reads and add the words after them,
the old export address still answers, and nothing crosses a store."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from importlib import import_module
from typing import Any

import pytest
from django.test import Client

from tests.conftest import World, client_for, make_person, make_user
from vigil.core.models import AuditEvent, EmployeeRole, Role, Store, User
from vigil.pos.models import DataSet, EmployeeRisk, PosException, Scan, ScanStatus

pytestmark = pytest.mark.django_db

LEGACY = [
    "store", "business_date", "at", "rule", "rule_title", "transaction_id", "register_id",
    "employee_id", "amount", "severity", "detail", "review", "review_note",
]  # fmt: skip


def _lead(store: Store, scan: Scan, number: int, **fields: Any) -> PosException:
    values: dict[str, Any] = {
        "rule": "no_sale_drawer",
        "rule_title": "No-sale drawer opening",
        "employee_id": "E1001",
        "register_id": "R01",
        "business_date": date(2026, 3, 2),
        "at_text": "2026-03-02T10:15:00-06:00",
        "amount": Decimal("10.00"),
        "severity": 0.5,
        "detail": "Drawer opened with no sale",
        **fields,
    }
    return PosException.objects.create(
        data_set=scan.data_set,
        first_scan=scan,
        last_scan=scan,
        store=store,
        transaction_id=f"T{number:05d}",
        **values,
    )


@pytest.fixture
def leads(world: World) -> dict[str, Any]:
    """Three leads at store A (one by a named employee, one two days later, one quoting a
    time), one at store B."""
    data_set = DataSet.objects.create(name="March", folder="none", source="folder")
    data_set.stores.set([world.store_a, world.store_b])
    scan = Scan.objects.create(data_set=data_set, status=ScanStatus.DONE)
    cashier = make_person(world.store_a, EmployeeRole.CASHIER)
    return {
        "scan": scan,
        "cashier": cashier,
        "cheap": _lead(
            world.store_a,
            scan,
            1,
            amount=Decimal("5.00"),
            severity=0.9,
            business_date=date(2026, 3, 4),
            at_text="2026-03-04T18:05:00-06:00",
        ),
        "dear": _lead(
            world.store_a,
            scan,
            2,
            amount=Decimal("1250.00"),
            severity=0.2,
            employee_id=cashier.employee_id,
            person=cashier,
        ),
        "middling": _lead(
            world.store_a,
            scan,
            3,
            amount=Decimal("80.00"),
            severity=0.6,
            detail="sale at 22:16, outside store hours",
        ),
        "elsewhere": _lead(world.store_b, scan, 4, amount=Decimal("60.00"), severity=0.7),
    }


@pytest.fixture
def analyst(world: World) -> User:
    return make_user(Role.LP_MANAGER, stores=(world.store_a,), username="analyst")


def _shown(response: Any) -> list[str]:
    return [row.record.transaction_id for row in response.context["table"].page.object_list]


def _csv(response: Any) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_the_report_is_most_severe_first_and_sorts_by_a_column_both_ways(
    analyst: User, leads: dict[str, Any]
) -> None:
    client = client_for(analyst)

    assert _shown(client.get("/pos/")) == ["T00001", "T00003", "T00002"]
    assert _shown(client.get("/pos/?sort=-value")) == ["T00002", "T00003", "T00001"]
    assert _shown(client.get("/pos/?sort=value")) == ["T00001", "T00003", "T00002"]
    assert _shown(client.get("/pos/?sort=score")) == ["T00002", "T00003", "T00001"]


def test_an_old_bookmarked_sort_still_orders_the_report(
    analyst: User, leads: dict[str, Any]
) -> None:
    client = client_for(analyst)

    # The report's own sorts: "severity" (every old form sent it) is most severe first,
    # "amount" the largest first, "date" the newest first. They still are.
    assert _shown(client.get("/pos/?sort=severity")) == ["T00001", "T00003", "T00002"]
    assert _shown(client.get("/pos/?sort=amount")) == ["T00002", "T00003", "T00001"]
    assert _shown(client.get("/pos/?sort=date"))[0] == "T00001"


def test_a_row_names_the_employee_and_shows_the_time_with_its_zone(
    analyst: User, leads: dict[str, Any]
) -> None:
    page = client_for(analyst).get("/pos/").content.decode()

    assert leads["cashier"].name in page
    assert "2026-03-02 10:15 CST" in page
    assert "sale at 22:16 CST, outside store hours" in page  # the rule quotes the store's clock
    assert 'name="lead"' in page  # an analyst ticks leads for bulk review


def test_a_role_that_does_not_review_gets_no_tick_boxes(
    world: World, leads: dict[str, Any]
) -> None:
    manager = make_user(Role.STORE_MANAGER, stores=(world.store_a,))
    response = client_for(manager).get("/pos/")

    assert "T00001" in _shown(response) and 'name="lead"' not in response.content.decode()


def test_an_invalid_filter_is_named_beside_its_field_and_the_rest_still_applies(
    analyst: User, leads: dict[str, Any]
) -> None:
    response = client_for(analyst).get("/pos/?min_severity=7&employee=E1001")

    assert "min_severity" in response.context["form"].errors
    assert sorted(_shown(response)) == ["T00001", "T00003"]


def test_the_export_keeps_the_old_columns_then_adds_the_words(
    analyst: User, leads: dict[str, Any]
) -> None:
    response = client_for(analyst).get("/pos/?export=csv&sort=-value")
    rows = _csv(response)

    assert list(rows[0])[: len(LEGACY)] == LEGACY
    assert [row["transaction_id"] for row in rows] == ["T00002", "T00003", "T00001"]
    dear = rows[0]
    assert (dear["store"], dear["amount"], dear["severity"], dear["review"]) == (
        "SA1",
        "1250.00",
        "0.200",
        "new",
    )
    assert dear["review_status"] == "New" and dear["employee_name"] == leads["cashier"].name
    assert dear["store_name"] == leads["dear"].store.name and dear["raised"] == "yes"
    assert rows[1]["detail"] == "sale at 22:16, outside store hours"  # as the rule wrote it


def test_the_old_export_address_answers_as_the_report_does_inside_the_users_stores(
    analyst: User, leads: dict[str, Any]
) -> None:
    client = client_for(analyst)

    old = _csv(client.get("/pos/export.csv?employee=E1001"))
    new = _csv(client.get("/pos/?employee=E1001&export=csv"))

    assert old == new and sorted(row["transaction_id"] for row in old) == ["T00001", "T00003"]
    assert "T00004" not in {row["transaction_id"] for row in _csv(client.get("/pos/export.csv"))}
    assert client.get("/pos/export.pdf").status_code == 404
    logged = AuditEvent.objects.filter(action="export", object_type="pos.posexception")
    assert logged.count() == 3
    assert logged.filter(changes__filters={"employee": "E1001"}).count() == 2


def test_the_xlsx_export_has_the_same_columns(analyst: User, leads: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    response = client_for(analyst).get("/pos/export.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active

    assert [cell.value for cell in sheet[1]][: len(LEGACY)] == LEGACY
    assert sheet.max_row == 4


def test_old_saved_views_move_to_the_one_saved_view_list_with_their_sorts_translated() -> None:
    moved = import_module("vigil.pos.migrations.0005_saved_views_move_to_core")

    assert moved._translated("rule=x&sort=date", moved.SORTS) == "rule=x&sort=-when"
    assert moved._translated("status=new&sort=severity", moved.SORTS) == "status=new"
    assert moved._translated("sort=-when&rule=x", moved.UNSORTS) == "sort=date&rule=x"


# --- the ranking -------------------------------------------------------------------------


@pytest.fixture
def ranking(world: World, leads: dict[str, Any]) -> Scan:
    scan: Scan = leads["scan"]
    for rank, (store, employee, score) in enumerate(
        [(world.store_a, "E1", 90.0), (world.store_a, "E2", 70.0), (world.store_b, "E3", 80.0)],
        start=1,
    ):
        EmployeeRisk.objects.create(
            scan=scan, employee_id=employee, store=store, role="cashier", rank=rank,
            risk_score=score, reasons=[f"{employee} voids twice as often as peers"],
            peer_group="cashiers", transactions=1200 * rank,
        )  # fmt: skip
    return scan


def test_the_ranking_sorts_and_exports_inside_the_users_stores(
    analyst: User, ranking: Scan
) -> None:
    client: Client = client_for(analyst)

    shown = client.get("/pos/employees/?sort=-transactions")
    assert [row.record.employee_id for row in shown.context["table"].page.object_list] == [
        "E2",
        "E1",
    ]
    assert "2,400" in shown.content.decode()
    rows = _csv(client.get("/pos/employees/?export=csv"))
    assert [row["Employee"] for row in rows] == ["E1", "E2"]
    assert rows[0]["Why"] == "E1 voids twice as often as peers"
