"""Court dates with a reminder to whoever attends, the court outcome, and the testimony pack."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.conftest import (
    World,
    add_evidence,
    client_for,
    make_case,
    make_incident,
    make_user,
    store_today,
)
from vigil.cases import casework, court, statements, stops
from vigil.cases.models import Case, CourtDisposition, CourtOutcome, Hearing, HearingKind
from vigil.core.models import AuditAction, AuditEvent, Role, User
from vigil.evidence.models import EvidenceItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def witness(world: World) -> User:
    user = make_user(Role.LP_OFFICER, stores=(world.store_a,), username="witness")
    user.first_name, user.last_name, user.email = "Pat", "Officer", "pat@example.com"
    user.save()
    return user


def _hearing(case: Case, owner: User, attendee: User | None, **fields: Any) -> Hearing:
    values: dict[str, Any] = {
        "kind": HearingKind.ARRAIGNMENT,
        "starts_at": timezone.now() + dt.timedelta(days=10),
        "court": "Cook County Circuit Court",
        "docket_number": "26-CR-0142",
        "attendee": attendee,
        **fields,
    }
    return court.schedule_hearing(owner, case, values)


def _pdf_text(content: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return done.stdout.decode()


# --- hearings ---------------------------------------------------------------------------


def test_a_court_date_entered_on_the_page_is_the_stores_clock_and_its_attendee_is_told(
    world: World, owner: User, witness: User, owner_client: Client
) -> None:
    case = make_case(world.store_a, owner)

    response = owner_client.post(
        f"/cases/{case.number}/hearings/",
        {
            "kind": "pre_trial",
            "starts_at": "2030-01-15T09:30",
            "court": "Cook County Circuit Court",
            "docket_number": "26-CR-0142",
            "attendee": witness.pk,
            "remind_days_before": 3,
        },
    )

    assert response.status_code == 302
    hearing = case.hearings.get()
    assert hearing.starts_at == dt.datetime(2030, 1, 15, 15, 30, tzinfo=dt.UTC)  # 09:30 CST
    assert [message.to for message in mail.outbox] == [["pat@example.com"]]
    page = owner_client.get(f"/cases/{case.number}/").content.decode()
    assert "2030-01-15 09:30 CST" in page
    assert "Pat Officer attends" in page


def test_a_hearing_reminder_is_sent_once_the_set_days_before(
    world: World, owner: User, witness: User
) -> None:
    case = make_case(world.store_a, owner)
    _hearing(case, owner, witness, starts_at=timezone.now() + dt.timedelta(days=2))
    mail.outbox.clear()
    out = io.StringIO()

    call_command("cases_remind", stdout=out)
    call_command("cases_remind", stdout=out)

    assert "1 hearing reminder(s) sent" in out.getvalue()
    assert "0 hearing reminder(s) sent" in out.getvalue()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["pat@example.com"]
    assert "Reminder: Court date (Arraignment)" in mail.outbox[0].subject


def test_no_reminder_before_its_day_comes(world: World, owner: User, witness: User) -> None:
    case = make_case(world.store_a, owner)
    _hearing(case, owner, witness, remind_days_before=3)  # ten days ahead

    assert court.remind_hearings() == 0
    assert court.remind_hearings(timezone.now() + dt.timedelta(days=8)) == 1


def test_moving_a_hearing_earns_a_new_reminder(world: World, owner: User, witness: User) -> None:
    case = make_case(world.store_a, owner)
    hearing = _hearing(case, owner, witness, starts_at=timezone.now() + dt.timedelta(days=1))
    assert court.remind_hearings() == 1

    court.update_hearing(owner, hearing, {"starts_at": timezone.now() + dt.timedelta(days=2)})

    assert court.remind_hearings() == 1
    assert court.remind_hearings() == 0


def test_a_cancelled_hearing_is_not_reminded(world: World, owner: User, witness: User) -> None:
    case = make_case(world.store_a, owner)
    hearing = _hearing(case, owner, witness, starts_at=timezone.now() + dt.timedelta(days=1))
    court.update_hearing(owner, hearing, {"status": "cancelled"})

    assert court.remind_hearings() == 0


def test_a_hearing_without_a_court_or_a_time_gives_field_errors_and_stores_nothing(
    world: World, owner: User, owner_client: Client
) -> None:
    case = make_case(world.store_a, owner)

    response = owner_client.post(
        f"/cases/{case.number}/hearings/",
        {"kind": "trial", "starts_at": "not a time", "court": "", "remind_days_before": 90},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"starts_at", "court", "remind_days_before"}
    assert not Hearing.objects.exists()


def test_only_someone_who_sees_the_store_can_be_named_to_attend(
    world: World, owner: User, outsider: User, owner_client: Client
) -> None:
    case = make_case(world.store_a, owner)

    response = owner_client.post(
        f"/cases/{case.number}/hearings/",
        {
            "kind": "trial",
            "starts_at": "2030-01-15T09:30",
            "court": "Circuit Court",
            "attendee": outsider.pk,
            "remind_days_before": 3,
        },
    )

    assert "attendee" in response.context["form"].errors
    assert not Hearing.objects.exists()


def test_an_officer_without_investigate_cannot_add_a_court_date(
    world: World, owner: User, teammate: User
) -> None:
    case = make_case(world.store_a, owner)

    response = client_for(teammate).post(
        f"/cases/{case.number}/hearings/", {"kind": "trial", "court": "Circuit Court"}
    )

    assert response.status_code == 403
    assert not Hearing.objects.exists()


def test_another_stores_hearing_is_not_found(
    world: World, owner: User, outsider: User, witness: User
) -> None:
    hearing = _hearing(make_case(world.store_a, owner), owner, witness)
    client = client_for(outsider)

    assert client.get(f"/hearings/{hearing.pk}/").status_code == 404
    assert client.post(f"/hearings/{hearing.pk}/", {"court": "x"}).status_code == 404
    assert Hearing.objects.get().court == "Cook County Circuit Court"


# --- outcome -----------------------------------------------------------------------------


def test_the_court_outcome_is_recorded_with_charges_and_restitution(
    world: World, owner: User, owner_client: Client
) -> None:
    case = make_case(world.store_a, owner)

    owner_client.post(
        f"/cases/{case.number}/court-outcome/",
        {
            "charges": "Retail theft under $300\nResisting",
            "disposition": "convicted",
            "disposed_on": store_today().isoformat(),
            "restitution_ordered": "1250.00",
        },
    )

    outcome = CourtOutcome.objects.get(case=case)
    assert outcome.disposition == CourtDisposition.CONVICTED
    assert outcome.charge_list == ["Retail theft under $300", "Resisting"]
    page = owner_client.get(f"/cases/{case.number}/").content.decode()
    assert "Convicted / pleaded guilty" in page and "$1,250.00" in page


def test_an_outcome_dated_tomorrow_or_with_negative_restitution_is_refused(
    world: World, owner: User, owner_client: Client
) -> None:
    case = make_case(world.store_a, owner)
    tomorrow = store_today() + dt.timedelta(days=2)

    response = owner_client.post(
        f"/cases/{case.number}/court-outcome/",
        {
            "disposition": "dismissed",
            "disposed_on": tomorrow.isoformat(),
            "restitution_ordered": "-5",
        },
    )

    assert set(response.context["form"].errors) == {"restitution_ordered"}
    response = owner_client.post(
        f"/cases/{case.number}/court-outcome/",
        {
            "disposition": "dismissed",
            "disposed_on": tomorrow.isoformat(),
            "restitution_ordered": "0",
        },
    )
    assert set(response.context["form"].errors) == {"disposed_on"}
    assert not CourtOutcome.objects.exists()


# --- the testimony pack --------------------------------------------------------------------


@pytest.fixture
def prepared_case(world: World, owner: User) -> Case:
    """A case with an incident, a stop with an observed element, a statement and a clip."""
    now = timezone.now()
    incident = make_incident(world.store_a, owner, occurred_at=now - dt.timedelta(hours=2))
    case = make_case(world.store_a, owner, summary="Two razor packs taken through door 2.")
    casework.link(owner, case, incident)
    stop = stops.record_stop(
        owner, incident, {"started_at": now - dt.timedelta(hours=1), "ended_at": now}
    )
    stops.observe(
        owner,
        stop,
        "concealment",
        {
            "status": "observed",
            "observed_by": "Pat Officer",
            "observed_at": now - dt.timedelta(minutes=70),
        },
    )
    statements.take_statement(
        owner,
        {
            "store": world.store_a,
            "case": case,
            "witness_name": "Sam Cashier",
            "started_at": now - dt.timedelta(minutes=30),
        },
        body="I saw the subject put two razor packs in a tote bag.",
    )
    add_evidence(owner, b"door 2 clip", incident=incident.number)
    return Case.objects.get(pk=case.pk)


def test_the_testimony_pack_holds_timeline_stop_elements_statements_and_hashed_evidence(
    world: World, owner: User, owner_client: Client, prepared_case: Case
) -> None:
    item = EvidenceItem.objects.get(incident__case_links__case=prepared_case)

    response = owner_client.get(f"/cases/{prepared_case.number}/testimony-pack.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    flat = text.replace("\n", "")
    assert "Chronology" in text and "Stop began" in text
    assert "Saw the concealment or carrying away" in text and "Pat Officer" in text
    assert "Saw the approach" in text  # every element, not only the observed ones
    assert "Sam Cashier" in text and "razor packs in a tote bag" in text
    assert item.number in text and item.sha256[:32] in flat
    assert "Custody summary" in text
    assert "CST" in text  # the store's clock, named


def test_downloading_the_testimony_pack_is_audited(
    world: World, owner: User, owner_client: Client, prepared_case: Case
) -> None:
    owner_client.get(f"/cases/{prepared_case.number}/testimony-pack.pdf")

    event = AuditEvent.objects.filter(
        action=AuditAction.EXPORT, object_id=str(prepared_case.pk)
    ).get()
    assert event.changes["document"] == "testimony pack"
    assert event.actor_username == "owner"


def test_another_stores_testimony_pack_is_not_found(
    world: World, owner: User, outsider: User, prepared_case: Case
) -> None:
    response = client_for(outsider).get(f"/cases/{prepared_case.number}/testimony-pack.pdf")

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_hearing_with_no_one_named_opens_and_is_in_the_pack(
    world: World, owner: User, owner_client: Client, prepared_case: Case
) -> None:
    hearing = _hearing(prepared_case, owner, None, kind=HearingKind.SENTENCING)

    page = owner_client.get(f"/hearings/{hearing.pk}/").content.decode()
    text = _pdf_text(owner_client.get(f"/cases/{prepared_case.number}/testimony-pack.pdf").content)

    assert "no one named" in page
    assert "Sentencing" in text and "26-CR-0142" in text


def test_a_teammate_sees_a_court_date_but_no_form_to_change_it(
    world: World, owner: User, teammate: User, witness: User
) -> None:
    hearing = _hearing(make_case(world.store_a, owner), owner, witness)

    response = client_for(teammate).get(f"/hearings/{hearing.pk}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Cook County Circuit Court" in page and "Save court date" not in page
