"""Police packages you choose: the items picked, built in the background, sent by e-mail,
every download logged, and rebuilt as a new version when the case changes."""

from __future__ import annotations

import json
import os
import subprocess
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.cases.test_incidents import post
from tests.conftest import World, add_evidence, client_for, make_incident, make_user, tiny_file
from tests.evidence.test_packages import PHOTO, VIDEO, case_with_evidence
from vigil.cases import statements
from vigil.cases.models import Statement
from vigil.core import taskruns
from vigil.core.models import AccessGrant, AuditEvent, Role, TaskRunStatus, User
from vigil.evidence import package_contents, package_jobs, packages
from vigil.evidence.models import (
    DownloadRoute,
    EvidenceItem,
    EvidencePackage,
    PackageDownload,
    PackageStatus,
)
from vigil.evidence.package_contents import Selection
from vigil.evidence.storage import store_from_settings

__all__ = ["case_with_evidence"]  # the fixture, shared with tests/evidence/test_packages.py
RECEIPT = tiny_file("pdf", b" a later receipt scan")


def video_and_photo(case: Any) -> tuple[EvidenceItem, EvidenceItem]:
    video, photo = package_contents.choices_for(None, case, None).evidence
    return video, photo


def zip_of(package: EvidencePackage, target: Path) -> Path:
    archive = target / package.filename
    archive.write_bytes(b"".join(packages.stream(package)))
    return archive


def unzipped(package: EvidencePackage, target: Path) -> Path:
    folder = target / f"{package.number}-files"
    with zipfile.ZipFile(zip_of(package, target)) as opened:
        opened.extractall(folder)
    return folder


def sha256sum_check(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True
    )


def files_in(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def choose_page_post(case: Any, **ticked: Any) -> dict[str, Any]:
    return {"chosen": "1", "case": case.number, "purpose": "Springfield PD", **ticked}


# --- choosing -----------------------------------------------------------------------------


def test_only_the_chosen_items_go_in_and_the_hash_list_covers_exactly_them(
    case_with_evidence: Any, owner: User, tmp_path: Path
) -> None:
    video, photo = video_and_photo(case_with_evidence)
    chosen = Selection(evidence=(photo.number,), statements=(), reports=(), summary=True)
    package = packages.build_package(owner, purpose="DA", case=case_with_evidence, selection=chosen)
    folder = unzipped(package, tmp_path)
    names = files_in(folder)
    assert [n for n in names if n.startswith("evidence/EV-")] == [
        f"evidence/{photo.number}-razors.png"
    ]
    assert (folder / f"evidence/{photo.number}-razors.png").read_bytes() == PHOTO
    assert not [n for n in names if n.startswith("statements/")]
    assert [n for n in names if n.startswith("report/")] == [
        f"report/{case_with_evidence.number}-report.pdf"
    ]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert [row["number"] for row in manifest["evidence"]] == [photo.number]
    assert manifest["statements"] == []
    listed = {line.split("  ", 1)[1] for line in (folder / "SHA256SUMS").read_text().splitlines()}
    assert listed == names - {"SHA256SUMS"}
    check = sha256sum_check(folder)
    assert check.returncode == 0, check.stdout + check.stderr
    assert video.number not in (folder / "custody/custody-log.csv").read_text()
    assert "1 evidence file(s)" in (folder / "README.txt").read_text()


def test_the_case_summary_inside_lists_only_the_chosen_evidence(
    case_with_evidence: Any, owner: User, tmp_path: Path
) -> None:
    video, photo = video_and_photo(case_with_evidence)
    chosen = Selection(evidence=(photo.number,), statements=(), reports=())
    package = packages.build_package(owner, purpose="DA", case=case_with_evidence, selection=chosen)
    folder = unzipped(package, tmp_path)
    report = folder / f"report/{case_with_evidence.number}-report.pdf"
    text = subprocess.run(
        ["pdftotext", str(report), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert photo.number in text
    assert video.number not in text
    assert "Sam Cashier" not in text  # the statement was left out


def test_only_the_chosen_items_get_an_export_in_their_custody(
    case_with_evidence: Any, owner: User
) -> None:
    video, photo = video_and_photo(case_with_evidence)
    package = packages.build_package(
        owner, purpose="DA", case=case_with_evidence, selection=Selection(evidence=(video.number,))
    )
    assert video.custody.filter(action="exported", details__package=package.number).exists()
    assert not photo.custody.filter(action="exported").exists()


def test_the_page_offers_every_item_ticked(case_with_evidence: Any, owner: User) -> None:
    page = client_for(owner).get(
        f"/packages/new/?case={case_with_evidence.number}&purpose=Springfield+PD"
    )
    assert page.status_code == 200
    html = page.content.decode()
    for item in video_and_photo(case_with_evidence):
        assert f'name="evidence" value="{item.number}" id="pick-{item.number}" checked' in html
    assert 'name="summary" value="1" checked' in html
    assert 'value="Springfield PD"' in html


def test_the_page_builds_only_what_was_ticked(case_with_evidence: Any, owner: User) -> None:
    video, _ = video_and_photo(case_with_evidence)
    incident = case_with_evidence.links.get().incident
    body = choose_page_post(case_with_evidence, evidence=[video.number], reports=[incident.number])
    response = client_for(owner).post("/packages/", body)
    package = EvidencePackage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/packages/{package.number}/"
    assert package.status == PackageStatus.READY
    assert [row["number"] for row in package.manifest["evidence"]] == [video.number]
    assert [row["number"] for row in package.manifest["reports"]] == [incident.number]
    assert package.manifest["statements"] == []


def test_a_package_of_nothing_is_refused(case_with_evidence: Any, owner: User) -> None:
    client = client_for(owner)
    response = client.post("/packages/", choose_page_post(case_with_evidence))
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case_with_evidence.number}/"
    assert not EvidencePackage.objects.exists()
    page = client.get(response["Location"])
    assert "Choose at least one item" in page.content.decode()


def test_evidence_of_another_case_is_refused_by_name(
    case_with_evidence: Any, owner: User, world: World
) -> None:
    other = make_incident(world.store_a, owner)
    elsewhere = add_evidence(owner, VIDEO, filename="other.mp4", incident=other.number)
    response = post(
        client_for(owner),
        "/api/v1/packages",
        {"case": case_with_evidence.number, "purpose": "DA", "evidence": [elsewhere.number]},
    )
    assert response.status_code in (400, 422)
    assert elsewhere.number in response.content.decode()
    assert not EvidencePackage.objects.exists()


def test_the_api_takes_a_selection_and_says_the_status(
    case_with_evidence: Any, owner: User
) -> None:
    _, photo = video_and_photo(case_with_evidence)
    response = post(
        client_for(owner),
        "/api/v1/packages",
        {
            "case": case_with_evidence.number,
            "purpose": "DA",
            "evidence": [photo.number],
            "statements": [],
            "summary": False,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "ready" and body["version"] == 1
    assert [row["number"] for row in body["manifest"]["evidence"]] == [photo.number]
    assert [row["kind"] for row in body["manifest"]["reports"]] == ["incident report"]


# --- building in the background --------------------------------------------------------


def test_the_build_is_a_task_run_that_reports_each_item(
    case_with_evidence: Any, owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []
    count = taskruns.RunProgress.count

    def record(self: taskruns.RunProgress, done: int, total: int, message: str = "") -> None:
        said.append(message)
        count(self, done, total, message)

    monkeypatch.setattr(taskruns.RunProgress, "count", record)
    package = package_jobs.start_build(owner, purpose="DA", case=case_with_evidence)
    run = package_jobs.run_of(package)
    assert run is not None and run.status == TaskRunStatus.SUCCEEDED, run and run.error
    assert run.progress == 100 and run.store == package.store
    # The case summary, one incident report, one statement, two evidence files, the rest.
    assert [message.split(":")[0] for message in said] == [f"{n} of 6 items" for n in range(1, 7)]
    assert package.status == PackageStatus.READY


def test_the_page_shows_a_build_in_progress_and_refreshes_itself(
    case_with_evidence: Any, owner: User
) -> None:
    package = packages.prepare(owner, purpose="DA", case=case_with_evidence)
    client = client_for(owner)
    page = client.get(f"/packages/{package.number}/").content.decode()
    assert "Building" in page and 'hx-trigger="every 1s"' in page
    assert "Download ZIP" not in page
    assert client.get(f"/packages/{package.number}/download/").status_code == 404
    still = client.get(f"/packages/{package.number}/", headers={"HX-Request": "true"})
    assert "HX-Refresh" not in still
    packages.assemble(package)
    done = client.get(f"/packages/{package.number}/", headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"
    assert "Download ZIP" in client.get(f"/packages/{package.number}/").content.decode()


def test_a_failed_build_is_recorded_with_the_reason(case_with_evidence: Any, owner: User) -> None:
    video, _ = video_and_photo(case_with_evidence)
    stored = store_from_settings().path_for(video.sha256)  # type: ignore[attr-defined]
    os.chmod(stored, 0o644)
    stored.write_bytes(b"tampered")
    package = package_jobs.start_build(owner, purpose="DA", case=case_with_evidence)
    package.refresh_from_db()
    run = package_jobs.run_of(package)
    assert package.status == PackageStatus.FAILED
    assert "no longer matches its SHA-256" in package.error
    assert run is not None and run.status == TaskRunStatus.FAILED
    assert "no longer matches its SHA-256" in run.error
    assert not video.custody.filter(action="exported").exists()
    page = client_for(owner).get(f"/packages/{package.number}/").content.decode()
    assert "The build failed" in page and "no longer matches its SHA-256" in page
    assert "hx-trigger" not in page


# --- sending ------------------------------------------------------------------------------


def share_on_page(client: Client, package: EvidencePackage, **fields: str) -> Any:
    body = {"recipient": "Det. Ruiz", "agency": "Springfield PD", "days": "14", **fields}
    return client.post(f"/packages/{package.number}/shares/", body)


def test_the_share_link_is_emailed_to_the_recipient(case_with_evidence: Any, owner: User) -> None:
    package = packages.build_package(owner, purpose="DA", case=case_with_evidence)
    client = client_for(owner)
    response = share_on_page(client, package, email="det.ruiz@spd.example")
    assert response.status_code == 302
    (sent,) = mail.outbox
    assert sent.to == ["det.ruiz@spd.example"]
    assert package.number in sent.subject
    link = next(line.strip() for line in sent.body.splitlines() if "/shared/vgs_" in line)
    opened = Client().get(link)
    assert opened.status_code == 200 and package.number in opened.content.decode()
    page = client.get(f"/packages/{package.number}/").content.decode()
    assert "Link e-mailed to Det. Ruiz at det.ruiz@spd.example" in page
    sent_event = AuditEvent.objects.get(action="share_grant", object_id=str(package.pk))
    assert sent_event.changes["emailed_to"] == "det.ruiz@spd.example"


def test_a_share_needs_a_valid_email_address(case_with_evidence: Any, owner: User) -> None:
    package = packages.build_package(owner, purpose="DA", case=case_with_evidence)
    client = client_for(owner)
    share_on_page(client, package, email="not an address")
    assert "is not an e-mail address" in client.get(f"/packages/{package.number}/").content.decode()
    share_on_page(client, package, email="")
    assert not package.shares.exists()
    assert mail.outbox == []
    page = client.get(f"/packages/{package.number}/").content.decode()
    assert "the address the link is sent to" in page


def test_an_external_users_address_also_puts_it_in_their_portal(
    case_with_evidence: Any, owner: User
) -> None:
    package = packages.build_package(owner, purpose="DA", case=case_with_evidence)
    detective = make_user(Role.EXTERNAL, username="ruiz")
    detective.email = "Det.Ruiz@spd.example"
    detective.save()
    share_on_page(client_for(owner), package, email="det.ruiz@spd.example")
    grant = AccessGrant.objects.get(grantee=detective)
    assert grant.shared_object == package
    portal = client_for(detective).get("/portal/").content.decode()
    assert package.number in portal
    assert "/portal/" in mail.outbox[0].body


# --- downloads ----------------------------------------------------------------------------


def test_every_download_is_logged_and_listed_on_the_package(
    case_with_evidence: Any, owner: User
) -> None:
    package = packages.build_package(owner, purpose="DA", case=case_with_evidence)
    client = client_for(owner)
    assert client.get(f"/packages/{package.number}/download/").status_code == 200
    assert client.get(f"/api/v1/packages/{package.number}/content").status_code == 200
    share = post(
        client,
        f"/api/v1/packages/{package.number}/shares",
        {"recipient": "Det. Ruiz", "email": "det.ruiz@spd.example"},
    ).json()
    assert share["emailed"] is True
    assert Client().get(share["url"] + "download/").status_code == 200
    detective = make_user(Role.EXTERNAL, username="ruiz")
    from vigil.sharing import grants

    grant = grants.share(
        owner, package, until=timezone.now() + timedelta(days=30), reason="SPD", grantee=detective
    )
    assert client_for(detective).get(f"/portal/items/{grant.pk}/download/").status_code == 200

    routes = list(PackageDownload.objects.order_by("pk").values_list("route", flat=True))
    assert routes == [
        DownloadRoute.PAGE,
        DownloadRoute.API,
        DownloadRoute.LINK,
        DownloadRoute.PORTAL,
    ]
    page = client.get(f"/packages/{package.number}/").content.decode()
    assert "Share link" in page and "Recipient&#x27;s portal" in page and "Det. Ruiz" in page
    video, _ = video_and_photo(case_with_evidence)
    assert video.custody.filter(action="downloaded").count() == 4


def test_the_download_log_is_append_only(case_with_evidence: Any, owner: User) -> None:
    package = packages.build_package(owner, purpose="DA", case=case_with_evidence)
    client_for(owner).get(f"/packages/{package.number}/download/")
    download = PackageDownload.objects.get()
    with pytest.raises(Exception, match="cannot"):
        download.delete()
    with pytest.raises(Exception, match="cannot"):
        PackageDownload.objects.update(name="someone else")


# --- out of date, and rebuilt ---------------------------------------------------------------


def test_new_evidence_makes_a_package_out_of_date(case_with_evidence: Any, owner: User) -> None:
    package = packages.build_package(owner, purpose="DA", case=case_with_evidence)
    client = client_for(owner)
    assert "Out of date" not in client.get(f"/packages/{package.number}/").content.decode()
    added = add_evidence(
        owner, RECEIPT, filename="receipt.pdf", source="document", case=case_with_evidence.number
    )
    assert package_contents.changes_since(package) == [f"Evidence {added.number} added"]
    page = client.get(f"/packages/{package.number}/").content.decode()
    assert "Out of date" in page and f"Evidence {added.number} added" in page
    assert f"/packages/new/?rebuild={package.number}" in page


def test_a_revised_statement_makes_a_package_out_of_date(
    case_with_evidence: Any, owner: User
) -> None:
    package = packages.build_package(owner, purpose="DA", case=case_with_evidence)
    statements.revise(
        owner, Statement.objects.get(), "I saw them leave by door 3.", reason="Door number"
    )
    assert package_contents.changes_since(package) == ["Statement of Sam Cashier changed"]


def test_a_rebuild_is_a_new_version_and_the_old_one_still_verifies(
    case_with_evidence: Any, owner: User, tmp_path: Path
) -> None:
    video, photo = video_and_photo(case_with_evidence)
    first = packages.build_package(
        owner, purpose="DA", case=case_with_evidence, selection=Selection(evidence=(video.number,))
    )
    added = add_evidence(
        owner, RECEIPT, filename="receipt.pdf", source="document", case=case_with_evidence.number
    )
    client = client_for(owner)
    form = client.get(f"/packages/new/?rebuild={first.number}").content.decode()
    assert f'value="{video.number}" id="pick-{video.number}" checked' in form
    assert f'value="{added.number}" id="pick-{added.number}" checked' in form  # new since
    assert f'value="{photo.number}" id="pick-{photo.number}">' in form  # left out, stays out
    assert f"Evidence {added.number} added" in form
    body = choose_page_post(
        case_with_evidence,
        previous=first.number,
        evidence=[video.number, added.number],
        summary="1",
    )
    client.post("/packages/", body)
    second = EvidencePackage.objects.exclude(pk=first.pk).get()
    assert (second.version, second.previous) == (2, first)
    assert second.manifest["replaces"]["sha256"] == first.sha256
    assert {row["number"] for row in second.manifest["evidence"]} == {video.number, added.number}
    old_page = client.get(f"/packages/{first.number}/").content.decode()
    assert "Replaced by" in old_page and second.number in old_page
    assert "Out of date" not in client.get(f"/packages/{second.number}/").content.decode()
    first.refresh_from_db()
    assert packages.verify(first) == []
    folder = unzipped(first, tmp_path)
    assert sha256sum_check(folder).returncode == 0
    assert not (folder / f"evidence/{added.number}-receipt.pdf").exists()


def test_verifying_a_package_rechecks_the_zip_and_is_logged(
    case_with_evidence: Any, owner: User
) -> None:
    package = packages.build_package(owner, purpose="DA", case=case_with_evidence)
    client = client_for(owner)
    client.post(f"/packages/{package.number}/verification/")
    page = client.get(f"/packages/{package.number}/").content.decode()
    assert "Verified: the ZIP matches its SHA-256" in page
    event = AuditEvent.objects.get(action="evidence_verify", object_id=str(package.pk))
    assert event.changes == {"ok": True, "problems": []}
    stored = store_from_settings().path_for(package.sha256)  # type: ignore[attr-defined]
    os.chmod(stored, 0o644)
    stored.write_bytes(stored.read_bytes()[:-1] + b"!")
    assert packages.verify(package)[0].startswith("The stored ZIP's SHA-256 is")


def test_a_replaced_version_cannot_be_rebuilt_again(case_with_evidence: Any, owner: User) -> None:
    first = packages.build_package(owner, purpose="DA", case=case_with_evidence)
    packages.build_package(owner, purpose="DA", case=case_with_evidence, previous=first)
    body = choose_page_post(case_with_evidence, previous=first.number, summary="1")
    client_for(owner).post("/packages/", body)
    assert EvidencePackage.objects.count() == 2


# --- who may ------------------------------------------------------------------------------


def test_outsider_gets_404_for_another_stores_package_pages(
    case_with_evidence: Any, owner: User, outsider: User
) -> None:
    package = packages.build_package(owner, purpose="DA", case=case_with_evidence)
    client = client_for(outsider)
    for url in (
        f"/packages/{package.number}/",
        f"/packages/{package.number}/download/",
        f"/packages/new/?rebuild={package.number}",
        f"/packages/new/?case={case_with_evidence.number}",
    ):
        assert client.get(url).status_code == 404, url
    shared = client.post(f"/packages/{package.number}/shares/", {"email": "x@y.example"})
    assert shared.status_code == 404
    built = client.post("/packages/", choose_page_post(case_with_evidence))
    assert built.status_code == 404
    assert PackageDownload.objects.count() == 0 and mail.outbox == []


def test_only_an_investigator_may_build_or_share(
    case_with_evidence: Any, owner: User, teammate: User
) -> None:
    package = packages.build_package(owner, purpose="DA", case=case_with_evidence)
    client = client_for(teammate)
    assert client.get(f"/packages/{package.number}/").status_code == 200  # may read it
    assert client.get(f"/packages/new/?case={case_with_evidence.number}").status_code == 403
    assert client.post("/packages/", choose_page_post(case_with_evidence)).status_code == 403
    body = {"recipient": "Det. Ruiz", "email": "det.ruiz@spd.example"}
    assert client.post(f"/packages/{package.number}/shares/", body).status_code == 403
    assert EvidencePackage.objects.count() == 1 and mail.outbox == []
