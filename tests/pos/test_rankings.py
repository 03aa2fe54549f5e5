"""The rankings: numbered without gaps among what one sees, and shown only to the roles that
see individual rankings (by default not a store manager; an administrator may change it)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import client_for, make_user
from tests.pos.test_imports import generated  # noqa: F401 - the module's generated data set
from vigil.core.models import AuditEvent, Role, Store, User
from vigil.core.navigation import menu_for
from vigil.core.roles import Capability, can
from vigil.pos import imports
from vigil.pos.models import EmployeeRisk, PosException, RankingAccess


@pytest.fixture
def scanned(chain: dict[str, Store], investigator: User, generated: Path) -> dict[str, Store]:  # noqa: F811
    data_set = imports.import_data_set(investigator, generated, "March", "generated")
    imports.scan_data_set(data_set, investigator)
    return chain


def _csv(response: Any) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def _places_shown(user: User, query: str = "") -> list[int]:
    rows = _csv(client_for(user).get(f"/pos/employees/?export=csv{query}"))
    return [int(row["#"]) for row in rows]


# --- places without gaps ---------------------------------------------------------------------


def test_the_scans_ranks_of_one_stores_employees_have_gaps(scanned: dict[str, Store]) -> None:
    ranks = list(
        EmployeeRisk.objects.filter(store=scanned["S102"]).order_by("rank").values_list("rank")
    )
    assert [rank for (rank,) in ranks] != list(range(1, len(ranks) + 1))  # what the fix is for


def test_a_user_of_one_store_sees_its_employees_numbered_1_2_3_without_gaps(
    scanned: dict[str, Store],
) -> None:
    one_store = make_user(Role.LP_MANAGER, stores=(scanned["S102"],))
    places = _places_shown(one_store, "&sort=rank")
    held = EmployeeRisk.objects.filter(store=scanned["S102"]).count()
    assert places == list(range(1, held + 1))


def test_places_keep_the_scans_order(scanned: dict[str, Store]) -> None:
    one_store = make_user(Role.LP_MANAGER, stores=(scanned["S102"],))
    rows = _csv(client_for(one_store).get("/pos/employees/?export=csv&sort=rank"))
    in_scan_order = EmployeeRisk.objects.filter(store=scanned["S102"]).order_by("rank")
    assert [row["Employee"].split()[0] for row in rows] == [r.employee_id for r in in_scan_order]


def test_the_store_chosen_in_the_switcher_is_numbered_from_1(
    scanned: dict[str, Store], investigator: User
) -> None:
    client = client_for(investigator)
    client.post("/store-switch/", {"store": "S102"})
    body = client.get("/pos/employees/").content.decode()
    stores_table = body.split("<h2>Stores</h2>", 1)[1]
    assert re.search(r'<td class="num" data-label="#">1</td>', stores_table)
    assert not re.search(r'<td class="num" data-label="#">2</td>', stores_table)


def test_searching_for_an_employee_keeps_their_place_among_those_one_sees(
    scanned: dict[str, Store],
) -> None:
    one_store = make_user(Role.LP_MANAGER, stores=(scanned["S102"],))
    third = EmployeeRisk.objects.filter(store=scanned["S102"]).order_by("rank")[2]
    assert _places_shown(one_store, f"&employee={third.employee_id.lower()}") == [3]


def test_an_employee_page_gives_their_place_among_the_employees_one_sees(
    scanned: dict[str, Store],
) -> None:
    one_store = make_user(Role.LP_MANAGER, stores=(scanned["S102"],))
    seen = EmployeeRisk.objects.filter(store=scanned["S102"]).order_by("rank")
    second = seen[1]
    body = client_for(one_store).get(f"/pos/employees/{second.employee_id}/").content.decode()
    assert f"#2 of {seen.count()}" in body


def test_the_api_gives_each_employee_a_place_without_gaps_beside_the_scans_rank(
    scanned: dict[str, Store],
) -> None:
    one_store = make_user(Role.LP_MANAGER, stores=(scanned["S102"],))
    items = client_for(one_store).get("/api/v1/pos/employees?page_size=100").json()["items"]
    assert [item["place"] for item in items] == list(range(1, len(items) + 1))
    assert [item["rank"] for item in items] == sorted(item["rank"] for item in items)


# --- who sees individual rankings ------------------------------------------------------------


def test_a_store_manager_does_not_see_the_ranking_of_their_staff_by_default(
    scanned: dict[str, Store],
) -> None:
    manager = make_user(Role.STORE_MANAGER, stores=(scanned["S101"],))
    someone = EmployeeRisk.objects.filter(store=scanned["S101"]).first()
    assert someone is not None
    client = client_for(manager)
    assert client.get("/pos/employees/").status_code == 403
    assert client.get(f"/pos/employees/{someone.employee_id}/").status_code == 403
    assert client.get("/api/v1/pos/employees").status_code == 403
    assert not can(manager, Capability.VIEW_EMPLOYEE_RANKINGS)


def test_a_store_manager_still_sees_their_stores_leads_with_no_link_to_a_ranking(
    scanned: dict[str, Store],
) -> None:
    manager = make_user(Role.STORE_MANAGER, stores=(scanned["S101"],))
    lead = PosException.objects.filter(store=scanned["S101"]).exclude(employee_id="").first()
    assert lead is not None
    client = client_for(manager)
    report = client.get("/pos/")
    page = client.get(f"/pos/exceptions/{lead.pk}/")
    assert report.status_code == page.status_code == 200
    assert lead.transaction_id in page.content.decode()
    for body in (report.content.decode(), page.content.decode()):
        assert "/pos/employees/" not in body  # no link that would answer 403


def test_an_investigator_sees_the_ranking_and_the_links_to_it(
    scanned: dict[str, Store], investigator: User
) -> None:
    client = client_for(investigator)
    assert client.get("/pos/employees/").status_code == 200
    assert 'href="/pos/employees/"' in client.get("/pos/").content.decode()


def test_an_administrator_can_let_store_managers_see_rankings(
    scanned: dict[str, Store],
) -> None:
    admin = make_user(Role.ADMIN, everything=True)
    manager = make_user(Role.STORE_MANAGER, stores=(scanned["S101"],))
    defaults = RankingAccess().roles
    response = client_for(admin).post(
        "/pos/ranking-access/", {"roles": [*defaults, Role.STORE_MANAGER]}
    )
    assert response.status_code == 302
    client = client_for(manager)
    assert client.get("/pos/employees/").status_code == 200
    assert 'href="/pos/employees/"' in client.get("/pos/").content.decode()
    assert "view_employee_rankings" in client.get("/api/v1/me").json()["capabilities"]
    assert AuditEvent.objects.filter(object_type="pos.rankingaccess").exists()


def test_an_administrator_can_take_rankings_away_from_a_role(
    scanned: dict[str, Store], investigator: User
) -> None:
    admin = make_user(Role.ADMIN, everything=True)
    kept = [role for role in RankingAccess().roles if role != Role.LP_MANAGER]
    client_for(admin).post("/pos/ranking-access/", {"roles": kept})
    assert client_for(investigator).get("/pos/employees/").status_code == 403
    assert "/pos/employees/" not in client_for(investigator).get("/pos/").content.decode()


def test_only_an_administrator_may_change_who_sees_rankings(
    scanned: dict[str, Store], investigator: User
) -> None:
    client = client_for(investigator)
    assert client.get("/pos/ranking-access/").status_code == 403
    client.post("/pos/ranking-access/", {"roles": [Role.STORE_MANAGER]})
    assert not RankingAccess.objects.exists()


def test_an_unknown_role_is_refused_with_a_field_error_and_nothing_stored(
    scanned: dict[str, Store],
) -> None:
    admin = make_user(Role.ADMIN, everything=True)
    response = client_for(admin).post("/pos/ranking-access/", {"roles": ["janitor"]})
    assert response.status_code == 200
    assert "janitor is not one of the available choices" in response.content.decode()
    assert not RankingAccess.objects.exists()


def test_external_users_are_never_offered_rankings(scanned: dict[str, Store]) -> None:
    admin = make_user(Role.ADMIN, everything=True)
    body = client_for(admin).get("/pos/ranking-access/").content.decode()
    form = body.split('<form method="post">', 1)[1].split("</form>", 1)[0]
    assert "Store manager" in form and "External" not in form


def test_the_setting_is_offered_in_the_administrators_menu_only(
    scanned: dict[str, Store], investigator: User
) -> None:
    admin = make_user(Role.ADMIN, everything=True)
    assert "Who sees rankings" in {item.label for item in menu_for(admin, "/")}
    assert "Who sees rankings" not in {item.label for item in menu_for(investigator, "/")}
    assert client_for(admin).get("/pos/ranking-access/").status_code == 200
