"""A worker killed with SIGKILL in the middle of an import, for real: separate processes on a
database of their own (an SQLite file, or a fresh PostgreSQL database when the suite runs on
PostgreSQL), the way an operator would meet it.

After a second worker starts, the run is retried within 60 s; the retried import gives the
same leads as the engine finds in the export, nothing of the half-done attempt is visible, and
no temporary file is left.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vigil.engines.pos.generator import generate
from vigil.engines.pos.scanning import scan

VIGIL = str(Path(sys.executable).with_name("vigil"))
RECOVERY_DEADLINE = 60.0

SETUP = """
from pathlib import Path
from vigil.core import taskruns
from vigil.core.models import Organisation, Region, Role, ScopeKind, Store, User
from vigil.pos import uploads
from vigil.pos.tasks import import_and_scan
org = Organisation.objects.create(name="Crash test retail")
region = Region.objects.create(organisation=org, code="R1", name="One")
for code in ("S101", "S102"):
    Store.objects.create(region=region, code=code, name=code, timezone="America/Chicago")
user = User.objects.create_user(
    "importer", password="x" * 20, role=Role.LP_MANAGER, scope_kind=ScopeKind.EVERYTHING
)
archive = Path({archive!r})
with archive.open("rb") as body:
    folder = uploads.receive(body, archive.stat().st_size)
run = taskruns.start(
    import_and_scan, label="Import the crash test", requested_by=user, temp_paths=[folder],
    source=str(folder), name="Crash test", kind="upload",
)
print("RUN", run.pk)
"""


class Database:
    """A database of the test's own, read with plain SQL from outside the processes."""

    def __init__(self, url: str, query: Any, drop: Any) -> None:
        self.url, self._query, self._drop = url, query, drop

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return list(self._query(sql))

    def value(self, sql: str) -> Any:
        found = self.rows(sql)
        return found[0][0] if found else None


def _sqlite(folder: Path) -> Database:
    path = folder / "crash.sqlite3"

    def query(sql: str) -> list[tuple[Any, ...]]:
        connection = sqlite3.connect(path, timeout=20)
        try:
            return connection.execute(sql).fetchall()
        finally:
            connection.close()

    return Database(f"sqlite:///{path}", query, lambda: None)


def _postgres(base: str) -> Database:
    import psycopg

    name = f"vigil_crash_{uuid.uuid4().hex[:10]}"
    server = base.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def query(sql: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(f"{server}/{name}") as connection:
            return list(connection.execute(sql).fetchall())

    def drop() -> None:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return Database(f"{server}/{name}", query, drop)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    base = os.environ.get("DATABASE_URL", "")
    found = _postgres(base) if base.startswith(("postgres", "pgsql")) else _sqlite(tmp_path)
    try:
        yield found
    finally:
        found._drop()


@pytest.fixture
def export(tmp_path: Path) -> Path:
    folder = tmp_path / "export"
    generate(folder, stores=2, days=21, seed=7, transactions_per_register_day=60)
    return folder


def _zip(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return target


def _environment(database: Database, data_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DATABASE_URL=database.url,
        VIGIL_DATA_DIR=str(data_dir),
        VIGIL_TASK_LEASE_SECONDS="5",
        DEBUG="false",
        VIGIL_LOG_LEVEL="WARNING",
    )
    return env


def _vigil(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [VIGIL, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [VIGIL, "worker", "--interval", "0.2", "--no-startup-delay"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _wait_for(what: str, condition: Any, seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if condition():
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen within {seconds:.0f} s")


def test_a_worker_killed_mid_import_is_recovered_and_the_retry_gives_the_same_leads(
    database: Database, export: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "var"
    env = _environment(database, data_dir)
    _vigil(env, "migrate")
    archive = _zip(export, tmp_path / "export.zip")
    out = _vigil(env, "manage", "shell", "-c", SETUP.format(archive=str(archive)))
    run_id = out.split("RUN", 1)[1].strip()
    # SQLite keeps a UUID as 32 hex digits, PostgreSQL as a uuid.
    key = run_id if database.url.startswith("postgres") else uuid.UUID(run_id).hex
    run_of = f"FROM core_taskrun WHERE id = '{key}'"
    log = tmp_path / "workers.log"

    first = _worker(env, log)
    try:
        # Killed once the copy is written and the scan is running its rules: the worst
        # moment, with a data set row, a running scan and an upload on disk.
        _wait_for(
            "the scan getting under way",
            lambda: database.value(f"SELECT count(*) {run_of} AND message LIKE 'rule %'"),
            120,
        )
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    assert database.value(f"SELECT status {run_of}") == "running"  # what the crash leaves

    second = _worker(env, log)
    try:
        took = _wait_for(
            "the run's recovery",
            lambda: database.value(f"SELECT attempt {run_of}") == 2,
            RECOVERY_DEADLINE,
        )
        _wait_for(
            "the retried import",
            lambda: database.value(f"SELECT status {run_of}") in {"succeeded", "failed"},
            240,
        )
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=60)
    assert took < RECOVERY_DEADLINE
    status, error, result = database.rows(f"SELECT status, error, result {run_of}")[0]
    assert status == "succeeded", error + log.read_text()
    assert json.loads(result) if isinstance(result, str) else result

    done = database.rows("SELECT id FROM pos_scan WHERE status = 'done'")
    assert len(done) == 1, "one scan finished: the retry's"
    failed = database.rows("SELECT error FROM pos_scan WHERE status <> 'done'")
    assert len(failed) == 1 and "worker stopped" in failed[0][0], failed
    assert database.value("SELECT count(*) FROM pos_dataset") == 1
    stray = database.value(
        f"SELECT count(*) FROM pos_posexception WHERE first_scan_id <> {done[0][0]}"
    )
    assert stray == 0, "no lead of the half-done attempt is visible"

    expected = {(r["rule"], r["store_id"], r["transaction_id"]) for r in scan(export)["exceptions"]}
    stored = database.rows(
        "SELECT e.rule, s.code, e.transaction_id FROM pos_posexception e "
        "JOIN core_store s ON s.id = e.store_id"
    )
    assert {tuple(row) for row in stored} == expected
    assert len(stored) == len(expected)

    uploads = data_dir / "pos" / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir()), "the upload was removed"
    left = [path.name for path in (data_dir / "pos" / "data-sets").iterdir()]
    assert not [name for name in left if name.endswith(".part")], left
    shutil.rmtree(data_dir, ignore_errors=True)
