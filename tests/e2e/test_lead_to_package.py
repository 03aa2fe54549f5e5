"""The investigation loop from a POS lead to the police, played in a real browser.

An investigator escalates a lead: the case arrives with the employee as a subject and a task
to pull the camera's video. They give a colleague a task, take and sign a statement on the
case, add the register clip and watch it in place (seeking asks for byte ranges: 206), choose
two items for the police package and send it by e-mail. The detective opens the link from
the e-mail, downloads the package and `sha256sum -c` passes; the clip's custody chain shows
the investigator's viewing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from tests.conftest import PASSWORD, make_store, make_user
from tests.e2e.browsing import sign_with_a_finger, unpacked_and_verified, until, watch_refusals
from tests.e2e.test_navigation import _sign_in
from tests.pos.test_imports import generated  # noqa: F401 - the module's generated data set
from tests.shared_data import shared_data
from vigil.cases.models import Case, CaseTask, Statement, Subject
from vigil.core.models import Organisation, Region, Role, User
from vigil.evidence.models import CustodyEvent, EvidenceItem, EvidencePackage
from vigil.pos import imports
from vigil.pos.models import PosException
from vigil.video.models import Camera

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CLIP = "video/one-by-one-person-detection.mp4"  # a real CCTV clip, in the shared data
DESK = {"width": 1366, "height": 900}


@pytest.fixture
def lead(generated: Path) -> PosException:  # noqa: F811
    region = Region.objects.create(
        organisation=Organisation.objects.create(name="Loop Retail"), code="N", name="North"
    )
    make_store(region, "S101")
    make_store(region, "S102")
    importer = make_user(Role.LP_MANAGER, everything=True, username="importer")
    data_set = imports.import_data_set(importer, generated, "March", "generated")
    imports.scan_data_set(data_set, importer)
    found = (
        PosException.objects.exclude(employee_id="")
        .exclude(register_id="")
        .filter(store__code="S101")
        .order_by("-severity")
        .first()
    )
    assert found is not None
    Camera.objects.create(store=found.store, name="lanes-1-4", registers=found.register_id)
    return found


def _investigator(lead: PosException) -> tuple[User, User]:
    investigator = make_user(Role.LP_MANAGER, stores=(lead.store,), username="lee.investigator")
    colleague = make_user(Role.LP_OFFICER, stores=(lead.store,), username="pat.officer")
    colleague.first_name, colleague.last_name = "Pat", "Officer"
    colleague.save()
    return investigator, colleague


def test_from_a_pos_lead_to_a_verified_package_in_the_detectives_hands(
    browser: Any, live_server: Any, lead: PosException, tmp_path: Path
) -> None:
    base = live_server.url
    investigator, colleague = _investigator(lead)
    refused: list[str] = []
    context = browser.new_context(viewport=DESK, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    watch_refusals(page, refused)
    _sign_in(page, base, investigator.username, PASSWORD)

    # Escalate: the employee arrives as a subject, the camera window as a task.
    page.goto(f"{base}/pos/exceptions/{lead.pk}/")
    page.click("text=Escalate to a case")
    page.wait_for_url("**/cases/CASE-*/")
    case = Case.objects.get()
    subject = Subject.objects.get(employee_id=lead.employee_id)
    assert case.links.filter(subject=subject).exists()
    assert subject.name in page.inner_text("main")
    assert CaseTask.objects.filter(case=case, title__contains="lanes-1-4").exists()

    # A task for a colleague, by name, with a due date.
    adding = page.locator("form.task-form").last  # the others reassign the tasks listed
    adding.locator("input[name=title]").fill("Count razors on the shelf")
    adding.locator("select[name=assignee]").select_option(label="Pat Officer")
    adding.get_by_role("button", name="Add task").click()
    page.wait_for_load_state()
    task = CaseTask.objects.get(case=case, title="Count razors on the shelf")
    assert task.assignee == colleague
    assert "Count razors on the shelf" in page.inner_text("#tasks + ul")

    # A statement taken on the case itself, and signed.
    page.click("text=+ Take a statement")
    page.fill("#id_witness_name", "Sam Ortega")
    page.fill("#id_started_at", "2026-03-03T15:00")
    page.fill("#id_body", "I saw the cashier void a line and hand the bag over unpaid.")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/statements/*/")
    sign_with_a_finger(page)
    statement = Statement.objects.get()
    assert statement.case == case and statement.status == "signed"

    # The register clip into the case, then watched in place: seeking asks for byte ranges.
    page.goto(f"{base}/evidence/new/?case={case.number}")
    page.set_input_files("input[name=file]", str(shared_data(CLIP)))
    page.select_option("select[name=source]", "vms_export")
    page.click("#evidence-upload button[type=submit]")
    page.wait_for_url("**/evidence/EV-*/")
    clip = EvidenceItem.objects.get(media_type="video/mp4")
    statuses: list[int] = []
    page.on(
        "response",
        lambda response: statuses.append(response.status) if "/view" in response.url else None,
    )
    page.reload()
    until(page, "document.querySelector('video').readyState >= 1")
    page.click("button[data-seek='10']")
    until(page, "document.querySelector('video').currentTime >= 9")
    page.click("button[data-frames='1']")
    assert 206 in statuses, statuses
    page.reload()
    assert "Viewed" in page.inner_text("table.custody")
    viewed = CustodyEvent.objects.filter(evidence=clip, action="viewed", actor=investigator)
    assert viewed.count() == 1

    # Two items chosen for the police package: the clip and the signed statement.
    page.goto(f"{base}/cases/{case.number}/")
    page.fill("input[name=purpose][placeholder^='For']", "City PD, report CPD-26-4471")
    page.click("text=Build police package")
    page.wait_for_url("**/packages/new/?*")
    for box in page.locator("form input[type=checkbox]").all():
        box.uncheck()
    page.check(f"input[name=evidence][value='{clip.number}']")
    page.check(f"input[name=statements][value='{statement.pk}']")
    page.click("text=Build the package")
    page.wait_for_url("**/packages/PKG-*/")
    page.wait_for_selector("text=Download ZIP")
    package = EvidencePackage.objects.get()
    chosen = package.manifest
    assert [row["number"] for row in chosen["evidence"]] == [clip.number]
    assert len(chosen["statements"]) == 1 and not chosen.get("reports")

    # Sent by e-mail to the detective.
    page.fill("input[name=recipient]", "Det. Dana Ruiz")
    page.fill("input[name=agency]", "City PD")
    page.fill("input[name=email]", "dana.ruiz@citypd.example")
    page.click("text=Send share link")
    page.wait_for_load_state()
    context.close()
    assert refused == []
    (message,) = [m for m in mail.outbox if "dana.ruiz@citypd.example" in m.to]
    link = re.search(r"https?://\S+/shared/\S+", message.body)
    assert link is not None, message.body

    # The detective opens the link from the e-mail and downloads the package.
    detective = browser.new_context(viewport=DESK, accept_downloads=True)
    opened = detective.new_page()
    opened.goto(link.group(0).replace("http://testserver", base))
    with opened.expect_download() as download:
        opened.click("text=Download the package")
    archive = tmp_path / "package.zip"
    download.value.save_as(archive)
    detective.close()
    folder = unpacked_and_verified(archive, tmp_path / "package")
    shipped = folder / "evidence" / f"{clip.number}-{shared_data(CLIP).name}"
    assert shipped.read_bytes() == shared_data(CLIP).read_bytes()
    assert package.downloads.exists()
