"""Leads that last: the same export twice changes nothing, an overlapping export adds only its
new transactions' leads, and a review survives every scan again."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from django.core.management import call_command
from django.test import Client

from tests.conftest import client_for, make_user
from tests.pos.csvfiles import set_cell
from vigil.core import taskruns
from vigil.core.models import Role, Store, TaskRunStatus, User
from vigil.engines.pos.generator import generate
from vigil.engines.pos.scanning import scan
from vigil.pos import imports, reviews
from vigil.pos.models import DataSet, ExplanationReason, PosException, ReviewStatus
from vigil.pos.tasks import import_and_scan

FIRST_DAY = date(2026, 3, 2)
TABLES_BY_TRANSACTION = ("line_items", "tenders")


@pytest.fixture(scope="module")
def nine_days(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pos") / "nine-days"
    generate(folder, stores=2, days=9, seed=11, transactions_per_register_day=12)
    return folder


@pytest.fixture(scope="module")
def first_six(nine_days: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Days 1-6 of the nine, as one export."""
    return _days_of(nine_days, tmp_path_factory.mktemp("pos") / "days-1-6", 0, 5)


@pytest.fixture(scope="module")
def last_six(nine_days: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Days 4-9: the next export, repeating the first one's last three days."""
    return _days_of(nine_days, tmp_path_factory.mktemp("pos") / "days-4-9", 3, 8)


def _days_of(source: Path, target: Path, first: int, last: int) -> Path:
    """The transactions of days ``first``..``last`` (0-based) with their lines and tenders."""
    target.mkdir(parents=True)
    since, until = FIRST_DAY + timedelta(days=first), FIRST_DAY + timedelta(days=last)
    connection = duckdb.connect()
    try:
        read = f"read_csv('{source}/{{}}.csv', all_varchar=true)"
        connection.execute(
            f"CREATE TABLE picked AS SELECT * FROM {read.format('transactions')} "
            f"WHERE business_date BETWEEN '{since}' AND '{until}'"
        )
        _write(connection, "SELECT * FROM picked", target / "transactions.csv")
        for name in TABLES_BY_TRANSACTION:
            _write(
                connection,
                f"SELECT * FROM {read.format(name)} WHERE transaction_id IN "
                "(SELECT transaction_id FROM picked)",
                target / f"{name}.csv",
            )
    finally:
        connection.close()
    for name in ("stores", "employees"):
        shutil.copy(source / f"{name}.csv", target / f"{name}.csv")
    return target


def _write(connection: duckdb.DuckDBPyConnection, query: str, target: Path) -> None:
    connection.execute(f"COPY ({query}) TO '{target}' (HEADER, DELIMITER ',')")


def _in_background(user: User, folder: Path) -> taskruns.TaskRun:
    return taskruns.start(
        import_and_scan, label="Import", requested_by=user, source=str(folder),
        name="Days 1-6", kind="folder",
    )  # fmt: skip


def _import_and_scan(user: User, folder: Path, name: str) -> DataSet:
    data_set = imports.import_data_set(user, folder, name, "folder")
    imports.scan_data_set(data_set, user)
    return data_set


def _to_review(client: Client) -> int:
    response = client.get("/reports/")
    assert response.status_code == 200
    queue = {kpi.label: kpi.value for kpi in response.context["queue"]}
    return int(queue["POS exceptions to review"].replace(",", ""))


def _zip_of(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return buffer.getvalue()


# --- the same content again ------------------------------------------------------------------


def test_the_same_export_uploaded_twice_adds_nothing(first_six: Path, investigator: User) -> None:
    client = client_for(investigator)
    body = _zip_of(first_six)
    answers = [
        client.post("/api/v1/pos/data-sets?name=Monday", body, content_type="application/zip")
        for _ in range(2)
    ]
    assert [answer.status_code for answer in answers] == [202, 202]
    leads, queue = PosException.objects.count(), _to_review(client)
    assert leads > 0 and queue == leads
    again = taskruns.TaskRun.objects.get(pk=answers[1].json()["task_run"])
    assert again.status == TaskRunStatus.SUCCEEDED
    assert again.result["duplicate"] is True
    assert "already imported" in again.message and "Monday" in again.message
    assert DataSet.objects.count() == 1
    assert PosException.objects.count() == leads and _to_review(client) == queue


def test_the_same_folder_in_the_inbox_under_two_names_is_imported_once(
    first_six: Path, investigator: User, settings: Any
) -> None:
    for name in ("monday", "monday-again"):
        shutil.copytree(first_six, imports.inbox() / name)
    call_command("pos_nightly", "--as", investigator.username)
    leads, queue = PosException.objects.count(), _to_review(client_for(investigator))
    call_command("pos_nightly", "--as", investigator.username)
    assert DataSet.objects.count() == 1
    assert DataSet.objects.get().inbox_folder == "monday"
    assert PosException.objects.count() == leads > 0
    assert _to_review(client_for(investigator)) == queue


def test_an_export_of_the_same_content_is_refused_naming_the_first_import(
    first_six: Path, investigator: User, tmp_path: Path
) -> None:
    _import_and_scan(investigator, first_six, "Week 10")
    renamed = tmp_path / "export-copy"
    shutil.copytree(first_six, renamed)
    with pytest.raises(imports.AlreadyImported, match=r"already imported on .* as .Week 10."):
        imports.import_data_set(investigator, renamed, "Week 10 again", "folder")


def test_the_digest_is_of_the_contents_not_of_the_names(first_six: Path, tmp_path: Path) -> None:
    from vigil.pos.digests import content_digest

    copy = tmp_path / "elsewhere"
    shutil.copytree(first_six, copy)
    assert content_digest(copy) == content_digest(first_six)
    (copy / "notes.txt").write_text("not a table")
    assert content_digest(copy) == content_digest(first_six)
    with (copy / "tenders.csv").open("a") as tenders:
        tenders.write("\n")
    assert content_digest(copy) != content_digest(first_six)


# --- overlapping exports ---------------------------------------------------------------------


def test_an_export_overlapping_by_three_days_adds_only_the_new_transactions_leads(
    first_six: Path, last_six: Path, investigator: User
) -> None:
    first = _import_and_scan(investigator, first_six, "Days 1-6")
    before = set(PosException.objects.values_list("rule", "store__code", "transaction_id"))
    second = _import_and_scan(investigator, last_six, "Days 4-9")
    assert second.known_transactions > 0
    ((days_7_to_9,),) = duckdb.sql(
        f"SELECT count(*) FROM read_csv('{last_six}/transactions.csv', all_varchar=true) "
        f"WHERE business_date >= '{FIRST_DAY + timedelta(days=6)}'"
    ).fetchall()
    assert second.new_transactions == days_7_to_9 > 0
    added = PosException.objects.filter(data_set=second)
    new_days = FIRST_DAY + timedelta(days=6)
    assert added.exists() and not added.filter(business_date__lt=new_days).exists()
    after = set(PosException.objects.values_list("rule", "store__code", "transaction_id"))
    assert before <= after
    engine = scan(imports.folder_of(second))["exceptions"]
    repeated = {(r["rule"], r["store_id"], r["transaction_id"]) for r in engine} & before
    assert len(after) == len(before) + added.count()
    assert PosException.objects.filter(data_set=first).count() == len(before)
    assert repeated, "the overlap raised leads again, and none of them was added twice"


# --- reviews survive scans -------------------------------------------------------------------


def _review_ten(investigator: User) -> tuple[list[PosException], Any]:
    leads = list(PosException.objects.order_by("-severity", "pk")[:10])
    reason = ExplanationReason.objects.first()
    reviews.review_many(investigator, leads[:6], ReviewStatus.EXPLAINED, "seen on video", reason)
    for lead in leads[6:9]:
        reviews.review(investigator, lead, ReviewStatus.COACHING, "refresher on post-voids")
    case = reviews.escalate(investigator, leads[9], "pattern across weeks")
    return leads, case


def test_ten_reviews_keep_their_status_note_and_case_when_scanned_again(
    first_six: Path, investigator: User
) -> None:
    data_set = _import_and_scan(investigator, first_six, "Days 1-6")
    count = PosException.objects.count()
    leads, case = _review_ten(investigator)
    again = imports.scan_data_set(data_set, investigator)
    assert again.leads["new"] == 0 and again.leads["no_longer_raised"] == 0
    assert PosException.objects.count() == count
    kept = {lead.pk: lead for lead in PosException.objects.filter(pk__in=[x.pk for x in leads])}
    assert [kept[lead.pk].status for lead in leads] == [ReviewStatus.EXPLAINED] * 6 + [
        ReviewStatus.COACHING
    ] * 3 + [ReviewStatus.ESCALATED]
    assert kept[leads[0].pk].review_note == "seen on video" and kept[leads[0].pk].reason
    assert kept[leads[9].pk].case == case
    assert all(kept[lead.pk].last_scan == again for lead in leads)


def test_a_rule_switched_off_leaves_its_leads_no_longer_raised_with_their_review(
    first_six: Path, investigator: User, settings: Any
) -> None:
    data_set = _import_and_scan(investigator, first_six, "Days 1-6")
    leads, _ = _review_ten(investigator)
    rule = leads[0].rule
    of_rule = PosException.objects.filter(rule=rule).count()
    settings.POS_RULES_OFF = (rule,)
    again = imports.scan_data_set(data_set, investigator)
    assert again.leads["no_longer_raised"] == of_rule
    gone = PosException.objects.filter(rule=rule)
    assert gone.count() == of_rule and not gone.filter(no_longer_raised_at__isnull=True).exists()
    first = PosException.objects.get(pk=leads[0].pk)
    assert not first.is_raised and first.status == ReviewStatus.EXPLAINED
    assert not PosException.objects.to_review().filter(rule=rule).exists()
    settings.POS_RULES_OFF = ()
    back = imports.scan_data_set(data_set, investigator)
    assert back.leads["updated"] == of_rule and PosException.objects.get(pk=leads[0].pk).is_raised


def _first_rule_switched_off(user: User, folder: Path, settings: Any) -> PosException:
    """Import and scan ``folder``, then scan again with its first lead's rule switched off;
    that lead, now no longer raised."""
    data_set = _import_and_scan(user, folder, "Days 1-6")
    lead = PosException.objects.order_by("pk").first()
    assert lead is not None
    settings.POS_RULES_OFF = (lead.rule,)
    imports.scan_data_set(data_set, user)
    lead.refresh_from_db()
    return lead


def test_the_report_shows_a_no_longer_raised_lead_only_when_asked(
    first_six: Path, investigator: User, settings: Any
) -> None:
    lead = _first_rule_switched_off(investigator, first_six, settings)
    client = client_for(investigator)
    shown = client.get("/pos/", {"rule": lead.rule}).context["table"]
    assert shown.paginator.count == 0
    gone = client.get("/pos/", {"rule": lead.rule, "raised": "gone"})
    assert gone.context["table"].paginator.count > 0
    assert "no longer raised" in gone.content.decode()


def test_the_import_task_says_what_a_scan_changed(first_six: Path, investigator: User) -> None:
    run = _in_background(investigator, first_six)
    run.refresh_from_db()
    assert run.status == TaskRunStatus.SUCCEEDED, run.error
    assert run.result["leads"]["new"] == PosException.objects.count()
    assert run.message.startswith(f"Days 1-6: {PosException.objects.count():,} new leads")


def test_the_run_page_links_to_the_leads_it_raised(first_six: Path, investigator: User) -> None:
    run = _in_background(investigator, first_six)
    page = client_for(investigator).get(f"/task-runs/{run.pk}/").content.decode()
    data_set = DataSet.objects.get()
    assert f"/pos/?data_set={data_set.pk}" in page and "The leads of Days 1-6" in page


def test_the_nightly_job_imports_a_folder_written_again_with_new_content(
    first_six: Path, last_six: Path, investigator: User
) -> None:
    daily = imports.inbox() / "daily"
    shutil.copytree(first_six, daily)
    call_command("pos_nightly", "--as", investigator.username)
    shutil.rmtree(daily)
    shutil.copytree(last_six, daily, copy_function=shutil.copy)  # tonight's files, new dates
    call_command("pos_nightly", "--as", investigator.username)
    assert DataSet.objects.filter(inbox_folder="daily").count() == 2


# --- imports cut short -----------------------------------------------------------------------


def _cut_short(user: User, folder: Path, process: str) -> DataSet:
    """An import whose process died during its scan: the copy and its row, a scan running."""
    data_set = imports.import_data_set(user, folder, "Cut short", "folder")
    data_set.scans.create(engine="duckdb", process=process)
    return data_set


def test_an_import_cut_short_is_taken_up_again_and_its_dead_scan_failed(
    first_six: Path, investigator: User
) -> None:
    import socket

    data_set = _cut_short(investigator, first_six, f"{socket.gethostname()}:999999999")
    again = imports.import_data_set(investigator, first_six, "Again", "folder")
    assert again == data_set
    dead = data_set.scans.get()
    assert dead.status == "failed" and "stopped before it finished" in dead.error
    imports.scan_data_set(again, investigator)
    assert PosException.objects.filter(data_set=data_set).exists()


def test_the_same_export_while_its_first_import_runs_adds_nothing(
    first_six: Path, investigator: User
) -> None:
    import os
    import socket

    alive = f"{socket.gethostname()}:{os.getppid()}"  # a live process of this host
    _cut_short(investigator, first_six, alive)
    with pytest.raises(imports.ImportInProgress, match="being imported right now"):
        imports.import_data_set(investigator, first_six, "Again", "folder")


def test_a_copy_left_on_disk_without_its_row_is_not_taken_for_an_earlier_import(
    first_six: Path, investigator: User
) -> None:
    orphan = imports.data_sets_root() / "orphan"
    shutil.copytree(first_six, orphan)
    shutil.copy(first_six / "transactions.csv", orphan / "transactions.csv")
    connection = duckdb.connect()
    connection.execute(
        f"COPY (SELECT * FROM read_csv('{first_six}/transactions.csv', all_varchar=true)) "
        f"TO '{orphan}/transactions.parquet' (FORMAT parquet)"
    )
    connection.close()
    data_set = _import_and_scan(investigator, first_six, "Days 1-6")
    assert data_set.known_transactions == 0
    assert PosException.objects.filter(data_set=data_set).count() > 0


def test_an_id_longer_than_vigil_keeps_is_refused_naming_the_column(
    first_six: Path, investigator: User, tmp_path: Path
) -> None:
    long_ids = tmp_path / "long"
    shutil.copytree(first_six, long_ids)
    set_cell(long_ids / "transactions.csv", 1, "register_id", "R" * 70)
    with pytest.raises(imports.ImportRefused, match=r"register_id.*70 characters"):
        imports.import_data_set(investigator, long_ids, "Long", "folder")
    assert not DataSet.objects.exists()


def test_only_someone_who_sees_every_store_scans_a_data_set_again(
    first_six: Path, investigator: User, chain: dict[str, Store]
) -> None:
    data_set = _import_and_scan(investigator, first_six, "Days 1-6")
    one_store = make_user(Role.REGIONAL_DIRECTOR, stores=(chain["S101"],))
    response = client_for(one_store).post(f"/pos/data-sets/{data_set.pk}/scans/", follow=True)
    assert "stores you cannot see" in response.content.decode()
    assert data_set.scans.count() == 1


def test_the_api_lists_leads_no_longer_raised_when_asked(
    first_six: Path, investigator: User, settings: Any
) -> None:
    lead = _first_rule_switched_off(investigator, first_six, settings)
    client = client_for(investigator)
    count = PosException.objects.filter(rule=lead.rule).count()
    raised = client.get("/api/v1/pos/exceptions", {"rule": lead.rule}).json()
    gone = client.get("/api/v1/pos/exceptions", {"rule": lead.rule, "raised": "gone"}).json()
    both = client.get("/api/v1/pos/exceptions", {"rule": lead.rule, "raised": "all"}).json()
    assert (raised["count"], gone["count"], both["count"]) == (0, count, count)
    assert gone["items"][0]["raised"] is False


def test_the_nightly_job_reads_a_folder_rewritten_with_old_dates(
    first_six: Path, last_six: Path, investigator: User
) -> None:
    daily = imports.inbox() / "daily"
    shutil.copytree(first_six, daily)
    call_command("pos_nightly", "--as", investigator.username)
    shutil.rmtree(daily)
    shutil.copytree(last_six, daily)  # copy2: the files keep their (older) dates
    call_command("pos_nightly", "--as", investigator.username)
    assert DataSet.objects.filter(inbox_folder="daily").count() == 2
