"""The executive summary of a month: its figures on the page and in the one-page PDF, for
the stores its reader may see, and the monthly e-mail that carries it once."""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from tests.conftest import client_for, make_case, make_incident, make_person, make_user, store_today
from tests.reports.conftest import scored_walk
from tests.shrink.conftest import import_counts
from vigil.cases.models import Case
from vigil.core.models import Role, Store, User
from vigil.reports.mailing import send_monthly
from vigil.reports.models import SummaryMailing
from vigil.reports.summary import Month, build
from vigil.shrink import figures
from vigil.shrink.models import CountLine, DepartmentSales
from vigil.training.models import Assignment, Module

MARCH = dt.datetime(2026, 3, 12, 15, tzinfo=dt.UTC)
MARCH_FIRST = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)


@pytest.fixture
def march(
    counted_chain_data: tuple[Path, Any], chain: dict[str, Store], director: User
) -> dict[str, Any]:
    """The counted chain, and March 2026's incidents, a closed case, walks and training."""
    import_counts(director, counted_chain_data[0])
    make_incident(chain["S101"], director, occurred_at=MARCH, merchandise_value="120.00",
                  recovered_value="40.00")  # fmt: skip
    make_incident(chain["S102"], director, occurred_at=MARCH, merchandise_value="60.00")
    make_incident(chain["S102"], director, kind="medical_emergency", occurred_at=MARCH,
                  merchandise_value="0.00")  # fmt: skip
    make_incident(chain["S101"], director, occurred_at=MARCH + dt.timedelta(days=40))  # April
    case = make_case(chain["S102"], director)
    Case.objects.filter(pk=case.pk).update(status="closed", closed_at=MARCH, recovered_amount=250)
    scored_walk(director, chain["S101"], 90, dt.date(2026, 3, 5))
    scored_walk(director, chain["S102"], 60, dt.date(2026, 3, 6))
    module = Module.objects.first()
    for code, done in (("S101", MARCH), ("S102", None)):
        assignment = Assignment.objects.create(
            store=chain[code], person=make_person(chain[code]), module=module,
            due_on=dt.date(2026, 3, 20), assigned_by=director, completed_at=done,
        )  # fmt: skip
        Assignment.objects.filter(pk=assignment.pk).update(assigned_at=MARCH_FIRST)
    return chain


def march_shrink(stores: Any = None) -> tuple[Decimal, Decimal]:
    """What the counts of March 2026 lost at cost, and over what book value, summed here."""
    lines = CountLine.objects.filter(count_date__range=(dt.date(2026, 3, 1), dt.date(2026, 3, 31)))
    if stores is not None:
        lines = lines.filter(store__in=stores)
    cost = sum((line.shrink_cost for line in lines), Decimal(0))
    book = sum((line.book_cost for line in lines), Decimal(0))
    return cost.quantize(Decimal("0.01")), book.quantize(Decimal("0.01"))


def pdf_text(pdf: bytes) -> tuple[str, int]:
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    pages = next(
        int(line.split()[-1]) for line in info.stdout.decode().splitlines() if "Pages:" in line
    )
    return " ".join(text.split()), pages


def test_the_executive_pdf_holds_the_months_figures_on_one_page(
    march: dict[str, Store], director: User
) -> None:
    response = client_for(director).get("/reports/executive.pdf?month=2026-03")
    assert response["Content-Type"] == "application/pdf"
    text, pages = pdf_text(response.content)
    cost, book = march_shrink()
    everything = figures.total(CountLine.objects.all(), DepartmentSales.objects.all())
    assert pages == 1
    assert "Loss prevention, March 2026" in text
    assert f"{cost:,.2f} lost at cost" in text  # March's counts, not the whole analysis's
    assert everything.shrink_cost > cost and f"{everything.shrink_cost:,.2f}" not in text
    assert f"{cost / book * 100:.2f} % of counted book value" in text
    assert "3 incidents, 140.00 lost net of recoveries" in text
    assert "1 case closed; 290.00 recovered" in text  # the case's 250 and the incident's 40
    assert "2 floor walks completed, average score 75.0 %, 50 % passed" in text
    assert "50 % complete as at 2026-03-31: 1 of 2 assignments done, 1 overdue" in text
    assert "Razors at S102" in text  # the top hot spot, its department in words
    assert "Shoplifting" in text and "Medical emergency" in text  # the chart's labels
    # The page's figures, drawn the same: units on the axes, the legends' meanings.
    assert "% of counted book value" in text and "USD at cost" in text
    assert "Above the chain" in text and "Theft" in text and "Safety" in text


def test_a_store_reader_gets_their_stores_summary(march: dict[str, Store]) -> None:
    reader = make_user(Role.STORE_MANAGER, stores=(march["S101"],))
    page = client_for(reader).get("/reports/executive/?month=2026-03").content.decode()
    assert "1 incident, 80.00 lost" in " ".join(page.split()).replace("</strong>", "").replace(
        "<strong>", ""
    )
    assert "Razors at S102" not in page and "S102" not in page


def test_the_monthly_email_goes_once_to_each_reader_with_the_pdf(
    march: dict[str, Store], director: User
) -> None:
    director.email = "director@example.com"
    director.save()
    officer = make_user(Role.LP_OFFICER, everything=True)
    officer.email = "officer@example.com"  # an officer is not a reader of summaries
    officer.save()
    assert send_monthly(Month.parse("2026-03")) == 1
    (message,) = mail.outbox
    assert message.to == ["director@example.com"]
    assert message.subject == "Vigil loss-prevention summary, March 2026"
    (name, pdf, kind) = message.attachments[0]
    assert (name, kind) == ("vigil-summary-2026-03.pdf", "application/pdf")
    assert "Loss prevention, March 2026" in pdf_text(pdf)[0]
    assert send_monthly(Month.parse("2026-03")) == 0  # run daily: sent once a month
    assert SummaryMailing.objects.filter(user=director).count() == 1


def test_a_month_that_is_not_a_month_is_not_found(director: User) -> None:
    assert client_for(director).get("/reports/executive/?month=2026-13").status_code == 404
    assert client_for(director).get("/reports/executive.pdf?month=March").status_code == 404


def test_the_summary_the_shrink_page_and_the_api_give_the_same_months_shrink(
    march: dict[str, Store],
) -> None:
    reader = make_user(Role.LP_MANAGER, stores=(march["S101"], march["S102"]))
    client = client_for(reader)
    cost, book = march_shrink((march["S101"], march["S102"]))
    summary = build(reader, Month.parse("2026-03"))
    page = client.get("/shrink/?month=2026-03")
    shrink_api = client.get("/api/v1/shrink/figures?month=2026-03").json()
    summary_api = client.get("/api/v1/reports/summary?month=2026-03").json()
    assert summary.shrink is not None and summary.shrink.shrink_cost == cost
    assert page.context["total"].shrink_cost == cost
    assert Decimal(shrink_api["total"]["shrink_cost"]) == cost
    assert Decimal(summary_api["shrink"]["shrink_cost"]) == cost
    rates = {
        summary.shrink.rate_on_book,
        page.context["total"].rate_on_book,
        shrink_api["total"]["rate_on_book"],
        summary_api["shrink"]["rate_on_book"],
    }
    assert rates == {float(cost / book)}
    assert {row["key"] for row in shrink_api["stores"]} == {"S101", "S102"}
    assert "Counts in March 2026" in page.content.decode()


def test_the_summary_the_training_page_and_the_api_give_the_same_completion(
    march: dict[str, Store],
) -> None:
    reader = make_user(Role.LP_MANAGER, stores=(march["S101"], march["S102"]))
    client = client_for(reader)
    later = Assignment.objects.get(store=march["S102"])
    Assignment.objects.filter(pk=later.pk).update(completed_at=MARCH + dt.timedelta(days=60))
    # March's summary reads the training as at 31 March: one of two done, one overdue.
    summary = build(reader, Month.parse("2026-03"))
    page = client.get("/training/?as_at=2026-03-31")
    api = client.get("/api/v1/training/completion?as_at=2026-03-31").json()["total"]
    summary_api = client.get("/api/v1/reports/summary?month=2026-03").json()["training"]
    figures_seen = {
        (summary.training.completed, summary.training.assigned, summary.training.overdue),
        (page.context["completion"].completed, page.context["completion"].assigned,
         page.context["completion"].overdue),
        (api["completed"], api["assigned"], api["overdue"]),
        (summary_api["completed"], summary_api["assigned"], summary_api["overdue"]),
    }  # fmt: skip
    assert figures_seen == {(1, 2, 1)}
    assert "1 of 2</strong> assignments done by 2026-03-31: <strong>50 %" in (page.content.decode())
    # The month under way reads as today, as the training page does: both now done.
    today = build(reader, Month(timezone.localdate().replace(day=1)))
    plain = client.get("/training/").context["completion"]
    assert (today.training.completed, plain.completed, plain.assigned) == (2, 2, 2)


def test_the_summary_counts_the_months_incidents_as_the_incident_api_does(
    march: dict[str, Store], director: User
) -> None:
    listed = client_for(director).get("/api/v1/incidents?since=2026-03-01&until=2026-03-31").json()
    summary = build(director, Month.parse("2026-03"))
    assert summary.incidents == listed["count"] == 3  # April's is not March's


def test_a_month_that_is_not_a_month_is_a_field_error_in_the_api(director: User) -> None:
    for url in ("/api/v1/reports/summary?month=2026-13", "/api/v1/shrink/figures?month=May"):
        response = client_for(director).get(url)
        assert response.status_code == 422
        assert response.json()["error"]["details"] == {"month": ["Give the month as YYYY-MM."]}


def test_the_summary_gives_the_months_civil_demands_and_what_was_paid_on_them(
    march: dict[str, Store], director: User
) -> None:
    from vigil.cases import civil
    from vigil.cases.models import CivilDemand

    case = make_case(march["S101"], director)
    values = {"state": "CA", "addressee": "Jordan Example", "address": "12 Elm Street",
              "retail_value": Decimal("120.00"), "recovered_value": Decimal("0"),
              "penalty": None}  # fmt: skip
    demand = civil.make_demand(director, case, values)
    civil.record_payment(director, demand, {"amount": Decimal("100.00"), "received_on":
                                            store_today(), "method": "check"})  # fmt: skip
    CivilDemand.objects.filter(pk=demand.pk).update(created_at=MARCH)
    summary = build(director, Month.parse("2026-03"))
    assert (summary.civil.demands, summary.civil.demanded, summary.civil.paid) == (
        1, Decimal("620.00"), Decimal("100.00")
    )  # fmt: skip
    assert build(director, Month.parse("2026-04")).civil.demands == 0
    client = client_for(director)
    page = " ".join(client.get("/reports/executive/?month=2026-03").content.decode().split())
    assert "1</strong> demand made for 620.00" in page and "520.00 outstanding" in page
    api = client.get("/api/v1/reports/summary?month=2026-03").json()["civil_recovery"]
    assert api == {"demands": 1, "demanded": "620.00", "paid": "100.00", "outstanding": "520.00"}
