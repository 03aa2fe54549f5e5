"""``vigil intel link DATA_DIR``: read an extract, link it, print a summary, write the JSON."""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from vigil.engines.intel.contract import ContractError, read_extract
from vigil.engines.intel.decisions import Decisions
from vigil.engines.intel.linking import DEFAULT_MIN_PROBABILITY, backend_for, link_records
from vigil.engines.intel.networks import result

logger = logging.getLogger(__name__)
ENGINES = ("duckdb", "spark")


def link(
    data_dir: Path,
    engine: str = "duckdb",
    min_probability: float | None = None,
    decisions: Decisions | None = None,
) -> dict[str, Any]:
    """The contract's result for the extract in ``data_dir`` (see the package docstring)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: use duckdb or spark")
    threshold = DEFAULT_MIN_PROBABILITY if min_probability is None else min_probability
    if not 0.0 < threshold < 1.0:
        raise ValueError("the minimum probability must be between 0 and 1")
    extract = read_extract(Path(data_dir))
    started = time.monotonic()
    people, vehicles = link_records(
        extract, backend_for(engine), threshold, decisions or Decisions()
    )
    logger.info("linked %s in %.1f s", data_dir, time.monotonic() - started)
    return result(extract, engine, people, vehicles)


def read_decisions(path: Path) -> Decisions:
    """Decisions from a JSON file: {"same": [[a, b]…], "different": […], "ignored_values":
    [[field, value]…]}."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ContractError(str(path), f"cannot be read as decisions JSON: {error}") from error
    try:
        return Decisions(
            same=[(str(a), str(b)) for a, b in data.get("same", [])],
            different=[(str(a), str(b)) for a, b in data.get("different", [])],
            ignored_values=[(str(f), str(v)) for f, v in data.get("ignored_values", [])],
        )
    except (TypeError, ValueError, AttributeError) as error:
        raise ContractError(str(path), "decisions must be lists of pairs") from error


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data_dir", type=Path, help="folder holding the extract's tables")
    parser.add_argument("--json", type=Path, help="also write the full result here")
    parser.add_argument("--engine", choices=ENGINES, default="duckdb")
    parser.add_argument(
        "--min-probability",
        type=float,
        default=None,
        help=f"link pairs at least this likely (default {DEFAULT_MIN_PROBABILITY})",
    )
    parser.add_argument("--decisions", type=Path, help="investigators' decisions (JSON)")


def run(args: argparse.Namespace, console: Console) -> int:
    decisions = read_decisions(args.decisions) if args.decisions else None
    if args.min_probability is not None and not 0.0 < args.min_probability < 1.0:
        raise ContractError("--min-probability", "must be between 0 and 1")
    outcome = link(args.data_dir, args.engine, args.min_probability, decisions)
    _summary(outcome, console)
    if args.json:
        args.json.write_text(json.dumps(outcome, indent=1) + "\n", encoding="utf-8")
        console.print(f"Wrote {args.json}")
    return 0


def _summary(outcome: dict[str, Any], console: Console) -> None:
    people = outcome["people"]
    linked = [p for p in people if len(p["subject_record_ids"]) > 1]
    vehicles = [v for v in outcome["vehicles"] if len(v["vehicle_record_ids"]) > 1]
    console.print(
        f"{sum(len(p['subject_record_ids']) for p in people):,} subject records are "
        f"{len(people):,} people ({len(linked):,} seen more than once); "
        f"{len(outcome['vehicles']):,} vehicles ({len(vehicles):,} seen more than once); "
        f"{len(outcome['networks']):,} networks"
    )
    table = Table("network", "incidents", "stores", "people", "vehicles", "total loss",
                  "first seen", "last seen", title="Largest networks")  # fmt: skip
    ranked = sorted(outcome["networks"], key=lambda n: -len(n["incident_ids"]))[:10]
    for network in ranked:
        table.add_row(
            network["network_id"],
            f"{len(network['incident_ids']):,}",
            f"{len(network['stores']):,}",
            f"{len(network['people']):,}",
            f"{len(network['vehicles']):,}",
            f"{float(network['total_loss']):,.2f}",
            network["first_seen"],
            network["last_seen"],
        )
    if ranked:
        console.print(table)
