"""Bringing a POS data set into Vigil, and storing what a scan of it finds.

An import is all or nothing: the engine checks every cell against the contract first, every
store in the data must be a Vigil store the importer may see, and the checked tables are
written as Parquet into a hidden folder that is renamed into place only when complete. Only
then is the ``DataSet`` row written. The copy keeps timestamps as their original text, so a
scan of the copy reports times with the data's own UTC offsets, exactly as a scan of the
original files would.
"""

from __future__ import annotations

import logging
import shutil
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vigil.core.models import Person, Store, User
from vigil.core.roles import Capability, require
from vigil.core.scoping import scope_of
from vigil.engines.pos import loading
from vigil.engines.pos.contract import BY_NAME
from vigil.engines.pos.errors import ContractError
from vigil.engines.pos.loading import EXTENSIONS
from vigil.engines.pos.scanning import ScanOptions, scan
from vigil.pos.models import (
    DataSet,
    EmployeeRisk,
    PosException,
    Scan,
    ScanStatus,
    StoreRisk,
)
from vigil.pos.signals import data_set_scanned

logger = logging.getLogger(__name__)
Step = Callable[[str], None]


class ImportRefused(Exception):
    """The data set cannot be imported; the message says where and why. Nothing was kept."""


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
    """Check ``source`` (a contract data set) and keep a copy of it as a new data set."""
    require(user, Capability.INVESTIGATE)
    try:
        data = loading.load(source, progress=step)
    except ContractError as error:
        raise ImportRefused(str(error)) from None
    try:
        stores = _stores_of(user, data.connection)
        first, last = _extent(data.connection)
        folder = uuid.uuid4().hex
        _copy(data, folder)
    finally:
        data.connection.close()
    try:
        with transaction.atomic():
            data_set = DataSet.objects.create(
                name=name.strip() or source.name,
                folder=folder,
                source=kind,
                inbox_folder=inbox_folder,
                rows=data.rows,
                first_day=first,
                last_day=last,
                created_by=user,
            )
            data_set.stores.set(stores)
    except Exception:
        shutil.rmtree(data_sets_root() / folder, ignore_errors=True)
        raise
    return data_set


def _stores_of(user: User, connection: Any) -> list[Store]:
    rows = connection.execute(
        "SELECT store_id FROM stores UNION SELECT DISTINCT store_id FROM transactions"
    ).fetchall()
    codes = sorted({str(row[0]) for row in rows})
    scope = scope_of(user)
    known = {store.code: store for store in Store.objects.filter(code__in=codes)}
    refused = [code for code in codes if code not in known or not scope.allows(known[code].pk)]
    if refused:
        raise ImportRefused(
            f"stores.csv: store(s) {', '.join(refused)} are not Vigil stores you can see; "
            "add them in Vigil (Stores) or ask an administrator, then import again"
        )
    return [known[code] for code in codes]


def _extent(connection: Any) -> tuple[date | None, date | None]:
    row = connection.execute("SELECT min(business_date), max(business_date) FROM transactions")
    first, last = row.fetchone() or (None, None)
    return first, last


def _copy(data: loading.DataSet, folder: str) -> None:
    """Write every table as Parquet, timestamps as their original text, then move into place."""
    root = data_sets_root()
    root.mkdir(parents=True, exist_ok=True)
    partial = root / f".{folder}.part"
    partial.mkdir()
    try:
        for name, table in BY_NAME.items():
            columns = [
                f'"{c.name}_text" AS "{c.name}"' if c.type == "ts" else f'"{c.name}"'
                for c in table.columns
            ] + [f'"{extra}"' for extra in EXTENSIONS.get(name, ())]
            target = str(partial / f"{name}.parquet").replace("'", "''")
            data.connection.execute(
                f"COPY (SELECT {', '.join(columns)} FROM {name}) TO '{target}' (FORMAT parquet)"
            )
        partial.rename(root / folder)
    except Exception:
        shutil.rmtree(partial, ignore_errors=True)
        raise


# --- scanning a data set and keeping the results ---------------------------------------------


def scan_data_set(
    data_set: DataSet, user: User | None = None, engine: str = "duckdb", step: Step | None = None
) -> Scan:
    """Run the engine over a data set's copy and store its exceptions and rankings."""
    run = Scan.objects.create(data_set=data_set, engine=engine, started_by=user)
    try:
        result = scan(folder_of(data_set), ScanOptions(engine=engine), step=step)
        with transaction.atomic():
            _store_results(run, data_set, result)
            run.status = ScanStatus.DONE
            run.rules = result["rules"]
            run.exception_count = len(result["exceptions"])
            run.finished_at = timezone.now()
            run.save()
    except (ContractError, OSError) as error:
        run.status, run.error, run.finished_at = ScanStatus.FAILED, str(error), timezone.now()
        run.save()
        raise ImportRefused(f"the scan failed: {error}") from None
    data_set_scanned.send(sender=DataSet, data_set=data_set, user=user)
    return run


def _store_results(run: Scan, data_set: DataSet, result: dict[str, Any]) -> None:
    stores = {store.code: store for store in data_set.stores.all()}
    ids = {row["employee_id"] for row in result["employees"]}
    people = {p.employee_id: p for p in Person.objects.filter(employee_id__in=ids)}
    titles = {rule["id"]: rule["title"] for rule in result["rules"]}
    PosException.objects.bulk_create(
        (
            PosException(
                scan=run,
                rule=row["rule"],
                rule_title=titles.get(row["rule"], row["rule"]),
                transaction_id=row["transaction_id"],
                employee_id=row["employee_id"] or "",
                person=people.get(row["employee_id"] or ""),
                store=stores[row["store_id"]],
                register_id=row["register_id"] or "",
                business_date=row["business_date"],
                at_text=row["at"] or "",
                amount=row["amount"],
                severity=row["severity"],
                detail=(row["detail"] or "")[:500],
            )
            for row in result["exceptions"]
        ),
        batch_size=2000,
    )
    EmployeeRisk.objects.bulk_create(
        (
            EmployeeRisk(
                scan=run,
                employee_id=row["employee_id"],
                person=people.get(row["employee_id"]),
                store=stores[row["store_id"]],
                role=row["role"],
                rank=row["rank"],
                risk_score=row["risk_score"],
                exception_counts=row["exception_counts"],
                reasons=row["reasons"],
                peer_group=row["peer_group"],
                transactions=row["transactions"],
            )
            for row in result["employees"]
            if row["store_id"] in stores
        ),
        batch_size=2000,
    )
    StoreRisk.objects.bulk_create(
        StoreRisk(
            scan=run,
            store=stores[row["store_id"]],
            rank=row["rank"],
            risk_score=row["risk_score"],
            exception_counts=row["exception_counts"],
            reasons=row["reasons"],
            peer_group=row["peer_group"],
            transactions=row["transactions"],
        )
        for row in result["stores"]
    )
