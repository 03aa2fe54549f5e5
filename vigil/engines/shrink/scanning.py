"""``vigil shrink scan DATA_DIR [--json OUT.json] [--engine duckdb] [--top N]``.

Reads the data set with the POS engine's loader (every contract check, errors naming file,
row and column), then reports shrink by store, department and item, and the hot spots with
their reasons. ``inventory_counts`` is required here (it is optional for a POS scan).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from vigil.engines.pos import loading
from vigil.engines.pos.errors import ContractError
from vigil.engines.shrink.analysis import Options, analyze


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data_dir", type=Path, help="a data set folder (POS data contract)")
    parser.add_argument("--json", type=Path, dest="json_out", help="write the result here")
    parser.add_argument(
        "--engine", choices=["duckdb", "spark"], default="duckdb", help="where the SQL runs"
    )
    parser.add_argument("--top", type=int, default=10, help="hot spots and items to list")


def run(args: argparse.Namespace, console: Console) -> int:
    if args.engine == "spark":
        raise ContractError(
            "--engine", "spark is not available for the shrink scan yet; use duckdb (the default)"
        )
    if args.top < 1:
        raise ContractError("--top", "must be at least 1")
    data = loading.load(args.data_dir)
    if "inventory_counts" not in data.tables:
        raise ContractError(
            str(args.data_dir),
            "has no inventory_counts table (inventory_counts.csv or .parquet): a shrink scan "
            "needs physical counts",
        )
    result = analyze(data.connection, Options(top=args.top))
    if args.json_out:
        args.json_out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    _show(console, result)
    return 0


def _show(console: Console, result: dict) -> None:  # type: ignore[type-arg]
    summary = result["summary"]
    console.print(
        f"Shrink {summary['from']} to {summary['to']}: {summary['shrink_cost']} at cost, "
        f"{summary['shrink_retail']} at retail, rate {summary['shrink_rate']:.2%} "
        f"({summary['rate_basis']}), {summary['counts']:,} count lines"
    )
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
