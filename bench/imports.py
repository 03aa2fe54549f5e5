"""The app's import benchmark: ``python -m bench imports [--line-items 10M] [--dir DIR]``.

The same generated export (the POS benchmark's data set) is brought into the app twice, side
by side in one run, on a throw-away SQLite database:

- **first**: import (digest, contract checks, Parquet copy) and scan (20 rules, leads and
  rankings stored), as the inbox or an upload does it;
- **again**: the same export under another folder name, as `monday-again` in the inbox. It is
  recognised by its digest and refused before a row is read; measured three times, median.

Target: the second time costs under 10 % of the first.
"""

from __future__ import annotations

import shutil
import statistics
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bench import pos
from bench.pos import Row

if TYPE_CHECKING:
    from vigil.core.models import User

REPEATS = 3


def run(line_items: int, base: Path | None) -> list[Row]:
    """Needs Django configured (``bench.__main__.configure``)."""
    from vigil.pos import imports
    from vigil.pos.models import PosException

    export = pos.data_set(line_items, base)
    importer = _importer(export)
    monday = imports.inbox() / "monday"
    shutil.copytree(export, monday)
    started = time.perf_counter()
    data_set = imports.import_data_set(importer, monday, "monday", "folder")
    imports.scan_data_set(data_set, importer)
    first = time.perf_counter() - started
    leads = PosException.objects.count()
    again = imports.inbox() / "monday-again"
    monday.rename(again)
    repeats = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        try:
            imports.import_data_set(importer, again, "monday-again", "folder")
        except imports.AlreadyImported:
            pass
        else:
            raise AssertionError("the same export was imported twice")
        repeats.append(time.perf_counter() - started)
    second = statistics.median(repeats)
    assert PosException.objects.count() == leads
    size = sum(path.stat().st_size for path in export.glob("*.csv")) / 1e9
    return [
        Row("first: import and scan", first, "s", "(yardstick)",
            f"{data_set.rows['line_items']:,} line items, {size:.2f} GB CSV; {leads:,} leads"),
        Row("again: the same export, renamed", second, "s", "< 10% of first",
            f"{100 * second / first:.1f}% of first (median of {REPEATS}); nothing added"),
    ]  # fmt: skip


def _importer(export: Path) -> User:
    """An LP manager and the export's stores, in the empty benchmark database."""
    import duckdb

    from vigil.core.models import Organisation, Region, Role, ScopeKind, Store, User

    organisation = Organisation.objects.create(name="Benchmark Retail")
    region = Region.objects.create(organisation=organisation, code="B1", name="Bench")
    for (code,) in duckdb.sql(f"SELECT store_id FROM read_csv('{export}/stores.csv')").fetchall():
        Store.objects.create(region=region, code=code, name=code, timezone="America/New_York")
    return User.objects.create_user(
        "bench", password="bench-only-" * 2, role=Role.LP_MANAGER, scope_kind=ScopeKind.EVERYTHING
    )
