"""``vigil pos scan``: run every rule on a data set, score employees and stores, report.

The command line is fixed by ``shared/contracts/pos-scan.md``: a readable summary, a JSON
file with ``--json``, exit 0 on success (exceptions found are success), 2 on bad input
naming the file, row and column, 1 on an internal error. It needs no database and no
Django: :func:`scan` is also what the web app calls.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from vigil.engines.pos import facts, scoring
from vigil.engines.pos.errors import ContractError
from vigil.engines.pos.rules import Rule, load_rules
from vigil.engines.pos.scoring import RuleInfo, Subject

ENGINES = ("duckdb", "spark")
Step = Callable[[str], None]


class Engine(Protocol):
    name: str
    rows: dict[str, int]

    def query(self, sql: str) -> list[dict[str, Any]]: ...

    def run_rule(
        self, rule: Rule, overrides: dict[str, str] | None = None
    ) -> list[dict[str, Any]]: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class ScanOptions:
    engine: str = "duckdb"
    rules: tuple[Path, ...] = ()
    # Rule ids not to run (an LP team switching off a rule it finds noisy).
    rules_off: frozenset[str] = frozenset()
    first_day: date | None = None
    last_day: date | None = None
    threads: int | None = None


def open_engine(folder: Path, options: ScanOptions, step: Step | None = None) -> Engine:
    first = options.first_day.isoformat() if options.first_day else None
    last = options.last_day.isoformat() if options.last_day else None
    if options.engine == "spark":
        from vigil.engines.pos.spark_engine import SparkEngine

        return SparkEngine(folder, first_day=first, last_day=last, progress=step)
    from vigil.engines.pos.duckdb_engine import DuckDBEngine

    return DuckDBEngine(
        folder, first_day=first, last_day=last, progress=step, threads=options.threads
    )


def scan(
    folder: Path, options: ScanOptions | None = None, step: Step | None = None
) -> dict[str, Any]:
    """The full result of a scan, shaped as the contract's JSON."""
    options = options or ScanOptions()
    if options.engine not in ENGINES:
        raise ContractError("--engine", f"{options.engine!r} is not one of {', '.join(ENGINES)}")
    rules = [rule for rule in load_rules(options.rules) if rule.id not in options.rules_off]
    engine = open_engine(folder, options, step)
    try:
        exceptions = []
        for rule in rules:
            if step:
                step(f"rule {rule.id}")
            exceptions.extend(engine.run_rule(rule))
        exceptions = _in_period(exceptions, options)
        if step:
            step("scoring employees and stores")
        return _result(engine, rules, exceptions)
    finally:
        engine.close()


def _in_period(rows: list[dict[str, Any]], options: ScanOptions) -> list[dict[str, Any]]:
    first = options.first_day.isoformat() if options.first_day else ""
    last = options.last_day.isoformat() if options.last_day else "9999"
    return [row for row in rows if first <= str(row["business_date"]) <= last]


def _result(
    engine: Engine, rules: Sequence[Rule], exceptions: list[dict[str, Any]]
) -> dict[str, Any]:
    infos = {rule.id: RuleInfo(rule.id, rule.title) for rule in rules}
    stores = {row["store_id"]: row for row in engine.query(facts.STORES_SQL)}
    employees = _employees(engine, stores)
    scoring.tally(employees, exceptions, "employee_id")
    scoring.assign_peers(employees.values(), _peer_words)
    scoring.score(employees, infos, "transactions handled")
    store_subjects = _stores(engine, stores)
    scoring.tally(store_subjects, exceptions, "store_id")
    scoring.assign_peers(store_subjects.values(), _store_peer_words)
    scoring.score(store_subjects, infos, "transactions")
    extent = engine.query(facts.EXTENT_SQL)[0]
    return {
        "engine": engine.name,
        "data_set": {
            "stores": len(stores),
            "employees": len(employees),
            "transactions": int(extent["transactions"] or 0),
            "from": extent["first_day"],
            "to": extent["last_day"],
        },
        "rules": [{"id": r.id, "title": r.title, "description": r.why} for r in rules],
        "exceptions": [_exception(row) for row in _ordered(exceptions)],
        "employees": [_employee(rank, s) for rank, s in enumerate(scoring.ranked(employees), 1)],
        "stores": [_store(rank, s) for rank, s in enumerate(scoring.ranked(store_subjects), 1)],
    }


def _employees(engine: Engine, stores: dict[str, dict[str, Any]]) -> dict[str, Subject]:
    listed = {row["employee_id"]: row for row in engine.query(facts.EMPLOYEES_SQL)}
    activity = {row["employee_id"]: row for row in engine.query(facts.ACTIVITY_SQL)}
    main_store = _main_stores(engine.query(facts.MAIN_STORE_SQL))
    subjects: dict[str, Subject] = {}
    for employee_id in sorted(set(listed) | set(activity)):
        info = listed.get(employee_id, {})
        work = activity.get(employee_id, {})
        store_id = str(
            info.get("store_id") or main_store.get(employee_id) or work.get("any_store") or ""
        )
        role = _effective_role(str(info.get("role") or "cashier"), work)
        subjects[employee_id] = Subject(
            id=employee_id,
            store_id=store_id,
            role=role,
            region=str(stores.get(store_id, {}).get("region") or ""),
            workload=int(work.get("handled") or 0),
            hired_on=_date(info.get("hired_on")),
        )
    return subjects


def _effective_role(role: str, work: dict[str, Any]) -> str:
    """Cashiers who mostly attend self-checkout lanes are compared with each other."""
    handled = int(work.get("handled") or 0)
    if role == "cashier" and handled and int(work.get("self_checkout") or 0) * 2 > handled:
        return "self_checkout"
    return role


def _main_stores(rows: list[dict[str, Any]]) -> dict[str, str]:
    best: dict[str, tuple[int, str]] = {}
    for row in rows:
        current = best.get(row["employee_id"])
        candidate = (int(row["n"]), str(row["store_id"]))
        if current is None or candidate[0] > current[0]:
            best[row["employee_id"]] = candidate
    return {employee: store for employee, (_, store) in best.items()}


def _stores(engine: Engine, stores: dict[str, dict[str, Any]]) -> dict[str, Subject]:
    activity = {row["store_id"]: row for row in engine.query(facts.STORE_ACTIVITY_SQL)}
    return {
        store_id: Subject(
            id=store_id,
            store_id=store_id,
            role="store",
            region=str(stores.get(store_id, {}).get("region") or ""),
            workload=int(activity.get(store_id, {}).get("transactions") or 0),
        )
        for store_id in sorted(set(stores) | set(activity))
    }


_ROLE_WORDS = {
    "cashier": "cashiers on lanes",
    "self_checkout": "self-checkout attendants",
    "service_desk": "service-desk staff",
    "supervisor": "supervisors",
    "manager": "managers",
    "lp": "loss-prevention staff",
    "other": "other staff",
    "store": "stores",
}


_FAMILY_WORDS = {
    "family:front_end": "front-end staff (lanes and self-checkout)",
    "family:management": "supervisors and managers",
    "family:service_desk": "service-desk staff",
    "family:store": "all stores",
    "family:other": "other staff",
}


def _peer_words(key: tuple[str, ...]) -> str:
    if key == ("everyone",):
        return "all staff"
    if key[0] in _FAMILY_WORDS:
        return f"{_FAMILY_WORDS[key[0]]} chain-wide"
    words = _ROLE_WORDS.get(key[0], key[0])
    return f"{words} in region {key[1]}" if len(key) > 1 and key[1] else f"{words} chain-wide"


def _store_peer_words(key: tuple[str, ...]) -> str:
    return f"stores in region {key[1]}" if len(key) > 1 and key[1] else "all stores"


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _ordered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(
        rows,
        key=lambda r: (-float(r["severity"]), str(r["at"]), r["rule"], str(r["transaction_id"])),
    )


def _exception(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "rule": row["rule"],
        "transaction_id": row["transaction_id"],
        "employee_id": row["employee_id"],
        "store_id": row["store_id"],
        "register_id": row["register_id"],
        "business_date": str(row["business_date"])[:10],
        "at": row["at"],
        "amount": None if row["amount"] is None else str(row["amount"]),
        "severity": float(row["severity"]),
        "detail": row["detail"],
    }


def _employee(rank: int, subject: Subject) -> dict[str, Any]:
    return {
        "rank": rank,
        "employee_id": subject.id,
        "store_id": subject.store_id,
        "role": subject.role,
        "risk_score": subject.risk,
        "exception_counts": dict(sorted(subject.counts.items())),
        "reasons": subject.reasons,
        "peer_group": subject.peer_label,
        "transactions": subject.workload,
    }


def _store(rank: int, subject: Subject) -> dict[str, Any]:
    return {
        "rank": rank,
        "store_id": subject.id,
        "risk_score": subject.risk,
        "exception_counts": dict(sorted(subject.counts.items())),
        "reasons": subject.reasons,
        "peer_group": subject.peer_label,
        "transactions": subject.workload,
    }


# --- the command line ----------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data_dir", type=Path, metavar="DATA_DIR", help="a data set (folder)")
    parser.add_argument("--json", type=Path, metavar="OUT.json", help="also write the full result")
    parser.add_argument("--engine", choices=ENGINES, default="duckdb")
    parser.add_argument(
        "--rules", type=Path, action="append", default=[], metavar="FILE_OR_DIR",
        help="more rules (.sql files); a rule with a built-in id replaces it",
    )  # fmt: skip
    parser.add_argument("--from", dest="first_day", type=_day, metavar="DATE")
    parser.add_argument("--to", dest="last_day", type=_day, metavar="DATE")
    parser.add_argument("--top", type=int, default=10, help="rows per table in the summary")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def run(args: argparse.Namespace, console: Console) -> int:
    options = ScanOptions(
        engine=args.engine,
        rules=tuple(args.rules),
        first_day=args.first_day,
        last_day=args.last_day,
    )
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("reading the data set", total=None)
        result = scan(
            args.data_dir, options, step=lambda text: progress.update(task, description=text)
        )
    if args.json:
        args.json.write_text(
            json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    summarise(result, console, args.top)
    if args.json:
        console.print(f"Full result written to {args.json}")
    return 0


def summarise(result: dict[str, Any], console: Console, top: int = 10) -> None:
    data = result["data_set"]
    console.print(
        f"[bold]{data['transactions']:,} transactions[/bold] in {data['stores']} stores by "
        f"{data['employees']} employees, {data['from']} to {data['to']} ({result['engine']}): "
        f"{len(result['exceptions']):,} exceptions from {len(result['rules'])} rules."
    )
    people = Table(title="Employees most in need of review", show_lines=False)
    for column in ("#", "employee", "store", "role", "risk", "why"):
        people.add_column(column)
    for row in result["employees"][:top]:
        people.add_row(str(row["rank"]), row["employee_id"], row["store_id"], row["role"],
                       f"{row['risk_score']:.0f}", row["reasons"][0])  # fmt: skip
    console.print(people)
    stores = Table(title="Stores")
    for column in ("#", "store", "risk", "why"):
        stores.add_column(column)
    for row in result["stores"][:top]:
        stores.add_row(
            str(row["rank"]), row["store_id"], f"{row['risk_score']:.0f}", row["reasons"][0]
        )
    console.print(stores)
