"""Civil recovery: the shipped statutes, the amount each allows, letters and payments."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.conftest import (
    World,
    client_for,
    make_case,
    make_incident,
    make_store,
    make_subject,
    store_today,
)
from vigil.cases import casework, civil
from vigil.cases.models import Case, CivilDemand, CivilLetter, CivilPayment, DemandStatus
from vigil.core.models import User

pytestmark = pytest.mark.django_db


def _amount(state: str, retail: str, recovered: str = "0", penalty: str | None = None) -> Decimal:
    chosen = Decimal(penalty) if penalty is not None else None
    return civil.compute(civil.statute(state), Decimal(retail), Decimal(recovered), chosen).total


def _demand(owner: User, case: Case, **fields: object) -> CivilDemand:
    values: dict[str, object] = {
        "state": "CA",
        "addressee": "Jordan Example",
        "address": "12 Elm Street\nSpringfield, CA 90001",
        "retail_value": Decimal("120.00"),
        "recovered_value": Decimal("0"),
        "penalty": None,
        **fields,
    }
    return civil.make_demand(owner, case, values)


def _pdf_text(content: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return done.stdout.decode()


# --- the statutes ------------------------------------------------------------------------


def test_at_least_five_states_ship_with_a_citation_a_source_and_a_deadline() -> None:
    shipped = civil.statutes()

    assert {"CA", "TX", "FL", "NY", "IL"} <= set(shipped)
    for law in shipped.values():
        assert law.citation and law.source.startswith("http")
        assert law.deadline_days > 0


def test_california_adds_the_most_penalty_to_the_unrecovered_value() -> None:
    assert _amount("CA", "120.00") == Decimal("620.00")
    assert _amount("CA", "120.00", recovered="120.00") == Decimal("500.00")


def test_california_caps_the_value_at_950() -> None:
    assert _amount("CA", "1200.00") == Decimal("1450.00")


def test_florida_trebles_the_damages_with_a_200_minimum() -> None:
    assert _amount("FL", "40.00") == Decimal("200.00")
    assert _amount("FL", "100.00") == Decimal("300.00")


def test_new_york_penalty_is_the_greater_of_75_and_five_times_retail_up_to_500() -> None:
    assert _amount("NY", "10.00") == Decimal("85.00")
    assert _amount("NY", "200.00") == Decimal("700.00")


def test_a_penalty_outside_the_statutes_range_is_a_field_error() -> None:
    with pytest.raises(ValidationError) as error:
        _amount("TX", "50.00", penalty="1500.00")
    assert "penalty" in error.value.message_dict
    assert _amount("TX", "50.00", penalty="250.00") == Decimal("300.00")


def test_a_state_with_no_statute_shipped_is_a_field_error() -> None:
    with pytest.raises(ValidationError) as error:
        civil.statute("ZZ")
    assert "state" in error.value.message_dict


# --- demands, letters and payments --------------------------------------------------------


def test_a_demand_starts_from_the_cases_incidents_and_subject(world: World, owner: User) -> None:
    world.store_a.state = "California"
    world.store_a.save()
    case = make_case(world.store_a, owner)
    casework.link(owner, case, make_incident(world.store_a, owner, merchandise_value="59.98"))
    casework.link(owner, case, make_subject(world.store_a, name="Riley Subject"))

    suggested = civil.suggested_values(case)

    assert suggested["state"] == "CA"
    assert suggested["retail_value"] == Decimal("59.98")
    assert suggested["addressee"] == "Riley Subject"


def test_the_demand_letter_for_a_shipped_state_has_the_statutes_amount(
    world: World, owner: User, owner_client: Client
) -> None:
    case = make_case(world.store_a, owner)
    response = owner_client.post(
        f"/cases/{case.number}/civil-demands/",
        {
            "state": "CA",
            "addressee": "Jordan Example",
            "address": "12 Elm Street, Springfield",
            "retail_value": "1234.50",
            "recovered_value": "0",
        },
    )
    demand = CivilDemand.objects.get()
    assert response.status_code == 302 and demand.amount == Decimal("1450.00")

    owner_client.post(f"/civil-demands/{demand.pk}/letters/")

    letter = CivilLetter.objects.get()
    pdf = owner_client.get(f"/civil-letters/{letter.pk}/letter.pdf")
    assert hashlib.sha256(pdf.content).hexdigest() == letter.sha256
    text = _pdf_text(pdf.content)
    assert "Cal. Penal Code § 490.5(b)" in text
    assert "$1,450.00" in text and "$950.00" in text and "$500.00" in text
    assert f"{letter.due_on:%B} {letter.due_on.day}, {letter.due_on.year}" in text
    assert letter.due_on == letter.sent_on + dt.timedelta(days=30)
    assert "DRAFT" not in text


def test_the_letter_draft_says_it_is_a_draft(
    world: World, owner: User, owner_client: Client
) -> None:
    demand = _demand(owner, make_case(world.store_a, owner), state="FL")

    text = _pdf_text(owner_client.get(f"/civil-demands/{demand.pk}/letter.pdf").content)

    assert "DRAFT" in text and "Fla. Stat. § 772.11(1)" in text and "$360.00" in text
    assert not CivilLetter.objects.exists()


def test_payments_bring_the_demand_to_paid_and_no_further_letter_is_sent(
    world: World, owner: User
) -> None:
    demand = _demand(owner, make_case(world.store_a, owner))
    today = store_today()
    civil.record_payment(
        owner, demand, {"amount": Decimal("200.00"), "received_on": today, "method": "check"}
    )
    assert civil.case_totals(demand.case).outstanding == Decimal("420.00")

    civil.record_payment(
        owner, demand, {"amount": Decimal("420.00"), "received_on": today, "method": "card"}
    )

    demand.refresh_from_db()
    assert demand.status == DemandStatus.PAID
    with pytest.raises(ValidationError):
        civil.send_letter(owner, demand)


def test_the_case_page_shows_demanded_paid_and_outstanding(
    world: World, owner: User, owner_client: Client
) -> None:
    demand = _demand(owner, make_case(world.store_a, owner))
    owner_client.post(
        f"/civil-demands/{demand.pk}/payments/",
        {"amount": "100.00", "received_on": store_today().isoformat(), "method": "cash"},
    )

    page = owner_client.get(f"/cases/{demand.case.number}/").content.decode()

    assert "Demanded $620.00 · paid $100.00 · outstanding $520.00" in page


def test_totals_count_the_stores_and_the_period_asked_for(
    world: World, owner: User, admin_user: User
) -> None:
    other = make_store(world.region_a)
    _demand(owner, make_case(world.store_a, owner))
    _demand(admin_user, make_case(other, admin_user), state="FL")  # 3 x 120
    today = store_today()

    assert civil.totals([world.store_a, other]).demanded == Decimal("980.00")
    assert civil.totals([world.store_a]).demanded == Decimal("620.00")
    last_year = (today - dt.timedelta(days=400), today - dt.timedelta(days=300))
    assert civil.totals([world.store_a], last_year).demands == 0


def test_a_bad_demand_gives_field_errors_and_stores_nothing(
    world: World, owner: User, owner_client: Client
) -> None:
    case = make_case(world.store_a, owner)

    response = owner_client.post(
        f"/cases/{case.number}/civil-demands/",
        {"state": "CA", "addressee": "", "address": "x", "retail_value": "-1"},
    )
    assert {"addressee", "retail_value"} <= set(response.context["form"].errors)
    response = owner_client.post(
        f"/cases/{case.number}/civil-demands/",
        {
            "state": "CA",
            "addressee": "J",
            "address": "x",
            "retail_value": "50",
            "recovered_value": "80",
            "penalty": "900",
        },
    )
    errors = response.context["form"].errors
    assert "recovered_value" in errors or "penalty" in errors
    assert not CivilDemand.objects.exists()


def test_a_bad_payment_gives_field_errors_and_stores_nothing(
    world: World, owner: User, owner_client: Client
) -> None:
    demand = _demand(owner, make_case(world.store_a, owner))
    tomorrow = store_today() + dt.timedelta(days=2)

    response = owner_client.post(
        f"/civil-demands/{demand.pk}/payments/",
        {"amount": "0", "received_on": tomorrow.isoformat(), "method": "barter"},
    )
    assert {"amount", "method"} <= set(response.context["payment_form"].errors)
    response = owner_client.post(
        f"/civil-demands/{demand.pk}/payments/",
        {"amount": "10", "received_on": tomorrow.isoformat(), "method": "cash"},
    )
    assert "received_on" in response.context["payment_form"].errors
    assert not CivilPayment.objects.exists()


def test_another_stores_demand_and_letters_are_not_found(
    world: World, owner: User, outsider: User
) -> None:
    demand = _demand(owner, make_case(world.store_a, owner))
    letter = civil.send_letter(owner, demand)
    client = client_for(outsider)

    assert client.get(f"/civil-demands/{demand.pk}/").status_code == 404
    assert client.get(f"/civil-demands/{demand.pk}/letter.pdf").status_code == 404
    assert client.get(f"/civil-letters/{letter.pk}/letter.pdf").status_code == 404
    assert client.post(f"/civil-demands/{demand.pk}/letters/").status_code == 404
    assert client.get(f"/cases/{demand.case.number}/civil-demands/").status_code == 404
    assert CivilLetter.objects.count() == 1


def test_an_officer_without_investigate_cannot_record_a_payment(
    world: World, owner: User, teammate: User
) -> None:
    demand = _demand(owner, make_case(world.store_a, owner))

    response = client_for(teammate).post(
        f"/civil-demands/{demand.pk}/payments/",
        {"amount": "10", "received_on": store_today().isoformat(), "method": "cash"},
    )

    assert response.status_code == 403
    assert not CivilPayment.objects.exists()
