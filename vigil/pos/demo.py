"""The demo's scanned quarter: thirteen weeks of generated POS data for stores S101-S104, up to
yesterday, with planted schemes and monthly inventory counts (razors at S102 are the planted
shrink hot spot), imported and scanned like a retailer's own (idempotent). The scan is
followed by the shrink analysis of its counts."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from vigil.core.models import User
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
    admin = User.objects.get(username="admin")
    data_set = imports.import_data_set(
        admin, folder, "Demo quarter (generated)", "generated", inbox_folder=DEMO_FOLDER
    )
    return imports.scan_data_set(data_set, admin).exception_count
