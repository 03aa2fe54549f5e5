"""Vigil's benchmarks: ``python -m bench`` (or ``make bench``) from the repository root.

``python -m bench evidence [--size 2G]`` runs the evidence store benchmark instead
(``bench/evidence.py``); it needs no database. ``pos`` and ``video`` run the engines'
benchmarks (``bench/pos.py``, ``bench/video.py``); ``imports`` brings the POS benchmark's
export into the app twice (``bench/imports.py``). ``load`` drives a running server over HTTP
with wrk, on a large PostgreSQL data set or the SQLite demo (``bench/load/``).

Each run builds a fresh SQLite database in a temporary data directory, so it never touches
``./var`` or a configured ``DATABASE_URL``. It prints one table; recording the numbers in
``bench/README.md`` is a deliberate, manual step.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vigil.core.models import User

APPEND_EVENTS = 5_000
VERIFY_EVENTS = 50_000
VERIFY_BATCH = 2_000
PEOPLE = 20_000
STORES = 50
PAGE_SIZE = 50
QUERY_REPEATS = 50


@dataclass(frozen=True)
class Result:
    """One measured number, with the target it is held to."""

    name: str
    value: float
    unit: str
    target: str
    detail: str


def configure(data_dir: Path) -> None:
    """Point Django at a throw-away SQLite database in ``data_dir`` and start it."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "vigil.settings"
    os.environ["VIGIL_DATA_DIR"] = str(data_dir)
    os.environ["DEBUG"] = "false"  # DEBUG keeps every query in memory and slows everything
    os.environ.pop("DATABASE_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


@contextmanager
def stopwatch() -> Iterator[Callable[[], float]]:
    """Seconds elapsed inside the block, read after it ends."""
    start = time.perf_counter()
    elapsed: list[float] = []
    yield lambda: elapsed[0]
    elapsed.append(time.perf_counter() - start)


# --- audit log ------------------------------------------------------------------------


def bench_append() -> Result:
    """``audit.record`` one event at a time, each in its own transaction, as the web does."""
    from vigil.core.audit import record
    from vigil.core.models import AuditAction

    with stopwatch() as elapsed:
        for number in range(APPEND_EVENTS):
            record(
                AuditAction.UPDATE,
                object_type="bench.thing",
                object_id=str(number),
                object_repr=f"thing {number}",
                changes={"count": [number, number + 1]},
            )
    rate = APPEND_EVENTS / elapsed()
    detail = f"{APPEND_EVENTS:,} events, one transaction each"
    return Result("audit append", rate, "events/s", ">= 500", detail)


def fill_chain(total: int) -> None:
    """Extend the chain to ``total`` events quickly: hashes computed here, bulk inserts."""
    from django.db import transaction
    from django.utils import timezone

    from vigil.core.models import AuditChainHead

    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().order_by("pk").get()
        seq, prev_hash = head.seq, head.hash
        while seq < total:
            size = min(VERIFY_BATCH, total - seq)
            seq, prev_hash = _insert_batch(seq, prev_hash, size, timezone.now())
        AuditChainHead.objects.filter(pk=head.pk).update(seq=seq, hash=prev_hash)


def _insert_batch(seq: int, prev_hash: str, size: int, now: datetime) -> tuple[int, str]:
    from vigil.core.models import AuditAction, AuditEvent

    events: list[AuditEvent] = []
    for offset in range(size):
        seq += 1
        event = AuditEvent(
            seq=seq,
            occurred_at=now + timedelta(microseconds=offset),
            actor_username="bench",
            action=AuditAction.UPDATE,
            object_type="bench.thing",
            object_id=str(seq),
            object_repr=f"thing {seq}",
            via="cli",
            changes={"count": [seq, seq + 1]},
            prev_hash=prev_hash,
        )
        event.hash = event.compute_hash()
        prev_hash = event.hash
        events.append(event)
    AuditEvent.objects.bulk_create(events)
    return seq, prev_hash


def bench_verify() -> Result:
    """``audit.verify_chain`` over the whole log: read, re-hash and link every row."""
    from vigil.core.audit import verify_chain

    fill_chain(VERIFY_EVENTS)
    with stopwatch() as elapsed:
        report = verify_chain()
    if not report.ok:
        raise SystemExit(f"bench: the chain it built does not verify: {report.problem}")
    rate = report.checked / elapsed()
    detail = f"{report.checked:,} rows in {elapsed():.2f} s"
    return Result("audit verify", rate, "rows/s", ">= 20,000", detail)


# --- store scope ----------------------------------------------------------------------


def seed_people() -> None:
    """50 stores in 5 regions and 20,000 people spread evenly over them (bulk, unaudited)."""
    from vigil.core.models import EmployeeRole, Organisation, Person, Region, Store

    organisation = Organisation.objects.create(name="Bench Retail")
    regions = Region.objects.bulk_create(
        Region(organisation=organisation, code=f"R{number}", name=f"Region {number}")
        for number in range(5)
    )
    stores = Store.objects.bulk_create(
        Store(
            region=regions[number % len(regions)],
            code=f"B{number:03d}",
            name=f"Store {number}",
            timezone="America/Chicago",
        )
        for number in range(STORES)
    )
    roles = list(EmployeeRole)
    Person.objects.bulk_create(
        (
            Person(
                employee_id=f"E{number:06d}",
                home_store=stores[number % len(stores)],
                name=f"Person {number:06d}",
                role=roles[number % len(roles)],
            )
            for number in range(PEOPLE)
        ),
        batch_size=VERIFY_BATCH,
    )


def make_users() -> tuple[User, User]:
    """A user scoped to one store, and one who sees every store."""
    from vigil.core.models import Role, ScopeKind, Store, User

    scoped = User.objects.create(
        username="bench-store", role=Role.LP_OFFICER, scope_kind=ScopeKind.STORES
    )
    scoped.stores.add(Store.objects.order_by("code")[0])
    everyone = User.objects.create(
        username="bench-all", role=Role.EXECUTIVE, scope_kind=ScopeKind.EVERYTHING
    )
    return scoped, everyone


def list_page(user: User) -> int:
    """What the people list does per request: work out scope, fetch a page, count."""
    from vigil.core.models import Person
    from vigil.core.scoping import forget_scope

    forget_scope(user)  # a new request computes scope afresh
    people = Person.objects.visible_to(user).select_related("home_store")
    page = list(people[:PAGE_SIZE])
    people.count()
    return len(page)


def median_ms(user: User) -> float:
    """Median milliseconds of a people page for ``user`` over repeated requests."""
    list_page(user)  # warm the connection and the content-type cache
    timings: list[float] = []
    for _ in range(QUERY_REPEATS):
        with stopwatch() as elapsed:
            list_page(user)
        timings.append(elapsed() * 1000)
    return statistics.median(timings)


def bench_scope() -> list[Result]:
    """A people page for a one-store user versus a user who sees every store."""
    seed_people()
    scoped, everyone = make_users()
    common = f"page of {PAGE_SIZE} + count, {PEOPLE:,} people in {STORES} stores"
    return [
        Result("people page, one store", median_ms(scoped), "ms", "< 20", f"{common}, median"),
        Result("people page, all stores", median_ms(everyone), "ms", "-", f"{common}, median"),
    ]


# --- report ---------------------------------------------------------------------------


def show(results: list[Result], title: str = "SQLite, temporary data directory") -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Vigil benchmarks ({title})")
    for column in ("benchmark", "result", "target", "what"):
        table.add_column(column)
    for result in results:
        value = f"{result.value:,.1f} {result.unit}"
        table.add_row(result.name, value, result.target, result.detail)
    console = Console()
    console.print(table)
    machine = f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    console.print(f"Machine: {machine}")


def size_argument(raw: str) -> int:
    from vigil.config import ConfigError, parse_size

    try:
        return parse_size("--size", raw)
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(exc.problem) from None


def count_argument(raw: str) -> int:
    """``10M`` -> 10,000,000 (decimal units, as people count rows)."""
    units = {"": 1, "K": 1_000, "M": 1_000_000}
    text = raw.strip().upper()
    number, unit = (text[:-1], text[-1]) if text[-1:] in units and text[-1:] else (text, "")
    try:
        value = int(float(number) * units[unit])
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a count (e.g. 10M or 500K)") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Vigil's benchmarks")
    parser.add_argument(
        "group",
        nargs="?",
        choices=["core", "evidence", "pos", "imports", "video", "load"],
        default="core",
    )
    parser.add_argument("--size", type=size_argument, default="2G", help="evidence file size")
    parser.add_argument("--dir", type=Path, default=None, help="where the generated files go")
    parser.add_argument(
        "--line-items", type=count_argument, default="10M", help="POS data set size (line items)"
    )
    load = parser.add_argument_group("load (python -m bench load)")
    load.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    load.add_argument(
        "--scale", type=float, default=1.0, help="1 = 100,000 cases, 300,000 incidents, 1 M leads"
    )
    load.add_argument(
        "--connections", default="20,50", help="concurrent connections, comma-separated"
    )
    load.add_argument("--seconds", type=int, default=15, help="length of one wrk run")
    load.add_argument("--runs", type=int, default=3, help="runs per route and connection count")
    load.add_argument(
        "--think", type=int, default=5000, help="paced runs' mean think time in ms (0: none)"
    )
    load.add_argument("--paced-only", action="store_true", help="skip the saturated runs")
    load.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    load.add_argument("--route", action="append", default=[], help="only this route (by name)")
    load.add_argument("--keep", action="store_true", help="keep the scratch database")
    load.add_argument("--reuse", default="", help="a database kept by --keep: skip seeding")
    load.add_argument("--explain", type=Path, default=None, help="write EXPLAIN ANALYZE here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.group == "evidence":
        from bench import evidence

        rows = evidence.run(args.size, args.dir)
        show([Result(*row) for row in rows], title="evidence store, temporary directory")
        return 0
    if args.group == "pos":
        from bench import pos

        rows = pos.run(args.line_items, args.dir)
        show([Result(*row) for row in rows], title="POS engine, generated data set")
        return 0
    if args.group == "imports":
        from bench import imports

        with tempfile.TemporaryDirectory(prefix="vigil-bench-") as data_dir:
            configure(Path(data_dir))
            rows_imports = imports.run(args.line_items, args.dir)
        show([Result(*row) for row in rows_imports], title="POS imports in the app, SQLite")
        return 0
    if args.group == "load":
        from bench.load import report

        return report.main(args)
    if args.group == "video":
        from bench import video

        rows_video = video.run(args.dir)
        show([Result(*row) for row in rows_video], title="video engine, one core")
        return 0
    with tempfile.TemporaryDirectory(prefix="vigil-bench-") as data_dir:
        configure(Path(data_dir))
        results = [bench_append(), bench_verify(), *bench_scope()]
        show(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
