"""Each role opens its own dashboard: the officer's shift, the store manager's store against
the chain, the LP manager's queue and trends, the director's stores side by side, the
executive's month on one page; and nobody sees what their role may not (a store manager
sees no ranking of their own staff)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import World, client_for, make_incident, make_person, make_store, make_user
from vigil.audits.models import Schedule
from vigil.core.models import EmployeeRole, Person, Role, Store, User
from vigil.pos.models import DataSet, EmployeeRisk, PosException, Scan
from vigil.reports import dashboards
from vigil.reports.summary import Month
from vigil.video.models import Alert, AlertSource, Priority

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)

HEADINGS = {
    "shift": "Your shift",
    "queue": "Your queue",
    "trends": "Trends",
    "store": "against the chain",
    "stores": "Stores side by side",
    "one_page": "Loss prevention, ",
    "people": "Employees to look at",
}


@dataclass
class Floor:
    """Store A with what a shift works through, and a POS ranking naming a cashier."""

    incident: Any
    alert: Alert
    cashier: Person


def add_alert(store: Store, rule: str = "loitering", priority: int = Priority.NORMAL) -> Alert:
    return Alert.objects.create(
        uid=f"dash-{next(_numbers)}",
        store=store,
        source=AlertSource.VIGIL,
        rule=rule,
        started_at=timezone.now(),
        priority=priority,
    )


def rank_employee(store: Store, person: Person, rank: int = 1) -> EmployeeRisk:
    data_set = DataSet.objects.create(name="Week", folder="none", source="folder")
    data_set.stores.set([store])
    scan = Scan.objects.create(data_set=data_set, status="done")
    return EmployeeRisk.objects.create(
        scan=scan, employee_id=person.employee_id, person=person, store=store,
        role=EmployeeRole.CASHIER, rank=rank, risk_score=91.0, peer_group="cashiers",
        reasons=["no-sale drawer openings: 12 in 300 transactions"],
    )  # fmt: skip


@pytest.fixture
def floor(world: World, admin_user: User) -> Floor:
    incident = make_incident(world.store_a, admin_user, summary="Razor packs taken from aisle 7")
    alert = add_alert(world.store_a, "line_crossing", Priority.HIGH)
    Schedule.objects.create(store=world.store_a, checklist_key="eas", frequency="daily")
    make_incident(world.store_b, admin_user, summary="Store B only")
    add_alert(world.store_b, "intrusion")
    cashier = make_person(world.store_a, EmployeeRole.CASHIER, name="Dana Whitfield")
    rank_employee(world.store_a, cashier)
    return Floor(incident, alert, cashier)


def _page(user: User) -> str:
    response = client_for(user).get("/")
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize("role", sorted(dashboards.SECTIONS))
def test_each_role_gets_its_sections_and_no_others(role: str, world: World, floor: Floor) -> None:
    user = make_user(role, stores=(world.store_a,), regions=())
    body = _page(user)
    for section, heading in HEADINGS.items():
        assert (heading in body) is (section in dashboards.SECTIONS[role]), (role, section)


def test_the_officers_shift_lists_alerts_walks_due_and_open_incidents(
    world: World, floor: Floor
) -> None:
    officer = make_user(Role.LP_OFFICER, stores=(world.store_a,))
    body = _page(officer)
    assert "Line crossing" in body and "High priority" in body
    assert floor.incident.number in body and "Razor packs taken from aisle 7" in body
    assert "EAS" in body and 'action="/audits/start/"' in body  # the walk starts from here
    assert "Store B only" not in body and "Intrusion" not in body
    assert f"{world.store_a.code} {world.store_a.name} · as of" in body


def test_a_store_manager_sees_their_store_against_the_chain_but_no_staff_ranking(
    world: World, floor: Floor
) -> None:
    manager = make_user(Role.STORE_MANAGER, stores=(world.store_a,))
    body = _page(manager)
    assert "Floor-walk score, 90 days" in body and "Training complete" in body
    assert floor.cashier.name not in body and "POS risk" not in body
    assert dashboards.people(manager, None) == []


def test_the_lp_managers_queue_counts_with_thousands_separators_and_names_employees(
    world: World, floor: Floor
) -> None:
    manager = make_user(Role.LP_MANAGER, stores=(world.store_a,))
    scan = Scan.objects.get()
    PosException.objects.bulk_create(
        PosException(
            data_set=scan.data_set,
            first_scan=scan,
            last_scan=scan,
            rule="no_sale_drawer",
            rule_title="No-sale drawer opening",
            transaction_id=f"T{n}",
            store=world.store_a,
            employee_id=floor.cashier.employee_id,
            register_id="R01",
            business_date=timezone.localdate(),
            at_text="",
            severity=0.3,
            detail="",
        )
        for n in range(1_200)
    )
    body = _page(manager)
    assert '<span class="kpi-label">POS exceptions to review</span>' in body
    assert '<span class="kpi-value">1,200</span>' in body
    assert f">{floor.cashier.name}</a>" in body and "Cashier" in body
    assert "Incidents per week" in body and "POS exceptions by business week" in body


def test_the_director_sees_their_regions_stores_side_by_side(world: World, floor: Floor) -> None:
    quiet = make_store(world.region_a, "SA9")
    director = make_user(Role.REGIONAL_DIRECTOR, regions=(world.region_a,))
    board = dashboards.for_user(director, None)
    assert board.stores is not None
    rows = {row.store.code: row for row in board.stores.rows}
    assert set(rows) == {world.store_a.code, quiet.code}
    assert rows[world.store_a.code].alerts == 1 and rows[quiet.code].score is None
    body = _page(director)
    assert f"{quiet.code} {quiet.name}" in body and "no data" in body
    assert world.store_b.code not in body
    assert "Store risk score" in body and "Typical store 33" in body


def test_the_executive_gets_last_month_on_one_page(world: World, floor: Floor) -> None:
    executive = make_user(Role.EXECUTIVE, everything=True)
    month = Month.parse(None)
    body = _page(executive)
    assert f"Loss prevention, {month.label}" in body
    assert f'href="/reports/executive.pdf?month={month.key}"' in body
    for label in ("Recovered", "Floor walks passed", f"Training complete, as at {month.last}"):
        assert f'<span class="kpi-label">{label}</span>' in body
    assert "Your queue" not in body and floor.cashier.name not in body


def test_an_auditor_sees_the_stores_and_the_recent_activity(world: World, floor: Floor) -> None:
    auditor = make_user(Role.AUDITOR, everything=True)
    body = _page(auditor)
    assert "Stores side by side" in body and "Recent activity" in body
    assert "Employees to look at" not in body and "POS risk" not in body
