"""The whole investigation, played in a real browser by the people who do it.

An officer files an incident on a phone; an investigator opens a case, adds a subject and a
vehicle, records the stop elements, takes and signs a statement, uploads a video and a
photo, and builds the police package, whose SHA256SUMS then verifies with `sha256sum -c` and
whose report PDF holds the facts.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD, make_person, make_user
from tests.e2e.browsing import sign_with_a_finger, unpacked_and_verified
from tests.e2e.test_navigation import _sign_in
from vigil.cases.models import Case, Incident, Statement, Subject, Vehicle
from vigil.core.models import EmployeeRole, Organisation, Region, Role, Store
from vigil.evidence.models import EvidenceItem, EvidencePackage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MEDIA = Path(__file__).resolve().parents[2] / "vigil" / "cases" / "demo_media"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def store() -> Store:
    region = Region.objects.create(
        organisation=Organisation.objects.create(name="E2E Retail"), code="R1", name="Region 1"
    )
    return Store.objects.create(
        region=region, code="E2E1", name="Riverside", timezone="America/Chicago"
    )


def _officer_files_an_incident(browser: Any, base_url: str, store: Store) -> Incident:
    officer_person = make_person(store, EmployeeRole.LP, name="Pat Officer")
    make_user(Role.LP_OFFICER, stores=(store,), person=officer_person, username="pat.officer")
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    _sign_in(page, base_url, "pat.officer", PASSWORD)
    page.goto(f"{base_url}/incidents/new/")
    page.select_option("#id_kind", "shoplifting")
    page.fill("#id_summary", "Six razor packs taken from aisle 7")
    page.fill("#id_occurred_at", "2026-11-20T14:32")
    page.fill("#id_location", "Aisle 7")
    page.fill("#id_merchandise_value", "119.94")
    page.click("form.capture button[type=submit]")
    page.wait_for_url("**/incidents/INC-*/")
    assert "Six razor packs taken from aisle 7" in page.inner_text("main")
    context.close()
    return Incident.objects.get()


def _upload(page: Any, base_url: str, incident: Incident, file: Path, source: str) -> None:
    page.goto(f"{base_url}/incidents/{incident.number}/")
    page.click("text=+ Add evidence")
    page.set_input_files("input[name=file]", str(file))
    page.select_option("select[name=source]", source)
    if file.suffix == ".mp4":
        page.click("text=Video: camera and clocks")
        page.fill("input[name=camera]", "Cam 3, register bank")
        page.fill("input[name=camera_clock_offset_s]", "12.5")
    page.click("#evidence-upload button[type=submit]")
    page.wait_for_url("**/evidence/EV-*/")
    assert file.name in page.inner_text("main")


def test_an_investigation_from_the_floor_to_the_police_package(
    browser: Any, live_server: Any, store: Store, tmp_path: Path
) -> None:
    base = live_server.url
    incident = _officer_files_an_incident(browser, base, store)
    assert incident.occurred_at.isoformat() == "2026-11-20T20:32:00+00:00"  # 14:32 Chicago

    make_user(Role.LP_MANAGER, stores=(store,), username="lee.investigator")
    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    _sign_in(page, base, "lee.investigator", PASSWORD)

    # A case from the incident.
    page.goto(f"{base}/incidents/{incident.number}/")
    page.click("text=Open a case from this incident")
    page.fill("#id_title", "Razor thefts, aisle 7")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/cases/CASE-*/")
    case = Case.objects.get()

    # A subject recorded and linked from the case page, without leaving it.
    page.goto(f"{base}/cases/{case.number}/")
    page.click("summary:has-text('New subject')")
    page.fill("#new-subject-name", "Jordan Example")
    page.fill("#new-subject-clothing", "Red hooded jacket, black backpack")
    page.click("text=Record and link subject")
    page.wait_for_url(f"**/cases/{case.number}/#links")
    subject = Subject.objects.get()
    assert case.links.filter(subject=subject).exists()

    # Their vehicle, recorded on the subject's page, is found from the case's link box as
    # the plate is typed, a witness's I for 1 and all, and linked from the results.
    page.goto(f"{base}/subjects/{subject.pk}/")
    page.click("text=+ Add a vehicle")
    page.fill("#id_plate", "KDL 4471")
    page.fill("#id_make", "Honda")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/vehicles/*/")
    vehicle = Vehicle.objects.get()
    page.goto(f"{base}/cases/{case.number}/")
    page.locator("#link-q").press_sequentially("KDL447I", delay=40)
    result = page.locator("#link-results li", has_text="KDL4471")
    result.get_by_role("button", name="Link").click()
    page.wait_for_url(f"**/cases/{case.number}/#links")
    assert case.links.filter(vehicle=vehicle).exists()
    assert "Jordan Example" in page.inner_text("main") and "KDL4471" in page.inner_text("main")

    # The stop, element by element.
    page.goto(f"{base}/incidents/{incident.number}/")
    page.click("text=+ Record a stop")
    page.fill("#id_started_at", "2026-11-20T14:36")
    page.select_option("#id_subject", str(subject.pk))
    page.fill("#id_present", "L. Investigator, S. Ortega")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/stops/*/")
    for element in ("approach", "selection", "concealment", "continuous_observation",
                    "failure_to_pay", "approached_outside"):  # fmt: skip
        card = page.locator(f"#element-{element}")
        card.locator("input[value=observed]").check()
        card.locator(f"#id_{element}-observed_by").fill("L. Investigator")
        card.locator("button[type=submit]").click()
        page.wait_for_load_state()
    assert "Every element is recorded as observed" in page.inner_text("main")

    # A statement, typed and signed with a finger.
    page.goto(f"{base}/incidents/{incident.number}/")
    page.click("text=+ Take a statement")
    page.fill("#id_witness_name", "Sam Ortega")
    page.fill("#id_started_at", "2026-11-20T15:00")
    page.fill("#id_body", "I saw a person in a red jacket leave by the main door at 14:35.")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/statements/*/")
    sign_with_a_finger(page)
    statement = Statement.objects.get()
    assert statement.status == "signed" and statement.current.signature_png.startswith("data:")

    # A video and a photo into the vault.
    _upload(page, base, incident, MEDIA / "register-3.mp4", "vms_export")
    _upload(page, base, incident, MEDIA / "aisle-7-razors.jpg", "phone")
    assert EvidenceItem.objects.count() == 2

    # The police package.
    page.goto(f"{base}/cases/{case.number}/")
    page.fill("input[name=purpose][placeholder^='For']", "Minneapolis PD, report MPD-26-118842")
    page.click("text=Build police package")
    page.wait_for_url("**/packages/new/?*")  # everything is ticked to start with
    page.click("text=Build the package")
    page.wait_for_url("**/packages/PKG-*/")
    with page.expect_download() as download:
        page.click("text=Download ZIP")
    archive = tmp_path / "package.zip"
    download.value.save_as(archive)
    context.close()

    folder = unpacked_and_verified(archive, tmp_path / "package")
    video = EvidenceItem.objects.get(media_type="video/mp4")
    assert (folder / "evidence" / f"{video.number}-register-3.mp4").read_bytes() == (
        MEDIA / "register-3.mp4"
    ).read_bytes()
    report = folder / "report" / f"{case.number}-report.pdf"  # the case summary
    text = subprocess.run(
        ["pdftotext", str(report), "-"], capture_output=True, text=True, check=True
    ).stdout
    for fact in (
        incident.number,
        "Six razor packs taken from aisle 7",
        "2026-11-20 14:32",
        "Saw the concealment or carrying away",
        "Sam Ortega",
        "Jordan Example",
        "KDL4471",
        video.sha256[:20],
    ):
        assert fact in text.replace("\n", " "), fact
    assert EvidencePackage.objects.get().case == case
