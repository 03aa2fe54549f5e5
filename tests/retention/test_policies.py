"""Retention periods: set by administrators, within each kind's bounds, on the page and API."""

from __future__ import annotations

from tests.conftest import World, client_for
from tests.retention.conftest import long_ago, make_alert, run_purge
from vigil.core.models import User
from vigil.core.models.audit import AuditAction, AuditEvent
from vigil.retention import policies
from vigil.retention.models import RecordKind, RetentionPolicy

PERIODS = {kind: rule.default_days for kind, rule in policies.RULES.items()}


def test_the_defaults_apply_until_an_administrator_chooses(db: None) -> None:
    assert policies.periods()[RecordKind.ALERTS] == 30
    assert policies.periods()[RecordKind.CLOSED_CASES] == 2555


def test_an_administrator_sets_a_period_on_the_page(admin_user: User) -> None:
    client = client_for(admin_user)
    response = client.post("/retention/", {**PERIODS, RecordKind.ALERTS: 90})
    assert response.status_code == 302
    assert policies.periods()[RecordKind.ALERTS] == 90
    event = AuditEvent.objects.get(action=AuditAction.RETENTION_POLICY)
    assert event.changes["days"] == [None, 90]
    assert RetentionPolicy.objects.count() == 1  # unchanged kinds keep their default


def test_a_period_outside_the_bounds_is_refused_on_the_page(admin_user: User) -> None:
    client = client_for(admin_user)
    response = client.post("/retention/", {**PERIODS, RecordKind.ALERTS: 3})
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 7" in response.content.decode()
    response = client.post("/retention/", {**PERIODS, RecordKind.SUBJECTS: 99_999})
    assert "less than or equal to 3650" in response.content.decode()
    assert not RetentionPolicy.objects.exists()


def test_a_period_outside_the_bounds_is_refused_by_the_api(admin_user: User) -> None:
    client = client_for(admin_user)
    url = "/api/v1/retention/policies"
    refused = client.patch(
        url, {"periods": {"subjects": 400, "alerts": 2}}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert "between 7 and 365 days" in refused.json()["error"]["message"]
    assert not RetentionPolicy.objects.exists()  # all or nothing
    accepted = client.patch(url, {"periods": {"alerts": 60}}, content_type="application/json")
    assert accepted.status_code == 200
    assert {row["kind"]: row["days"] for row in accepted.json()}[RecordKind.ALERTS] == 60
    listed = client.get("/api/v1/retention/policies").json()
    assert {row["kind"]: row["days"] for row in listed}[RecordKind.ALERTS] == 60


def test_an_unknown_kind_is_refused(admin_user: User) -> None:
    response = client_for(admin_user).patch(
        "/api/v1/retention/policies", {"periods": {"forever": 60}}, content_type="application/json"
    )
    assert response.status_code == 422


def test_only_administrators_see_or_set_retention(owner: User, admin_user: User) -> None:
    client = client_for(owner)
    assert client.get("/retention/").status_code == 403
    assert client.post("/retention/", PERIODS).status_code == 403
    assert client.get("/api/v1/retention/policies").status_code == 403
    patch = client.patch(
        "/api/v1/retention/policies", {"periods": {"alerts": 60}}, content_type="application/json"
    )
    assert patch.status_code == 403
    assert client.get("/api/v1/retention/preview").status_code == 403
    assert "Retention" not in client.get("/").content.decode()
    assert 'href="/retention/"' in client_for(admin_user).get("/").content.decode()


def test_the_page_previews_the_purge_and_shows_the_last_run(world: World, admin_user: User) -> None:
    make_alert(world, started_at=long_ago())
    client = client_for(admin_user)
    assert "Would purge 1 alerts" in client.get("/retention/").content.decode()
    run_purge()
    page = client.get("/retention/").content.decode()
    assert "Would purge nothing" in page and "1 alerts" in page and "UTC" in page


def test_the_api_previews_the_purge(world: World, admin_user: User) -> None:
    make_alert(world, started_at=long_ago())
    preview = client_for(admin_user).get("/api/v1/retention/preview").json()
    assert preview["due"][RecordKind.ALERTS] == 1
