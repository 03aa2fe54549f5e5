"""``vigil shrink scan DATA_DIR [--json OUT.json] [--engine duckdb|spark] [--top N]``.

Reads the data set through the POS scan's engine switch (every contract check, errors naming
file, row and column; DuckDB in process or Spark), then reports shrink by store, department,
item and count period, and the hot spots with their reasons. ``inventory_counts`` is
required here (it is optional for a POS scan).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from vigil.engines.pos.errors import ContractError
from vigil.engines.pos.scanning import ENGINES, Engine, ScanOptions, open_engine
from vigil.engines.shrink.analysis import Options, analyze


@contextmanager
def counts_engine(folder: Path, engine: str = "duckdb") -> Iterator[Engine]:
    """An engine over ``folder``, refusing a data set that has no physical counts."""
    if engine not in ENGINES:
        raise ContractError("--engine", f"{engine!r} is not one of {', '.join(ENGINES)}")
    opened = open_engine(folder, ScanOptions(engine=engine))
    try:
        if not opened.rows.get("inventory_counts"):
            raise ContractError(
                str(folder),
                "has no inventory_counts table (inventory_counts.csv or .parquet) or it is "
                "empty: a shrink scan needs physical counts",
            )
        yield opened
    finally:
        opened.close()


def scan(folder: Path, engine: str = "duckdb", top: int = 10) -> dict[str, Any]:
    """The contract's JSON result for the data set in ``folder``."""
    if top < 1:
        raise ContractError("--top", "must be at least 1")
    with counts_engine(folder, engine) as opened:
        return analyze(opened, Options(top=top))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data_dir", type=Path, help="a data set folder (POS data contract)")
    parser.add_argument("--json", type=Path, dest="json_out", help="write the result here")
    parser.add_argument("--engine", choices=ENGINES, default="duckdb", help="where the SQL runs")
    parser.add_argument("--top", type=int, default=10, help="hot spots and items to list")


def run(args: argparse.Namespace, console: Console) -> int:
    result = scan(args.data_dir, args.engine, args.top)
    if args.json_out:
        args.json_out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    _show(console, result)
    return 0


def _show(console: Console, result: dict[str, Any]) -> None:
    summary = result["summary"]
    console.print(
        f"Shrink {summary['from']} to {summary['to']}: {summary['shrink_cost']} at cost, "
        f"{summary['shrink_retail']} at retail, rate {summary['shrink_rate']:.2%} "
        f"({summary['rate_basis']}), {summary['counts']:,} count lines"
    )
    trend = ", ".join(f"{p['period']} {p['shrink_rate']:.2%}" for p in result["periods"])
    console.print(f"By count period (cost over book): {trend}")
    table = Table(
        "rank", "store", "department", "rate", "chain", "shrink at cost", title="Hot spots"
    )
    for spot in result["hotspots"]:
        table.add_row(
            str(spot["rank"]), spot["store_id"], spot["department"],
            f"{spot['shrink_rate']:.1%}", f"{spot['chain_rate']:.1%}", spot["shrink_cost"],
        )  # fmt: skip
    console.print(table)
    for spot in result["hotspots"]:
        console.print(f"{spot['rank']}. " + "; ".join(spot["reasons"]), markup=False)
