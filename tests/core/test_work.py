"""My work: each person's waiting work from every app, one click from where it is done.

``owner`` is an LP manager of store A; ``teammate`` an LP officer of store A; ``outsider``
an LP manager of store B. Work made for store B, even work that names the owner, never
reaches the owner's page or badge.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import (
    World,
    client_for,
    make_case,
    make_incident,
    make_person,
    make_user,
    store_today,
)
from vigil.audits.models import ActionStatus, CorrectiveAction
from vigil.cases import casework, statements
from vigil.cases.models import Case, CaseTask, Statement
from vigil.core import clock, work
from vigil.core.models import EmployeeRole, Role, Store, User
from vigil.core.navigation import menu_for
from vigil.core.numbering import next_number
from vigil.core.storeswitch import SESSION_KEY
from vigil.pos.models import DataSet, PosException, ReviewStatus, Scan
from vigil.sharing import requests
from vigil.sharing.models import InformationRequest
from vigil.training import courses
from vigil.training.models import Assignment, Module
from vigil.video import alerts
from vigil.video.models import Alert

pytestmark = pytest.mark.django_db

_serial = iter(range(1, 1_000_000))


# --- work of each kind, made the way the apps make it -------------------------------------


def a_case(store: Store, investigator: User, **fields: Any) -> Case:
    """A shoplifting case led by ``investigator``; its template adds two tasks for them."""
    return make_case(store, investigator, **fields)


def a_statement(store: Store, taker: User) -> Statement:
    incident = make_incident(store, taker)
    return statements.take_statement(
        taker,
        {"store": store, "incident": incident, "witness_name": "Sam Witness",
         "started_at": timezone.now()},
        body="I saw the tote bag being filled.",
    )  # fmt: skip


def a_lead(store: Store, severity: float = 0.5) -> PosException:
    number = next(_serial)
    data_set = DataSet.objects.create(name=f"POS {number}", folder=f"ds{number}", source="folder")
    data_set.stores.set([store])
    scan = Scan.objects.create(data_set=data_set, status="done")
    return PosException.objects.create(
        data_set=data_set, first_scan=scan, last_scan=scan, rule="no_sale_drawer",
        rule_title="No-sale drawer opening", transaction_id=f"T-{number}", employee_id="E1",
        store=store, register_id="R01", business_date="2026-03-02",
        at_text="2026-03-02T10:00:00-06:00", amount="12.50", severity=severity,
        detail="drawer opened with no sale",
    )  # fmt: skip


def an_action(store: Store, owner: User, due_in_days: int = 3, **fields: Any) -> CorrectiveAction:
    return CorrectiveAction.objects.create(
        number=next_number("CA"), store=store, title="Re-tag the razor peg hooks", owner=owner,
        due_on=store_today() + dt.timedelta(days=due_in_days), **fields,
    )  # fmt: skip


def an_alert(store: Store, **fields: Any) -> Alert:
    return Alert.objects.create(
        uid=f"cam-{next(_serial)}", store=store, source="vigil", rule="loitering",
        started_at=timezone.now(), zone="razors", **fields,
    )  # fmt: skip


def a_request(store: Store, investigator: User) -> InformationRequest:
    details = requests.RequestDetails(
        store=store, kind="subpoena", their_reference="SUB-77", sought="Aisle 7 footage",
        due_on=timezone.localdate() + dt.timedelta(days=5),
    )  # fmt: skip
    return requests.record_received(investigator, details, None)


def training_for(assigner: User, store: Store, role: str, due_in_days: int = 7) -> Assignment:
    module = Module.objects.get(key="de-escalation")
    due = timezone.localdate() + dt.timedelta(days=due_in_days)
    return courses.assign(assigner, module, [store], [role], due)[0]


# --- reading the page ----------------------------------------------------------------------


def page_of(client: Client) -> str:
    response = client.get("/my-work/")
    assert response.status_code == 200
    return response.content.decode()


def sections(body: str) -> dict[str, str]:
    """Section label -> its count, as the page shows them."""
    found = re.findall(r'<h2 id="work-[^"]+">([^<]+?) <span class="badge">([^<]+)</span>', body)
    return dict(found)


def badge(body: str) -> str | None:
    """The count beside "My work" in the main menu."""
    found = re.search(r'href="/my-work/"[^>]*>My work <span class="menu-count">([^<]+)', body)
    return found.group(1) if found else None


# --- each source, for the right person -----------------------------------------------------


def test_a_case_assigned_to_me_is_listed_with_its_tasks(
    world: World, owner: User, owner_client: Client
) -> None:
    case = a_case(world.store_a, owner)
    body = page_of(owner_client)
    assert sections(body)["Cases assigned to you"] == "1"
    assert sections(body)["Case tasks for you"] == "2"  # the shoplifting template's two
    assert f'href="/cases/{case.number}/"' in body
    assert f'href="/cases/{case.number}/#tasks"' in body


def test_a_closed_case_and_its_tasks_are_no_longer_waiting(
    world: World, owner: User, owner_client: Client
) -> None:
    case = a_case(world.store_a, owner)
    Case.objects.filter(pk=case.pk).update(status="closed")
    assert sections(page_of(owner_client)) == {}


def test_the_overdue_task_comes_first_and_says_how_late_it_is(
    world: World, owner: User, owner_client: Client
) -> None:
    case = a_case(world.store_a, owner)
    late = casework.add_task(
        owner, case, "Call the district attorney", due_on=store_today() - dt.timedelta(3)
    )
    body = page_of(owner_client)
    tasks = body[body.index('id="work-case-tasks"') :]
    assert tasks.index(late.title) < tasks.index("Export and preserve video")
    assert "Overdue 3 days" in tasks


def test_a_task_given_to_a_colleague_is_theirs_not_the_case_leads(
    world: World, owner: User, owner_client: Client
) -> None:
    colleague = make_user(Role.LP_MANAGER, stores=(world.store_a,))
    case = a_case(world.store_a, owner)
    CaseTask.objects.filter(case=case).update(assignee=colleague)
    assert "Case tasks for you" not in sections(page_of(owner_client))
    assert sections(page_of(client_for(colleague)))["Case tasks for you"] == "2"


def test_a_statement_i_took_waits_for_its_signature_until_signed(
    world: World, owner: User, owner_client: Client
) -> None:
    statement = a_statement(world.store_a, owner)
    body = page_of(owner_client)
    assert sections(body)["Statements to sign"] == "1"
    assert f'href="/statements/{statement.pk}/"' in body
    statements.sign(owner, statement, "Sam Witness")
    assert "Statements to sign" not in sections(page_of(owner_client))


def test_leads_to_review_wait_for_investigators_and_not_for_officers(
    world: World, owner: User, teammate: User, owner_client: Client
) -> None:
    lead = a_lead(world.store_a)
    explained = a_lead(world.store_a)
    PosException.objects.filter(pk=explained.pk).update(status=ReviewStatus.EXPLAINED)
    body = page_of(owner_client)
    assert sections(body)["POS leads to review"] == "1"
    assert f'href="/pos/exceptions/{lead.pk}/"' in body
    assert "POS leads to review" not in sections(page_of(client_for(teammate)))


def test_my_open_corrective_actions_are_due_and_an_overdue_one_says_so(
    world: World, teammate: User
) -> None:
    action = an_action(world.store_a, teammate, due_in_days=-2, critical=True)
    an_action(world.store_a, teammate, status=ActionStatus.VERIFIED)
    body = page_of(client_for(teammate))
    assert sections(body)["Corrective actions due"] == "1"
    assert f'href="/audits/actions/{action.number}/"' in body
    assert "Overdue 2 days" in body and "Critical" in body


def test_a_fix_waits_for_someone_other_than_the_fixer(
    world: World, owner: User, teammate: User, owner_client: Client
) -> None:
    an_action(world.store_a, teammate, status=ActionStatus.FIXED, fixed_by=teammate)
    assert sections(page_of(owner_client))["Fixes to verify"] == "1"
    assert "Fixes to verify" not in sections(page_of(client_for(teammate)))


def test_new_alerts_wait_until_someone_acknowledges_them(
    world: World, teammate: User, owner: User
) -> None:
    alert = an_alert(world.store_a)
    client = client_for(teammate)
    body = page_of(client)
    assert sections(body)["Camera alerts to acknowledge"] == "1"
    assert f'href="/alerts/{alert.pk}/"' in body
    alerts.acknowledge(owner, alert)
    assert sections(page_of(client)) == {}


def test_open_requests_for_records_wait_for_investigators(
    world: World, owner: User, teammate: User, owner_client: Client
) -> None:
    request = a_request(world.store_a, owner)
    body = page_of(owner_client)
    assert sections(body)["Requests for records to answer"] == "1"
    assert f'href="/requests/{request.number}/"' in body
    assert "Requests for records to answer" not in sections(page_of(client_for(teammate)))


def test_my_own_training_waits_until_i_pass_it(world: World, owner: User) -> None:
    officer = make_user(
        Role.LP_OFFICER, stores=(world.store_a,), person=make_person(world.store_a, "supervisor")
    )
    assignment = training_for(owner, world.store_a, "supervisor")
    body = page_of(client_for(officer))
    assert sections(body)["Your training"] == "1"
    assert f'href="/training/assignments/{assignment.pk}/"' in body


def test_training_i_assigned_that_is_overdue_is_mine_to_chase(
    world: World, owner: User, owner_client: Client
) -> None:
    make_person(world.store_a, EmployeeRole.CASHIER, name="Casey Cashier")
    assignment = training_for(owner, world.store_a, EmployeeRole.CASHIER)
    assert "Overdue training you assigned" not in sections(page_of(owner_client))
    Assignment.objects.filter(pk=assignment.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=4)
    )
    body = page_of(owner_client)
    assert sections(body)["Overdue training you assigned"] == "1"
    assert "Casey Cashier" in body


# --- store scope ---------------------------------------------------------------------------


def test_work_of_another_store_never_shows_even_where_it_names_me(
    world: World, owner: User, outsider: User, owner_client: Client
) -> None:
    """Everything made at store B, then pointed at the owner of store A, stays out of sight."""
    case = a_case(world.store_b, outsider)
    Case.objects.filter(pk=case.pk).update(assignee=owner)
    CaseTask.objects.filter(case=case).update(assignee=owner)
    statement = a_statement(world.store_b, outsider)
    Statement.objects.filter(pk=statement.pk).update(taken_by=owner)
    a_lead(world.store_b)
    an_action(world.store_b, owner)
    an_action(world.store_b, outsider, status=ActionStatus.FIXED, fixed_by=outsider)
    an_alert(world.store_b)
    a_request(world.store_b, outsider)
    make_person(world.store_b, EmployeeRole.CASHIER)
    late = training_for(outsider, world.store_b, EmployeeRole.CASHIER)
    Assignment.objects.filter(pk=late.pk).update(
        assigned_by=owner, due_on=timezone.localdate() - dt.timedelta(days=4)
    )
    body = page_of(owner_client)
    assert sections(body) == {}
    assert badge(body) is None
    assert world.store_b.name not in body
    assert sections(page_of(client_for(outsider)))["POS leads to review"] == "1"


def test_the_store_switcher_narrows_my_work_to_the_chosen_store(world: World) -> None:
    both = make_user(Role.LP_OFFICER, stores=(world.store_a, world.store_b))
    an_alert(world.store_a)
    an_alert(world.store_b)
    client = client_for(both)
    assert sections(page_of(client))["Camera alerts to acknowledge"] == "2"
    session = client.session
    session[SESSION_KEY] = world.store_b.code
    session.save()
    body = page_of(client)
    assert sections(body)["Camera alerts to acknowledge"] == "1"
    assert badge(body) == "1"


# --- who gets the page --------------------------------------------------------------------


def test_police_have_no_my_work_page_and_no_menu_item(world: World) -> None:
    police = make_user(Role.EXTERNAL)
    assert client_for(police).get("/my-work/").status_code == 404
    assert "My work" not in {item.label for item in menu_for(police, "/")}


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        (Role.LP_OFFICER, True),
        (Role.LP_MANAGER, True),
        (Role.STORE_MANAGER, True),
        (Role.REGIONAL_DIRECTOR, True),
        (Role.ADMIN, True),
        (Role.EXECUTIVE, False),
        (Role.AUDITOR, False),
    ],
)
def test_my_work_is_in_the_menu_of_roles_that_are_given_work(
    world: World, role: str, offered: bool
) -> None:
    user = make_user(role, stores=(world.store_a,))
    assert ("My work" in {item.label for item in menu_for(user, "/")}) is offered


def test_a_role_without_work_still_reads_a_page_that_says_so(world: World) -> None:
    executive = make_user(Role.EXECUTIVE, everything=True)
    body = page_of(client_for(executive))
    assert "Nothing is waiting for you" in body
    assert "dashboard" in body


# --- the badge and the page agree ---------------------------------------------------------


def test_the_menu_badge_is_the_total_the_page_counts(
    world: World, owner: User, owner_client: Client
) -> None:
    a_case(world.store_a, owner)  # one case, two tasks
    an_alert(world.store_a)
    a_request(world.store_a, owner)
    body = page_of(owner_client)
    shown = sections(body)
    assert sum(int(count) for count in shown.values()) == 5
    assert badge(body) == "5"
    assert "5 waiting" in body
    assert badge(owner_client.get("/cases/").content.decode()) == "5"


def test_the_teams_shared_lead_queue_is_listed_but_left_out_of_the_badge(
    world: World, owner: User, owner_client: Client
) -> None:
    for _ in range(3):
        a_lead(world.store_a)
    an_alert(world.store_a)
    body = page_of(owner_client)
    assert sections(body)["POS leads to review"] == "3"
    assert badge(body) == "1"


def test_the_badge_counts_on_other_pages_and_catches_up_on_my_work(
    world: World, teammate: User
) -> None:
    client = client_for(teammate)
    an_alert(world.store_a)
    assert badge(client.get("/incidents/").content.decode()) == "1"
    an_alert(world.store_a)
    assert badge(page_of(client)) == "2"  # the page counts afresh
    assert badge(client.get("/incidents/").content.decode()) == "2"


def test_counts_stop_at_the_cap_so_no_count_scans_a_whole_table(
    world: World, owner: User, owner_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(work, "CAP", 4)
    for _ in range(6):
        an_alert(world.store_a)
    body = page_of(owner_client)
    assert sections(body)["Camera alerts to acknowledge"] == "4+"
    assert "All 4+" in body


def test_the_badge_reads_99_plus_past_99() -> None:
    assert work.WorkCounts({"alerts": 100, "cases": 3}).label == "99+"
    assert work.WorkCounts({"alerts": 99}).label == "99"


def test_nothing_waiting_says_so_and_offers_what_is_next(world: World, teammate: User) -> None:
    body = page_of(client_for(teammate))
    assert "Nothing is waiting for you" in body
    assert f'href="{reverse("video:alerts")}"' in body  # watch the alert feed
    assert badge(body) is None


# --- one click from where it is done, on the store's clock --------------------------------


def test_every_item_opens_the_page_where_it_is_done(
    world: World, owner: User, owner_client: Client
) -> None:
    a_case(world.store_a, owner)
    a_statement(world.store_a, owner)
    a_lead(world.store_a)
    an_action(world.store_a, owner)
    an_action(world.store_a, make_user(Role.LP_OFFICER), status=ActionStatus.FIXED)
    an_alert(world.store_a)
    a_request(world.store_a, owner)
    make_person(world.store_a, EmployeeRole.CASHIER)
    late = training_for(owner, world.store_a, EmployeeRole.CASHIER)
    Assignment.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(1))
    board = work.board_for(_request_for(owner), None)
    assert {section.source.key for section in board} == {
        "cases", "case-tasks", "statements", "pos-leads", "actions-to-fix", "fixes-to-verify",
        "alerts", "information-requests", "overdue-training",
    }  # fmt: skip
    for section in board:
        for item in section.items:
            assert owner_client.get(item.url).status_code == 200, item.url
        if section.see_all_url:
            assert owner_client.get(section.see_all_url).status_code == 200, section.see_all_url


def test_times_are_shown_on_the_stores_clock_with_its_zone(world: World, teammate: User) -> None:
    alert = an_alert(world.store_a)
    text = re.sub(r"<[^>]+>", "", page_of(client_for(teammate)))
    assert f"Started {clock.at_store(alert.started_at, world.store_a)}" in text
    assert re.search(r"\d\d:\d\d C[SD]T", text)


def _request_for(user: User) -> Any:
    from django.test import RequestFactory

    request = RequestFactory().get("/my-work/")
    request.user = user
    return request
