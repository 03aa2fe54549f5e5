"""``vigil pos generate OUT_DIR``: a realistic POS data set with planted schemes and an answer key.

The data set is a contract folder (stores, employees, transactions, line items, tenders,
inventory counts, EAS alarms) for a small chain over a few weeks; the answer key (who was
planted doing what, and the honest look-alikes) goes to ``OUT_DIR.truth.json`` beside the
folder, never inside it. The same seed always gives the same bytes. Transactions are
streamed to disk one store-day at a time, so ``--transactions-per-day`` can make benchmark-
sized sets (tens of millions of line items) without holding them in memory.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from rich.console import Console
from rich.progress import Progress

from vigil.engines.pos.generation.catalogue import build_catalogue
from vigil.engines.pos.generation.context import World
from vigil.engines.pos.generation.inventory import eas_alarms, inventory_counts
from vigil.engines.pos.generation.people import (
    LoyaltyIds,
    build_customers,
    build_staff,
    build_stores,
)
from vigil.engines.pos.generation.plan import make_plan
from vigil.engines.pos.generation.seeds import seeded
from vigil.engines.pos.generation.simulation import store_days
from vigil.engines.pos.generation.truth import GroundTruth, ground_truth
from vigil.engines.pos.generation.writer import (
    TransactionWriter,
    write_employees,
    write_rows,
    write_stores,
)

logger = logging.getLogger(__name__)

DEFAULT_START = date(2026, 3, 2)
DEFAULT_TRANSACTIONS_PER_REGISTER_DAY = 60
ProgressCallback = Callable[[int, int], None]

__all__ = ["GroundTruth", "add_arguments", "default_truth_path", "generate", "run"]


def default_truth_path(out_dir: Path) -> Path:
    """``OUT_DIR.truth.json`` beside the data set folder."""
    folder = Path(out_dir).resolve()
    return folder.parent / f"{folder.name}.truth.json"


def generate(
    out_dir: Path,
    *,
    stores: int,
    days: int,
    seed: int,
    start: date = DEFAULT_START,
    truth_path: Path | None = None,
    transactions_per_register_day: int | None = None,
    progress: ProgressCallback | None = None,
) -> GroundTruth:
    """Write a data set to ``out_dir`` and its answer key to ``truth_path``; the answer key.

    ``transactions_per_register_day`` sets the volume (default 60 per lane per day; the
    self-checkouts and the desk get their usual shares of it). The planted schemes do not
    change with volume, so a bigger data set hides the same people in more honest traffic.
    ``progress`` is called with (days done, days) after each day.
    """
    if stores < 1 or days < 1:
        raise ValueError("a data set needs at least one store and one day")
    out_dir = Path(out_dir)
    truth_path = Path(truth_path) if truth_path is not None else default_truth_path(out_dir)
    if truth_path.resolve().is_relative_to(out_dir.resolve()):
        raise ValueError(f"the truth file {truth_path} must not be inside the data set {out_dir}")
    volume = transactions_per_register_day or DEFAULT_TRANSACTIONS_PER_REGISTER_DAY
    world = _world(seed, stores, days, start, volume)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {
        "stores": write_stores(out_dir, world.stores),
        "employees": write_employees(out_dir, world.employees),
    }
    counts.update(_write_transactions(world, out_dir, seed, progress))
    counts["inventory_counts"] = write_rows(
        out_dir,
        "inventory_counts",
        inventory_counts(
            seeded(seed, "inventory"),
            world.catalogue,
            world.stores,
            start,
            days,
            world.plan.shrink_hotspots,
        ),
    )
    truth = ground_truth(
        world.plan, seed=seed, stores=stores, days=days, start=start, counts=counts
    )
    truth_path.parent.mkdir(parents=True, exist_ok=True)
    truth_path.write_text(truth.to_json(), encoding="utf-8")
    logger.info(
        "generated %s transactions in %s, truth in %s", counts["transactions"], out_dir, truth_path
    )
    return truth


def _world(seed: int, stores: int, days: int, start: date, volume: int) -> World:
    """The chain, its people and the plan, each from its own random stream."""
    people_rng = seeded(seed, f"{stores}:people")
    ids = LoyaltyIds(people_rng)
    store_list = build_stores(people_rng, stores)
    employees = build_staff(people_rng, ids, store_list, start)
    pools = build_customers(people_rng, ids, store_list, volume)
    plan_rng = seeded(seed, f"{stores}:plan")
    plan = make_plan(plan_rng, seed, store_list, employees, pools, ids, start, days)
    return World(
        rng=seeded(seed, "transactions"),
        catalogue=build_catalogue(),
        stores=store_list,
        employees=employees,
        pools=pools,
        plan=plan,
        start=start,
        days=days,
        per_register_day=volume,
    )


def _write_transactions(
    world: World, out_dir: Path, seed: int, progress: ProgressCallback | None
) -> dict[str, int]:
    alarms_rng = seeded(seed, "alarms")
    writer = TransactionWriter(out_dir)
    store_count = len(world.stores)
    try:
        for number, txns in enumerate(store_days(world), start=1):
            writer.write(txns)
            store = world.stores[(number - 1) % store_count]
            day = world.start + timedelta(days=(number - 1) // store_count)
            writer.write_alarms(eas_alarms(alarms_rng, store, day))
            if progress is not None and number % store_count == 0:
                progress(number // store_count, world.days)
    finally:
        writer.close()
    return writer.counts()


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more, got {value}")
    return value


def _scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected more than 0, got {value}")
    return value


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="folder to write")
    parser.add_argument("--stores", type=_positive, default=4, help="stores (default 4)")
    parser.add_argument("--days", type=_positive, default=28, help="days (default 28)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--start", type=_day, default=DEFAULT_START, help="first business day, YYYY-MM-DD"
    )
    parser.add_argument(
        "--truth",
        type=Path,
        default=None,
        metavar="PATH",
        help="answer key to write (default: OUT_DIR.truth.json beside the folder)",
    )
    volume = parser.add_mutually_exclusive_group()
    volume.add_argument(
        "--transactions-per-day",
        type=_positive,
        default=None,
        metavar="N",
        help=f"transactions per lane per day (default {DEFAULT_TRANSACTIONS_PER_REGISTER_DAY})",
    )
    volume.add_argument(
        "--scale",
        type=_scale,
        default=None,
        metavar="X",
        help="multiply the default volume, e.g. 10 for a benchmark-sized set",
    )


def run(args: argparse.Namespace, console: Console) -> int:
    volume = args.transactions_per_day
    if args.scale is not None:
        volume = max(1, round(DEFAULT_TRANSACTIONS_PER_REGISTER_DAY * args.scale))
    began = time.perf_counter()
    with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("generating", total=args.days)
        try:
            truth = generate(
                args.out_dir,
                stores=args.stores,
                days=args.days,
                seed=args.seed,
                start=args.start,
                truth_path=args.truth,
                transactions_per_register_day=volume,
                progress=lambda done, total: bar.update(task, completed=done),
            )
        except ValueError as error:
            console.print(f"vigil pos generate: {error}", markup=False)
            return 2
    _report(console, args, truth, time.perf_counter() - began)
    return 0


def _report(console: Console, args: argparse.Namespace, truth: GroundTruth, seconds: float) -> None:
    counts = truth.counts
    console.print(
        f"Wrote {args.out_dir}: {counts['stores']} stores, {counts['employees']} employees, "
        f"{counts['transactions']:,} transactions, {counts['line_items']:,} line items "
        f"in {seconds:.1f} s",
        markup=False,
    )
    truth_path = args.truth or default_truth_path(args.out_dir)
    console.print(
        f"Answer key: {truth_path} ({len(truth.dishonest)} planted employees, "
        f"{len(truth.customers)} planted customers, {len(truth.look_alikes)} look-alikes)",
        markup=False,
    )
