"""The demo's scanned month: four weeks of generated POS data for stores S101-S104, with
planted schemes, imported and scanned like a retailer's own (idempotent)."""

from __future__ import annotations

from vigil.core.models import User
from vigil.engines.pos.generator import generate
from vigil.pos import imports
from vigil.pos.imports import inbox
from vigil.pos.models import DataSet

DEMO_FOLDER = "demo-march"


def seed() -> int:
    """Import and scan the demo month unless a data set exists; the exceptions found."""
    if DataSet.objects.exists():
        return 0
    folder = inbox() / DEMO_FOLDER
    if not (folder / "transactions.csv").exists():
        # The answer key goes beside the inbox, not in it: the demo never sees it.
        truth = inbox().parent / f"{DEMO_FOLDER}.truth.json"
        generate(folder, stores=4, days=28, seed=1, truth_path=truth)
    admin = User.objects.get(username="admin")
    data_set = imports.import_data_set(
        admin, folder, "Demo month (generated)", "generated", inbox_folder=DEMO_FOLDER
    )
    return imports.scan_data_set(data_set, admin).exception_count
