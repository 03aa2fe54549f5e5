"""Floor-walk pages: start, answer as you go, photos, complete, report, actions, history."""

from __future__ import annotations

import subprocess

from django.test import Client

from tests.conftest import World, client_for
from vigil.audits.models import ActionStatus, FloorWalk, Schedule
from vigil.audits.photos import PHOTOS

from .conftest import PHOTO, answer_all, completed_walk


def start(client: Client, key: str = "eas") -> FloorWalk:
    answer = client.post("/audits/start/", {"checklist": key, "store": "SA1"})
    walk = FloorWalk.objects.latest("started_at")
    assert answer.url == f"/audits/walks/{walk.number}/"
    return walk


def test_the_audit_page_shows_what_is_due_and_sets_up_a_schedule(world: World, owner) -> None:
    client = client_for(owner)
    session = client.session
    session["vigil_store_code"] = "SA1"
    session.save()
    client.post("/audits/schedules/", {"store": "SA1"})
    assert Schedule.objects.filter(store=world.store_a).count() == 8
    page = client.get("/audits/").content.decode()
    assert "Overdue" in page and "EAS pre-opening check" in page


def test_answers_are_saved_one_by_one_and_checked(world: World, owner) -> None:
    client = client_for(owner)
    walk = start(client)
    url = f"/audits/walks/{walk.number}/answers/"
    saved = client.post(url, {"item": "front-knee", "value": "yes", "note": ""})
    assert saved.json() == {"item": "front-knee", "value": "yes", "saved": True}
    refused = client.post(url, {"item": "front-distance", "value": "far"})
    assert refused.status_code == 422 and "is not a number" in refused.json()["error"]
    assert walk.answers.get().value == "yes"


def test_a_photo_from_the_phone_is_kept_and_shown(world: World, owner) -> None:
    client = client_for(owner)
    walk = start(client)
    url = f"/audits/walks/{walk.number}/photos/tagging-photo/"
    sent = client.generic("POST", url, PHOTO, content_type="image/jpeg")
    assert sent.status_code == 200, sent.content
    assert PHOTOS.path_of(sent.json()["photo"]).read_bytes() == PHOTO
    shown = client.get(url)
    assert shown["Content-Type"] == "image/jpeg" and b"".join(shown.streaming_content) == PHOTO
    not_photo = client.generic("POST", url, b"%PDF-1.7 not a photo", content_type="image/jpeg")
    assert not_photo.status_code == 422 and "not a photo" in not_photo.json()["error"]


def test_the_form_completes_the_walk_without_javascript(world: World, owner) -> None:
    client = client_for(owner)
    walk = start(client, "general-safety")
    form = {"answer-wet-floors": "no", "note-wet-floors": "Spill at aisle 4, no sign",
            "answer-ladders": "yes", "answer-cords": "yes", "answer-shelf-loads": "yes",
            "answer-top-stock": "yes", "notes": "Busy morning"}  # fmt: skip
    done = client.post(f"/audits/walks/{walk.number}/complete/", form, follow=True)
    walk.refresh_from_db()
    assert walk.status == "completed" and walk.passed is False
    assert "1 corrective action(s) raised" in done.content.decode()
    action = walk.actions.get()
    assert action.detail.endswith("Spill at aisle 4, no sign")


def test_completing_with_items_left_says_which(world: World, owner) -> None:
    client = client_for(owner)
    walk = start(client)
    answer = client.post(f"/audits/walks/{walk.number}/complete/", {}, follow=True)
    assert "still to answer, first: Front entrance pedestals alarm" in answer.content.decode()


def test_the_report_holds_the_score_and_the_actions(world: World, owner) -> None:
    walk = completed_walk(owner, world.store_a, **{"tag-razors": "no"})
    pdf = client_for(owner).get(f"/audits/walks/{walk.number}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    assert walk.passed and f"{walk.score}% · Passed" in text  # one weight-2 item of about 40
    assert walk.actions.get().number in text and "Razor blades and cartridges tagged" in text


def test_an_action_is_fixed_with_a_photo_and_verified_by_another(world, owner, teammate) -> None:
    walk = completed_walk(owner, world.store_a, **{"cords": "no"}, key="general-safety")
    action = walk.actions.get()
    client = client_for(owner)
    url = f"/audits/actions/{action.number}/"
    client.generic("POST", f"{url}photos/fix/", PHOTO, content_type="image/jpeg")
    client.post(url, {"do": "fixed", "note": "Cord rerouted under the mat"})
    refused = client.post(url, {"do": "verify"}, follow=True)
    assert "Someone other than the person who fixed it" in refused.content.decode()
    client_for(teammate).post(url, {"do": "verify"})
    action.refresh_from_db()
    assert action.status == ActionStatus.VERIFIED and action.fix_photo_sha256


def test_history_draws_each_stores_scores(world: World, owner) -> None:
    completed_walk(owner, world.store_a)
    completed_walk(owner, world.store_a, **{"tag-razors": "no"})
    page = client_for(owner).get("/audits/history/?checklist=eas").content.decode()
    assert "<polyline" in page and "Scores of EAS pre-opening check at SA1" in page


def test_a_completed_walk_is_read_only_on_its_page(world: World, owner) -> None:
    walk = completed_walk(owner, world.store_a)
    page = client_for(owner).get(f"/audits/walks/{walk.number}/").content.decode()
    assert " inert" in page and "Complete the walk" not in page and "Download PDF" in page


def test_answer_all_leaves_a_walk_ready(world, owner) -> None:
    client = client_for(owner)
    walk = start(client, "parking-lot")
    answer_all(owner, walk)
    client.post(f"/audits/walks/{walk.number}/complete/", {})
    walk.refresh_from_db()
    assert walk.status == "completed"
