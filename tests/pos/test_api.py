"""The POS API: exceptions filtered like the report, rankings, review and escalation."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import client_for, make_user
from tests.pos.test_imports import generated  # noqa: F401 - the module's generated data set
from tests.pos.test_pages import scanned  # noqa: F401 - an imported, scanned data set
from vigil.core.models import Role, Store, User
from vigil.pos.models import PosException


def test_exceptions_are_listed_with_the_reports_filters(
    scanned: tuple[User, Any],  # noqa: F811
) -> None:
    investigator, scan = scanned
    body = client_for(investigator).get("/api/v1/pos/exceptions?rule=no_sale_drawer").json()
    assert body["count"] == PosException.objects.filter(rule="no_sale_drawer").count() > 0
    first = body["items"][0]
    assert first["scan_id"] == scan.pk and first["at"][-6] in "+-"


def test_rankings_come_in_rank_order(scanned: tuple[User, Any]) -> None:  # noqa: F811
    investigator, _ = scanned
    items = client_for(investigator).get("/api/v1/pos/employees").json()["items"]
    assert [row["rank"] for row in items] == sorted(row["rank"] for row in items)
    assert items[0]["reasons"]


def test_review_and_escalation_through_the_api(scanned: tuple[User, Any]) -> None:  # noqa: F811
    investigator, _ = scanned
    client = client_for(investigator)
    first, second = PosException.objects.order_by("pk")[:2]
    reviewed = client.post(
        f"/api/v1/pos/exceptions/{first.pk}/review",
        data=json.dumps({"status": "coaching", "note": "Refresher on no-sales"}),
        content_type="application/json",
    )
    assert reviewed.json()["status"] == "coaching"
    escalated = client.post(
        f"/api/v1/pos/exceptions/{second.pk}/escalation",
        data=json.dumps({"note": "pattern"}),
        content_type="application/json",
    )
    assert escalated.json()["case"].startswith("CASE-")


def test_another_stores_exception_is_not_found(scanned: tuple[User, Any]) -> None:  # noqa: F811
    manager = make_user(Role.STORE_MANAGER, stores=(Store.objects.get(code="S101"),))
    elsewhere = PosException.objects.filter(store__code="S102").first()
    assert elsewhere is not None
    client = client_for(manager)
    assert client.get(f"/api/v1/pos/exceptions/{elsewhere.pk}").status_code == 404
    listed = client.get("/api/v1/pos/exceptions").json()["items"]
    assert {row["store"] for row in listed} == {"S101"}
