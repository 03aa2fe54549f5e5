"""The POS pages: the report, the rankings, an exception's journal, review and escalation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.conftest import World, client_for, make_store, make_user
from tests.pos.test_imports import generated  # noqa: F401 - the module's generated data set
from vigil.cases.models import Case
from vigil.core.models import Role, User
from vigil.evidence.models import EvidenceItem
from vigil.pos import imports
from vigil.pos.models import EmployeeRisk, PosException, ReviewStatus


@pytest.fixture
def scanned(world: World, generated: Path) -> tuple[User, Any]:  # noqa: F811
    make_store(world.region_a, "S101")
    make_store(world.region_b, "S102")
    investigator = make_user(Role.LP_MANAGER, everything=True, username="investigator")
    data_set = imports.import_data_set(investigator, generated, "March", "generated")
    return investigator, imports.scan_data_set(data_set, investigator)


def test_every_pos_page_renders(scanned: tuple[User, Any]) -> None:
    investigator, scan = scanned
    client = client_for(investigator)
    top = EmployeeRisk.objects.order_by("rank").first()
    exception = PosException.objects.order_by("-severity").first()
    assert top is not None and exception is not None
    for url in (
        "/pos/",
        f"/pos/?scan={scan.pk}&rule=no_sale_drawer&sort=date&since=2026-03-02&min_severity=0.2",
        "/pos/employees/",
        f"/pos/employees/{top.employee_id}/",
        f"/pos/exceptions/{exception.pk}/",
        "/pos/data-sets/",
    ):
        assert client.get(url).status_code == 200, url


def test_the_journal_shows_lines_tenders_neighbours_and_the_video_window(
    scanned: tuple[User, Any],
) -> None:
    investigator, _ = scanned
    exception = PosException.objects.filter(rule="no_sale_drawer").first() or (
        PosException.objects.first()
    )
    assert exception is not None
    body = client_for(investigator).get(f"/pos/exceptions/{exception.pk}/").content.decode()
    assert exception.transaction_id in body
    assert "Video to pull" in body and "Same register, same day" in body
    assert f"No camera is mapped to register {exception.register_id}" in body


def test_the_camera_that_sees_the_register_is_linked_from_the_exception(
    scanned: tuple[User, Any],
) -> None:
    from vigil.video.models import Camera

    investigator, _ = scanned
    exception = PosException.objects.exclude(register_id="").first()
    assert exception is not None
    camera = Camera.objects.create(
        store=exception.store, name="lanes-1-4", registers=f"{exception.register_id}, X9"
    )
    body = client_for(investigator).get(f"/pos/exceptions/{exception.pk}/").content.decode()
    assert f"Cameras on register {exception.register_id}" in body
    assert f"/cameras/{camera.pk}/" in body and "camera=lanes-1-4" in body


def test_a_review_needs_a_note(scanned: tuple[User, Any]) -> None:
    investigator, _ = scanned
    exception = PosException.objects.first()
    assert exception is not None
    client = client_for(investigator)
    client.post(f"/pos/exceptions/{exception.pk}/review/", {"status": "explained"})
    exception.refresh_from_db()
    assert exception.status == ReviewStatus.NEW
    client.post(
        f"/pos/exceptions/{exception.pk}/review/",
        {"status": "explained", "note": "Customer changed their mind; video checked"},
    )
    exception.refresh_from_db()
    assert exception.status == ReviewStatus.EXPLAINED and exception.reviewed_by == investigator


def test_escalating_opens_a_case_with_the_journal_as_evidence(
    scanned: tuple[User, Any],
) -> None:
    investigator, _ = scanned
    exception = PosException.objects.order_by("-severity").first()
    assert exception is not None
    response = client_for(investigator).post(
        f"/pos/exceptions/{exception.pk}/escalation/", {"note": "Pattern over three weeks"}
    )
    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.number}/"
    exception.refresh_from_db()
    assert exception.status == ReviewStatus.ESCALATED and exception.case == case
    evidence = EvidenceItem.objects.get(case=case)
    assert evidence.source == "pos" and evidence.media_type == "text/csv"
    assert evidence.custody.get().action == "collected"


def test_a_store_manager_sees_only_their_stores_exceptions(
    scanned: tuple[User, Any], world: World
) -> None:
    from vigil.core.models import Store

    manager = make_user(Role.STORE_MANAGER, stores=(Store.objects.get(code="S101"),))
    client: Client = client_for(manager)
    body = client.get("/pos/").content.decode()
    assert "S102" not in body.split("<tbody>", 1)[1]
    elsewhere = PosException.objects.filter(store__code="S102").first()
    assert elsewhere is not None
    assert client.get(f"/pos/exceptions/{elsewhere.pk}/").status_code == 404
    assert client.post(f"/pos/exceptions/{elsewhere.pk}/escalation/").status_code == 404


def test_only_inbox_folders_can_be_imported(scanned: tuple[User, Any], settings: Any) -> None:
    investigator, _ = scanned
    response = client_for(investigator).post(
        "/pos/data-sets/import/", {"folder": "../../etc"}, follow=True
    )
    assert "Choose one of the folders in the inbox" in response.content.decode()


def test_the_report_exports_as_csv_and_xlsx_with_its_filters(
    scanned: tuple[User, Any],
) -> None:
    import io

    from openpyxl import load_workbook

    from vigil.core.models import AuditEvent

    investigator, scan = scanned
    client = client_for(investigator)
    wanted = PosException.objects.filter(rule="no_sale_drawer").count()
    response = client.get(f"/pos/export.csv?scan={scan.pk}&rule=no_sale_drawer")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("store,business_date,at,rule")
    assert len(lines) - 1 == wanted
    workbook = client.get(f"/pos/export.xlsx?scan={scan.pk}&rule=no_sale_drawer")
    sheet = load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active
    assert sheet.max_row - 1 == wanted
    assert AuditEvent.objects.filter(action="export", object_type="pos.posexception").count() == 2


def test_an_export_holds_only_the_readers_stores(scanned: tuple[User, Any]) -> None:
    from vigil.core.models import Store

    manager = make_user(Role.STORE_MANAGER, stores=(Store.objects.get(code="S101"),))
    response = client_for(manager).get("/pos/export.csv")
    rows = b"".join(response.streaming_content).decode().splitlines()[1:]
    assert rows and all(row.startswith("S101,") for row in rows)


def test_a_data_set_is_scanned_again_on_demand(scanned: tuple[User, Any]) -> None:
    from vigil.pos.models import Scan

    investigator, scan = scanned
    response = client_for(investigator).post(f"/pos/data-sets/{scan.data_set_id}/scans/")
    assert response.status_code == 302 and "/task-runs/" in response["Location"]
    assert Scan.objects.filter(data_set=scan.data_set, status="done").count() == 2
