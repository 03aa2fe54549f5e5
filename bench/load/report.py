"""``python -m bench load``: the command line and the tables it prints."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from dataclasses import asdict
from pathlib import Path

from bench.load import Options, Outcome, Summary, run, summarise

# Issue 15's targets: which routes are held to them, and to what.
TARGETED = {"case list", "lead list", "alert feed", "dashboard", "API cases"}
TARGETS = {"postgres": (50, 200.0), "sqlite": (20, 300.0)}  # connections, p95 ms


def options_from(args: argparse.Namespace) -> Options:
    connections = tuple(int(part) for part in str(args.connections).split(",") if part.strip())
    if args.database == "sqlite" and args.connections == "20,50":
        connections = (20,)
    return Options(
        database=args.database,
        scale=args.scale,
        connections=connections,
        seconds=args.seconds,
        runs=args.runs,
        think_ms=args.think,
        saturated=not args.paced_only,
        workers=args.workers,
        routes=tuple(args.route),
        keep=args.keep,
        reuse=args.reuse,
        explain=args.explain,
    )


def verdict(summary: Summary, database: str) -> str:
    connections, limit = TARGETS[database]
    if summary.route not in TARGETED or summary.connections != connections or summary.think_ms:
        return "-"
    met = summary.p95_ms < limit and summary.errors == 0 and summary.timeouts == 0
    return f"{'met' if met else 'MISSED'} (p95 < {limit:.0f} ms)"


def show(outcome: Outcome, options: Options) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 160)
    if outcome.seeded:
        rows = ", ".join(f"{count:,} {name}" for name, count in outcome.seeded.items())
        console.print(f"Seeded {rows} in {outcome.seed_seconds:.0f} s")
    if outcome.profiles:
        queries = Table(title="Queries per answer (in-process, after a warming request)")
        heads = ("route", "status", "queries", "SQL ms", "answer ms", "CPU ms", "slowest SQL")
        for column in heads:
            queries.add_column(column, justify="left" if column == "route" else "right")
        for profiled in outcome.profiles:
            values = asdict(profiled)  # type: ignore[call-overload]
            queries.add_row(
                values["route"],
                str(values["status"]),
                str(values["queries"]),
                f"{values['sql_ms']:,.1f}",
                f"{values['total_ms']:,.1f}",
                f"{values['cpu_ms']:,.1f}",
                f"{values['slowest_ms']:,.1f}",
            )
        console.print(queries)
    table = Table(title=f"Load: {outcome.database}, median of {options.runs} runs")
    columns = ("route", "conns", "think", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors")
    for column in (*columns, "timeouts", "CPU ms", "load", "target"):
        table.add_column(column, justify="left" if column in {"route", "target"} else "right")
    for summary in summarise(outcome.runs):
        table.add_row(
            summary.route,
            str(summary.connections),
            f"{summary.think_ms / 1000:g} s" if summary.think_ms else "none",
            f"{summary.rate:,.1f}",
            f"{summary.p50_ms:,.0f}",
            f"{summary.p95_ms:,.0f}",
            f"{summary.p99_ms:,.0f}",
            f"{summary.errors:,}",
            f"{summary.timeouts:,}",
            f"{summary.cpu_ms:,.0f}",
            f"{summary.load:.1f}",
            verdict(summary, options.database),
        )
    console.print(table)
    console.print(
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()}; wrk and the server share it. CPU ms: the web processes' and "
        "their database backends' CPU per answer; load: the machine's load average"
    )


def main(args: argparse.Namespace) -> int:
    options = options_from(args)
    outcome = run(options)
    show(outcome, options)
    if options.explain is not None:
        summaries = [asdict(summary) for summary in summarise(outcome.runs)]
        path = Path(options.explain) / "summary.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(summaries, indent=2), encoding="utf-8")
    return 0
