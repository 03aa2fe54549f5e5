"""Review at the speed of the work: many leads with one note, reasons the LP manager keeps,
saved views, and a history of every review on the lead and in the audit log."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import World, client_for, make_store, make_user
from tests.pos.test_imports import generated  # noqa: F401 - the module's generated data set
from vigil.core.models import AuditEvent, Role, SavedView, User
from vigil.core.models.audit import AuditAction
from vigil.pos import imports, reviews
from vigil.pos.models import ExplanationReason, LeadReview, PosException, ReviewStatus


@pytest.fixture
def scanned(world: World, generated: Path) -> User:  # noqa: F811
    make_store(world.region_a, "S101")
    make_store(world.region_b, "S102")
    investigator = make_user(Role.LP_MANAGER, everything=True, username="investigator")
    data_set = imports.import_data_set(investigator, generated, "March", "generated")
    imports.scan_data_set(data_set, investigator)
    return investigator


def _leads(count: int) -> list[PosException]:
    return list(PosException.objects.order_by("pk")[:count])


def test_many_leads_are_explained_with_one_reason_and_one_note(scanned: User) -> None:
    chosen = _leads(5)
    reason = ExplanationReason.objects.get(label__startswith="Manager-approved")
    client = client_for(scanned)
    response = client.post(
        "/pos/exceptions/reviews/",
        {"lead": [lead.pk for lead in chosen], "status": "explained", "reason": reason.pk,
         "note": "approvals on file", "back": "/pos/?rule=x"},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/pos/?rule=x"
    done = PosException.objects.filter(pk__in=[lead.pk for lead in chosen])
    assert {(lead.status, lead.reason_id, lead.review_note) for lead in done} == {
        ("explained", reason.pk, "approvals on file")
    }
    batches = set(LeadReview.objects.values_list("batch", flat=True))
    assert len(batches) == 1 and None not in batches
    assert LeadReview.objects.count() == 5


def test_a_bulk_review_with_an_escalated_lead_changes_nothing(scanned: User) -> None:
    first, second, escalated = _leads(3)
    reviews.escalate(scanned, escalated, "")
    with pytest.raises(ValidationError, match="escalated"):
        reviews.review_many(scanned, [first, second, escalated], "coaching", "refresher")
    assert not PosException.objects.filter(status=ReviewStatus.COACHING).exists()


def test_explained_needs_a_reason_or_a_note_and_coaching_a_note(scanned: User) -> None:
    (lead,) = _leads(1)
    with pytest.raises(ValidationError, match="reason"):
        reviews.review(scanned, lead, "explained", "  ")
    with pytest.raises(ValidationError, match="coaching"):
        reviews.review(scanned, lead, "coaching", "")
    reason = ExplanationReason.objects.first()
    assert reviews.review(scanned, lead, "explained", "", reason).reason == reason


def test_a_bulk_review_never_reaches_another_stores_leads(scanned: User, world: World) -> None:
    s101 = PosException.objects.filter(store__code="S101").first()
    s102 = PosException.objects.filter(store__code="S102").first()
    assert s101 is not None and s102 is not None
    manager_a = make_user(Role.REGIONAL_DIRECTOR, stores=(s101.store,))
    client_for(manager_a).post(
        "/pos/exceptions/reviews/",
        {"lead": [s101.pk, s102.pk], "status": "coaching", "note": "talked it through"},
    )
    assert PosException.objects.get(pk=s101.pk).status == ReviewStatus.COACHING
    assert PosException.objects.get(pk=s102.pk).status == ReviewStatus.NEW
    answer = client_for(manager_a).post(
        "/api/v1/pos/exception-reviews",
        json.dumps({"leads": [s102.pk], "status": "coaching", "note": "x"}),
        content_type="application/json",
    )
    assert answer.status_code == 404


def test_every_review_is_in_the_lead_history_and_the_audit_log(scanned: User) -> None:
    (lead,) = _leads(1)
    reviews.review(scanned, lead, "coaching", "first talk")
    reviews.review(scanned, lead, "new", "")
    history = list(lead.reviews.order_by("reviewed_at", "pk").values_list("status", "note"))
    assert history == [("coaching", "first talk"), ("new", "")]
    logged = AuditEvent.objects.filter(action=AuditAction.LEAD_REVIEW, object_id=str(lead.pk))
    assert logged.count() == 2
    page = client_for(scanned).get(f"/pos/exceptions/{lead.pk}/").content.decode()
    assert "Review history" in page and "first talk" in page


def test_the_lp_manager_extends_the_reasons_and_an_officer_cannot(
    scanned: User, world: World
) -> None:
    client = client_for(scanned)
    client.post("/pos/reasons/", {"label": "  Vendor   credit on file "})
    added = ExplanationReason.objects.get(label="Vendor credit on file")
    assert added in reviews.reasons_offered()
    client.post("/pos/reasons/", {"withdraw": added.pk})
    assert added not in reviews.reasons_offered()
    director = make_user(Role.REGIONAL_DIRECTOR, everything=True)
    with pytest.raises(PermissionDenied):
        reviews.add_reason(director, "Anything goes")
    assert client_for(director).get("/pos/reasons/").status_code == 200
    officer = make_user(Role.LP_OFFICER, stores=(world.store_a,))
    assert client_for(officer).get("/pos/reasons/").status_code == 403


def test_a_withdrawn_reason_stays_on_the_leads_it_explained(scanned: User) -> None:
    (lead,) = _leads(1)
    reason = reviews.add_reason(scanned, "Seasonal returns")
    reviews.review(scanned, lead, "explained", "", reason)
    reviews.withdraw_reason(scanned, reason)
    assert PosException.objects.get(pk=lead.pk).reason == reason
    with pytest.raises(ValidationError, match="reason"):
        reviews.review(scanned, _leads(2)[1], "explained", "", reason)


def test_a_saved_view_of_the_report_keeps_its_filters_and_sort_and_opens_them_again(
    scanned: User,
) -> None:
    client = client_for(scanned)
    query = "rule=no_sale_drawer&status=new&since=2026-03-02&sort=-amount&page=3"
    response = client.post(
        "/saved-views/", {"list_key": "leads", "name": "Drawer this week", "query": query}
    )
    view = SavedView.objects.get(user=scanned, list_key="leads")
    assert view.query == "rule=no_sale_drawer&status=new&since=2026-03-02&sort=-amount"
    assert response["Location"] == f"/pos/?{view.query}"
    page = client.get(response["Location"])
    assert "Drawer this week" in page.content.decode()
    rows = [row.record for row in page.context["table"].page.object_list]
    assert rows and all(row.rule == "no_sale_drawer" and row.status == "new" for row in rows)
    amounts = [row.amount for row in rows]
    assert amounts == sorted(amounts, reverse=True)


def test_one_analyst_cannot_remove_anothers_view(scanned: User) -> None:
    view = SavedView.objects.create(user=scanned, list_key="leads", name="Mine", query="status=new")
    other = make_user(Role.LP_MANAGER, everything=True)
    assert client_for(other).post(f"/saved-views/{view.pk}/deletion/").status_code == 404
    answer = client_for(scanned).post(f"/saved-views/{view.pk}/deletion/")
    assert answer.status_code == 302 and answer["Location"] == "/pos/"
    assert not SavedView.objects.exists()


def test_the_api_reviews_many_and_gives_the_history(scanned: User) -> None:
    chosen = _leads(3)
    reason = ExplanationReason.objects.first()
    assert reason is not None
    client = client_for(scanned)
    answer = client.post(
        "/api/v1/pos/exception-reviews",
        json.dumps({"leads": [lead.pk for lead in chosen], "status": "explained",
                    "reason": reason.pk, "note": "checked"}),
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 200 and answer.json() == {"reviewed": 3}
    history = client.get(f"/api/v1/pos/exceptions/{chosen[0].pk}/reviews").json()
    assert history[0]["status"] == "explained" and history[0]["reason"] == reason.label
    assert history[0]["reviewed_by"] == "investigator" and history[0]["batch"]
    one = client.get(f"/api/v1/pos/exceptions/{chosen[0].pk}").json()
    assert one["reason"] == reason.label and one["raised"] is True
    reasons: list[dict[str, Any]] = client.get("/api/v1/pos/reasons").json()
    assert reason.label in {entry["label"] for entry in reasons}


def test_a_bulk_review_naming_an_id_no_database_holds_is_refused_not_a_crash(
    world: World,
) -> None:
    client = client_for(make_user(Role.LP_MANAGER, everything=True))
    answer = client.post(
        "/api/v1/pos/exception-reviews",
        json.dumps({"leads": [12, 2**80], "status": "explained", "note": "checked"}),
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["details"][0]["loc"] == ["body", "payload", "leads", "1"]
