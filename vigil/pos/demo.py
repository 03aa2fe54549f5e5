"""The demo's scanned quarter: thirteen weeks of generated POS data for stores S101-S104, up to
yesterday, with planted schemes and monthly inventory counts (razors at S102 are the planted
shrink hot spot), imported and scanned like a retailer's own (idempotent). The scan is
followed by the shrink analysis of its counts. The quarter's employees join the people
records first, as a retailer's HR roster would, so leads and rankings name them."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.utils import timezone

from vigil.core.models import EmployeeRole, Person, Store, User
from vigil.engines.pos.generator import generate
from vigil.pos import imports
from vigil.pos.imports import inbox
from vigil.pos.models import DataSet

DEMO_FOLDER = "demo-quarter"
DAYS = 91
SEED = 4  # its planted shrink hot spot is razors at S102, where the demo walks find untagged razors
VOLUME = 20  # transactions per lane per day: a quarter in about the time a busy month takes


def seed() -> int:
    """Import and scan the demo quarter unless a data set exists; the exceptions found."""
    if DataSet.objects.exists():
        return 0
    folder = inbox() / DEMO_FOLDER
    if not (folder / "transactions.csv").exists():
        # The answer key goes beside the inbox, not in it: the demo never sees it.
        truth = inbox().parent / f"{DEMO_FOLDER}.truth.json"
        start = timezone.localdate() - dt.timedelta(days=DAYS)
        generate(
            folder,
            stores=4,
            days=DAYS,
            seed=SEED,
            start=start,
            truth_path=truth,
            transactions_per_register_day=VOLUME,
        )
    roster(folder)
    admin = User.objects.get(username="admin")
    data_set = imports.import_data_set(
        admin, folder, "Demo quarter (generated)", "generated", inbox_folder=DEMO_FOLDER
    )
    return imports.scan_data_set(data_set, admin).exception_count


def roster(folder: Path) -> int:
    """A person for each employee of the generated data set's ``employees.csv`` at a store
    Vigil knows (name, home store, role, hire date); how many were added. A retailer's
    people come from HR; without them a lead or a ranking could only say "E1056"."""
    stores = {store.code: store for store in Store.objects.all()}
    added = 0
    with (folder / "employees.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            store = stores.get(row["store_id"])
            if store is None or not row.get("name"):
                continue
            role = row["role"] if row["role"] in EmployeeRole.values else EmployeeRole.OTHER
            _, created = Person.objects.get_or_create(
                employee_id=row["employee_id"],
                defaults={
                    "home_store": store,
                    "name": row["name"],
                    "role": role,
                    "hired_on": dt.date.fromisoformat(row["hired_on"]) if row["hired_on"] else None,
                },
            )
            added += created
    return added
