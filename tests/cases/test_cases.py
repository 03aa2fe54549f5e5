"""Cases: templates, links across stores, tasks, notes with revisions, the timeline, closing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.cases.test_incidents import patch, post
from tests.conftest import World, client_for, make_case, make_incident, make_subject, make_user
from vigil.cases import casework, timeline
from vigil.cases.models import AppendOnly, Case, CaseStatus, NoteRevision, TimelineEntry
from vigil.core.models import Role, User


def test_a_case_opens_with_its_templates_first_tasks(world: World, owner: User) -> None:
    case = make_case(world.store_a, owner)
    assert case.number.startswith("CASE-")
    assert case.template is not None and case.template.kind == "shoplifting"
    assert case.tasks.count() == len(case.template.tasks) > 0
    assert case.assignee == owner


def test_a_case_cannot_close_until_its_required_fields_are_filled(
    world: World, owner: User
) -> None:
    case = make_case(world.store_a, owner)
    client = client_for(owner)
    url = f"/api/v1/cases/{case.number}"
    refused = post(client, f"{url}/closure", {"outcome": "Subject charged"})
    assert refused.status_code == 422
    assert "Video reviewed" in refused.json()["error"]["message"]
    details = {key: "done" for key in case.template.field_keys}
    assert patch(client, url, {"details": details}).status_code == 200
    closed = post(client, f"{url}/closure", {"outcome": "Subject charged"})
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "closed"


def test_a_closed_case_is_reopened_before_it_changes(world: World, owner: User) -> None:
    case = make_case(world.store_a, owner, kind="other")
    casework.close_case(owner, case, "No further action")
    with pytest.raises(ValidationError):
        casework.update_case(owner, case, {"title": "New title"})
    casework.reopen_case(owner, case)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.OPEN


def test_a_case_groups_incidents_from_several_stores(world: World, admin_user: User) -> None:
    first = make_incident(world.store_a, admin_user)
    second = make_incident(world.store_b, admin_user)
    body = {
        "store": "SA1",
        "title": "One subject, two stores",
        "kind": "orc",
        "incident_numbers": [first.number, second.number],
    }
    response = post(client_for(admin_user), "/api/v1/cases", body)
    assert response.status_code == 201, response.content
    refs = {link["ref"] for link in response.json()["links"]}
    assert refs == {first.number, second.number}


def test_an_investigator_cannot_link_an_incident_they_cannot_see(
    world: World, owner: User, outsider: User
) -> None:
    case = make_case(world.store_a, owner)
    foreign = make_incident(world.store_b, outsider)
    response = post(
        client_for(owner), f"/api/v1/cases/{case.number}/links", {"incident": foreign.number}
    )
    assert response.status_code == 404
    assert not case.links.exists()


def test_an_officer_cannot_open_a_case(world: World, teammate: User) -> None:
    body = {"store": "SA1", "title": "x", "kind": "other"}
    assert post(client_for(teammate), "/api/v1/cases", body).status_code == 403


def test_an_assignee_must_be_able_to_see_the_store(
    world: World, owner: User, outsider: User
) -> None:
    case = make_case(world.store_a, owner)
    response = patch(client_for(owner), f"/api/v1/cases/{case.number}", {"assignee": "outsider"})
    assert response.status_code == 422
    assert "assignee" in response.json()["error"]["message"]


def test_every_change_appears_in_the_timeline(world: World, owner: User) -> None:
    case = make_case(world.store_a, owner, kind="other")
    client = client_for(owner)
    patch(client, f"/api/v1/cases/{case.number}", {"priority": "high"})
    subject = make_subject(world.store_a)
    post(client, f"/api/v1/cases/{case.number}/links", {"subject_id": subject.pk})
    post(client, f"/api/v1/cases/{case.number}/timeline", {"text": "Called the DA's office"})
    texts = [entry.text for entry in TimelineEntry.objects.filter(case=case).order_by("pk")]
    assert texts[0].startswith("Case opened")
    assert "Case updated: priority normal → high" in texts
    assert f"Subject {subject} added" in texts
    assert texts[-1] == "Called the DA's office"


def test_a_note_keeps_every_revision(world: World, owner: User) -> None:
    case = make_case(world.store_a, owner)
    client = client_for(owner)
    note = post(
        client, f"/api/v1/cases/{case.number}/notes", {"title": "Interview", "body": "First"}
    )
    assert note.status_code == 201
    note_id = note.json()["id"]
    revised = post(client, f"/api/v1/notes/{note_id}/revisions", {"body": "Second"})
    bodies = [rev["body"] for rev in revised.json()["revisions"]]
    assert bodies == ["Second", "First"]


def test_note_revisions_and_timeline_entries_cannot_be_rewritten(world: World, owner: User) -> None:
    case = make_case(world.store_a, owner)
    casework.save_note(owner, case, "Original words")
    revision = NoteRevision.objects.get()
    revision.body = "Rewritten"
    with pytest.raises(AppendOnly):
        revision.save()
    entry = timeline.add_entry(case, "Manual entry")
    with pytest.raises(AppendOnly):
        entry.delete()


def test_tasks_are_added_and_completed(world: World, owner: User) -> None:
    case = make_case(world.store_a, owner, kind="other")
    client = client_for(owner)
    created = post(
        client,
        f"/api/v1/cases/{case.number}/tasks",
        {"title": "Pull receipts", "due_on": "2026-12-01", "assignee": "owner"},
    )
    assert created.status_code == 201, created.content
    done = patch(client, f"/api/v1/tasks/{created.json()['id']}", {"status": "done"})
    assert done.json()["status"] == "done" and done.json()["done_at"]


def test_outsider_gets_404_for_every_case_route(world: World, owner: User, outsider: User) -> None:
    case = make_case(world.store_a, owner)
    task = case.tasks.first()
    note = casework.save_note(owner, case, "Private")
    client: Client = client_for(make_user(Role.ADMIN, stores=(world.store_b,)))
    for url in (
        f"/api/v1/cases/{case.number}",
        f"/api/v1/cases/{case.number}/tasks",
        f"/api/v1/cases/{case.number}/timeline",
        f"/api/v1/cases/{case.number}/notes",
        f"/api/v1/cases/{case.number}/report.pdf",
        f"/api/v1/notes/{note.pk}",
    ):
        assert client.get(url).status_code == 404, url
    assert patch(client, f"/api/v1/tasks/{task.pk}", {"status": "done"}).status_code == 404
    assert client.get("/api/v1/cases").json()["count"] == 0


def test_template_fields_appear_in_the_timeline_one_by_one(world: World, owner: User) -> None:
    case = make_case(world.store_a, owner)
    casework.update_case(owner, case, {"details": {"video_reviewed": "Cam 3"}})
    latest = TimelineEntry.objects.filter(case=case).order_by("-pk").first()
    assert latest is not None and latest.text == "Case updated: video reviewed — → Cam 3"
