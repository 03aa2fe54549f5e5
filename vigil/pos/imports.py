"""Bringing a POS data set into Vigil, and storing what a scan of it finds.

A data set is its content: before anything is read, the import takes the digest of its tables
(:mod:`vigil.pos.digests`), and the same content again is refused with the name and date of
the first import, adding nothing. An import is all or nothing: the engine checks every cell
against the contract first, every store in the data must be a Vigil store the importer may
see, and the checked tables are written as Parquet into a hidden folder that is renamed into
place only when complete. Only then is the ``DataSet`` row written. The copy keeps
timestamps as their original text, so a scan of the copy reports times with the data's own
UTC offsets, exactly as a scan of the original files would.

An export that overlaps an earlier one (the same transactions again, in a new export) is
imported whole, so its rules see every transaction they need, but a transaction already
imported, by (store_id, transaction_id), stays with the data set that brought it first: the
new data set's scans raise leads only on its new transactions (see :mod:`vigil.pos.leads`).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import socket
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from vigil.core import recovery, taskruns
from vigil.core.models import Store, TaskRunStatus, User
from vigil.core.roles import Capability, require
from vigil.core.scoping import scope_of
from vigil.engines.pos import loading
from vigil.engines.pos.contract import BY_NAME
from vigil.engines.pos.errors import ContractError
from vigil.engines.pos.loading import EXTENSIONS
from vigil.engines.pos.scanning import ScanOptions, Step, scan
from vigil.pos import leads, regions
from vigil.pos.digests import content_digest, folder_signature
from vigil.pos.models import DataSet, Scan, ScanStatus
from vigil.pos.signals import data_set_scanned

logger = logging.getLogger(__name__)
# The (store_id, transaction_id) pairs of a data set that an earlier data set brought first.
KNOWN_FILE = "known_transactions.parquet"
# The longest ids a lead keeps (its fields' max_length).
# A scan started by a command on another host is taken for alive this long.
STILL_RUNNING_FOR = dt.timedelta(hours=6)
LONGEST = (
    ("transactions", "transaction_id", 100),
    ("transactions", "register_id", 64),
    ("transactions", "employee_id", 64),
)


class ImportRefused(Exception):
    """The data set cannot be imported; the message says where and why. Nothing was kept."""

    user_message = True


class AlreadyImported(ImportRefused):
    """The same content was imported before: nothing is added, and the first import named."""

    def __init__(self, data_set: DataSet | None) -> None:
        self.data_set = data_set
        super().__init__(f"{self.describe(data_set)}; nothing was added.")

    @staticmethod
    def describe(data_set: DataSet | None) -> str:
        if data_set is None:
            return "This export was already imported (into stores you cannot see)"
        when = timezone.localdate(data_set.created_at).strftime("%-d %b %Y")
        return f"This export was already imported on {when} as \u201c{data_set.name}\u201d"


class ImportInProgress(AlreadyImported):
    """The same content is being imported right now, by another job."""

    @staticmethod
    def describe(data_set: DataSet | None) -> str:
        named = f" as \u201c{data_set.name}\u201d" if data_set is not None else ""
        return (
            f"This export is being imported right now{named}; "
            "its leads appear when that scan finishes"
        )


def data_sets_root() -> Path:
    return Path(settings.DATA_DIR) / "pos" / "data-sets"


def inbox() -> Path:
    """Where data sets are dropped on the server, one folder each, to be imported."""
    return Path(settings.DATA_DIR) / "pos" / "inbox"


def inbox_folders() -> list[str]:
    root = inbox()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def folder_of(data_set: DataSet) -> Path:
    return data_sets_root() / data_set.folder


def import_data_set(
    user: User,
    source: Path,
    name: str,
    kind: str,
    step: Step | None = None,
    inbox_folder: str = "",
) -> DataSet:
    """Check ``source`` (a contract data set) and keep a copy of it as a new data set.

    Content imported before raises :class:`AlreadyImported`, unless that import was cut
    short before its first scan finished: then it is that data set that is returned, for the
    caller to scan, so an import tried again after a crash carries on where it stopped.
    """
    require(user, Capability.INVESTIGATE)
    label = name.strip() or source.name
    try:
        signature = folder_signature(source)
        digest = content_digest(source)
    except ContractError as error:
        raise refusal(error, source, label) from None
    existing = DataSet.objects.filter(digest=digest).first()
    if existing is not None:
        return _resumed_or_refused(user, existing)
    try:
        data = loading.load(source, progress=step)
    except ContractError as error:
        raise refusal(error, source, label) from None
    try:
        _check_lengths(data.connection)
        stores = _stores_of(user, data.connection)
        mapped = regions.region_map(data.connection, stores)
        first, last = _extent(data.connection)
        folder = uuid.uuid4().hex
        known = _known_transactions(data.connection)
        _copy(data, folder)
    finally:
        data.connection.close()
    try:
        with transaction.atomic():
            data_set = DataSet.objects.create(
                name=label,
                folder=folder,
                source=kind,
                inbox_folder=inbox_folder,
                digest=digest,
                source_signature=signature,
                rows=data.rows,
                known_transactions=known,
                regions=mapped,
                first_day=first,
                last_day=last,
                created_by=user,
            )
            data_set.stores.set(stores)
        taskruns.disown_scratch(data_sets_root() / folder)
    except IntegrityError:
        # The same export, imported by someone else a moment ago.
        shutil.rmtree(data_sets_root() / folder, ignore_errors=True)
        raise AlreadyImported(
            DataSet.objects.visible_to(user).filter(digest=digest).first()
        ) from None
    except BaseException:
        shutil.rmtree(data_sets_root() / folder, ignore_errors=True)
        raise
    return data_set


def refusal(error: ContractError, source: Path, label: str) -> ImportRefused:
    """The contract error as a person reads it: no server path, the data set by its name."""
    text = str(error)
    for path in {str(source), str(source.resolve())}:
        text = text.replace(path + "/", "").replace(path, label)
    return ImportRefused(text.replace(str(settings.DATA_DIR), "…"))


def _resumed_or_refused(user: User, existing: DataSet) -> DataSet:
    """The data set again, to be scanned, when its import died before a scan finished and
    the importer may see every one of its stores; else why nothing is added."""
    visible = DataSet.objects.visible_to(user).filter(pk=existing.pk).first()
    if existing.scans.filter(status=ScanStatus.DONE).exists() or not sees_every_store(
        user, existing
    ):
        raise AlreadyImported(visible)
    for running in existing.scans.filter(status=ScanStatus.RUNNING).select_related("task_run"):
        if _still_running(running):
            raise ImportInProgress(visible)
        running.status, running.finished_at = ScanStatus.FAILED, timezone.now()
        running.error = "stopped before it finished (its process is gone)"
        running.save(update_fields=["status", "finished_at", "error"])
    return existing


def sees_every_store(user: User, data_set: DataSet) -> bool:
    """Whether ``user`` may see every store of the data set: needed to import it again or to
    scan it, since a scan changes the leads of all its stores."""
    scope = scope_of(user)
    return all(scope.allows(pk) for pk in data_set.stores.values_list("pk", flat=True))


def _still_running(scan_row: Scan) -> bool:
    """Whether a scan marked running is being worked on by someone: its job is queued or
    running (and is not the very job now resuming it), or its process lives on this host."""
    run = scan_row.task_run
    if run is not None:
        mine = str(run.pk) == taskruns.current_run_id()
        return not mine and run.status in {TaskRunStatus.QUEUED, TaskRunStatus.RUNNING}
    host, _, pid = scan_row.process.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        return _process_alive(int(pid))
    # Another host's command: taken for alive while it could plausibly still be at work.
    return bool(scan_row.started_at > timezone.now() - STILL_RUNNING_FOR)


def _process_alive(pid: int) -> bool:
    # This process is the one resuming: a scan it started before was an earlier try.
    return pid != os.getpid() and recovery.process_alive(pid)


def _stores_of(user: User, connection: Any) -> list[Store]:
    rows = connection.execute(
        "SELECT store_id FROM stores UNION SELECT DISTINCT store_id FROM transactions"
    ).fetchall()
    codes = sorted({str(row[0]) for row in rows})
    scope = scope_of(user)
    found = Store.objects.filter(code__in=codes).select_related("region")
    known = {store.code: store for store in found}
    refused = [code for code in codes if code not in known or not scope.allows(known[code].pk)]
    if refused:
        raise ImportRefused(
            f"stores.csv: store(s) {', '.join(refused)} are not Vigil stores you can see; "
            "add them in Vigil (Stores) or ask an administrator, then import again"
        )
    return [known[code] for code in codes]


def _check_lengths(connection: Any) -> None:
    """Ids longer than Vigil keeps are refused here, naming the column, rather than failing
    (or, worse, being cut) when the leads are stored."""
    for table, column, longest in LONGEST:
        row = connection.execute(
            f'SELECT max(length("{column}")) FROM {table}'  # names from LONGEST, not input
        ).fetchone()
        if row and row[0] and int(row[0]) > longest:
            raise ImportRefused(
                f"{table}: column {column!r} holds a value of {int(row[0]):,} characters; "
                f"Vigil keeps at most {longest}. Shorten the ids in the export."
            )


def _extent(connection: Any) -> tuple[date | None, date | None]:
    row = connection.execute("SELECT min(business_date), max(business_date) FROM transactions")
    first, last = row.fetchone() or (None, None)
    return first, last


def _known_transactions(connection: Any) -> int:
    """Mark the transactions an earlier data set brought first (by store and transaction id),
    in a table ``known`` kept with the copy; how many there are."""
    # The data sets on record, not every folder on disk: a copy left by a crash before its
    # row was written brought nothing in.
    folders = DataSet.objects.order_by("pk").values_list("folder", flat=True)
    paths = [data_sets_root() / folder / "transactions.parquet" for folder in folders]
    earlier = [str(path).replace("'", "''") for path in paths if path.exists()]
    if earlier:
        listed = ", ".join(f"'{path}'" for path in earlier)
        connection.execute(
            "CREATE TABLE known AS SELECT DISTINCT t.store_id, t.transaction_id "
            f"FROM transactions t JOIN read_parquet([{listed}]) k "
            "ON k.store_id = t.store_id AND k.transaction_id = t.transaction_id"
        )
    else:
        connection.execute("CREATE TABLE known (store_id VARCHAR, transaction_id VARCHAR)")
    row = connection.execute("SELECT count(*) FROM known").fetchone()
    return int(row[0]) if row else 0


def _copy(data: loading.DataSet, folder: str) -> None:
    """Write every table as Parquet, timestamps as their original text, then move into place."""
    root = data_sets_root()
    root.mkdir(parents=True, exist_ok=True)
    partial = root / f".{folder}.part"
    partial.mkdir()
    taskruns.own_scratch(partial)
    try:
        for name, table in BY_NAME.items():
            columns = [
                f'"{c.name}_text" AS "{c.name}"' if c.type == "ts" else f'"{c.name}"'
                for c in table.columns
            ] + [f'"{extra}"' for extra in EXTENSIONS.get(name, ())]
            _write(data, f"SELECT {', '.join(columns)} FROM {name}", partial / f"{name}.parquet")
        _write(data, "SELECT * FROM known", partial / KNOWN_FILE)
        taskruns.own_scratch(root / folder)  # until its row is written, it is scratch too
        partial.rename(root / folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def _write(data: loading.DataSet, query: str, target: Path) -> None:
    quoted = str(target).replace("'", "''")
    data.connection.execute(f"COPY ({query}) TO '{quoted}' (FORMAT parquet)")


# --- scanning a data set and keeping the results ---------------------------------------------


def scan_data_set(
    data_set: DataSet, user: User | None = None, engine: str = "duckdb", step: Step | None = None
) -> Scan:
    """Run the engine over a data set's copy and bring its leads and rankings up to date.

    Nothing of a scan is visible until it is complete: its leads and rankings are written in
    one transaction with the scan's "done"."""
    run = Scan.objects.create(
        data_set=data_set,
        engine=engine,
        started_by=user,
        task_run_id=taskruns.current_run_id(),
        process=f"{socket.gethostname()}:{os.getpid()}",
    )
    try:
        result = scan(folder_of(data_set), scan_options(engine), step=step)
        with transaction.atomic():
            counts = leads.record(run, data_set, result, known_of(data_set))
            leads.record_rankings(run, data_set, result, regions.renamer(regions_of(data_set)))
            run.status = ScanStatus.DONE
            run.rules = result["rules"]
            run.exception_count = len(result["exceptions"])
            run.leads = counts
            run.finished_at = timezone.now()
            run.save()
    except ContractError as error:
        said = str(refusal(error, folder_of(data_set), data_set.name))
        run.status, run.error, run.finished_at = ScanStatus.FAILED, said, timezone.now()
        run.save()
        raise ImportRefused(f"the scan failed: {said}") from None
    except OSError as error:
        said = f"the data set's copy could not be read ({error.strerror or error})"
        run.status, run.error, run.finished_at = ScanStatus.FAILED, said, timezone.now()
        run.save()
        raise ImportRefused(f"the scan failed: {said}") from None
    except BaseException as error:
        # Anything else (the database refusing the leads, a stop) still ends the scan: a
        # scan left "running" would be taken for one at work.
        Scan.objects.filter(pk=run.pk, status=ScanStatus.RUNNING).update(
            status=ScanStatus.FAILED,
            finished_at=timezone.now(),
            error=f"the scan stopped before it finished ({type(error).__name__})",
        )
        raise
    data_set_scanned.send(sender=DataSet, data_set=data_set, user=user)
    return run


def scan_options(engine: str) -> ScanOptions:
    """The rules every scan in the app runs: the built-in ones and the operator's own
    (``VIGIL_POS_RULES``), less those switched off (``VIGIL_POS_RULES_OFF``)."""
    extra = (settings.POS_RULES_DIR,) if settings.POS_RULES_DIR else ()
    return ScanOptions(engine=engine, rules=extra, rules_off=frozenset(settings.POS_RULES_OFF))


def regions_of(data_set: DataSet) -> regions.RegionMap:
    """The data set's region codes mapped to the organisation's regions: as mapped on import,
    or, for a data set imported before the mapping was kept, mapped now from its copy."""
    if data_set.regions:
        return dict(data_set.regions)
    path = folder_of(data_set) / "stores.parquet"
    if not path.exists():
        return {}
    mapped = regions.region_map_of_copy(str(path), data_set.stores.select_related("region"))
    DataSet.objects.filter(pk=data_set.pk).update(regions=mapped)
    data_set.regions = mapped
    return mapped


def known_of(data_set: DataSet) -> set[tuple[str, str]]:
    """The (store code, transaction id) pairs of the data set an earlier data set owns."""
    import duckdb

    path = folder_of(data_set) / KNOWN_FILE
    if not path.exists():
        return set()  # imported before overlap was tracked: it owns all it holds
    connection = duckdb.connect()
    try:
        quoted = str(path).replace("'", "''")
        rows = connection.execute(
            f"SELECT store_id, transaction_id FROM read_parquet('{quoted}')"
        ).fetchall()
    finally:
        connection.close()
    return {(str(store), str(number)) for store, number in rows}
