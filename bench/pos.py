"""The POS engine benchmark: ``python -m bench pos [--line-items 10M] [--dir DIR]``.

A generated data set of about ``--line-items`` item lines (10 million by default, about 2.3
million transactions) is scanned three ways, each in a child process so its time and peak
memory are its own:

- **floor**: DuckDB reads every table of the data set once and aggregates it. No scan can
  be faster than reading its input, so this is the yardstick.
- **scan**: the full ``vigil pos scan`` (contract checks, loading with decimals, all 20
  rules, scoring) on 2 threads.
- **pandas**: a straightforward pandas implementation of five of the rules
  (post_void_own_cash, no_sale_drawer, line_void_cash, return_no_receipt_cash,
  keyed_not_scanned), reading the same CSV files.

Targets: scan at most 2x the floor, at least 20x faster than pandas, at most 4 GB peak.
The data set is generated once and reused from ``--dir`` (default: a folder under the
system temp directory) when its size matches.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple

REPOSITORY = Path(__file__).resolve().parents[1]
LINES_PER_TRANSACTION = 3.9  # what the generator averages, measured
GiB = 1024**3
THREADS = 2


class Row(NamedTuple):
    name: str
    value: float
    unit: str
    target: str
    detail: str


def data_set(line_items: int, base: Path | None) -> Path:
    """A generated data set of about ``line_items`` lines, made once and reused."""
    from vigil.engines.pos.generator import generate

    root = (base or Path(tempfile.gettempdir())) / f"vigil-bench-pos-{line_items}"
    folder = root / "data"
    if (folder / "tenders.csv").exists():
        return folder
    stores, days = 12, 28
    registers = 11  # six lanes, four self-checkouts and the desk, roughly
    per_register_day = max(
        10, round(line_items / LINES_PER_TRANSACTION / (stores * days * registers))
    )
    print(f"generating about {line_items:,} line items into {folder} …", file=sys.stderr)
    generate(
        folder, stores=stores, days=days, seed=1, transactions_per_register_day=per_register_day
    )
    return folder


def child(mode: str, folder: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.pos", mode, str(folder)]
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=REPOSITORY)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(line_items: int, base: Path | None) -> list[Row]:
    folder = data_set(line_items, base)
    size = sum(path.stat().st_size for path in folder.glob("*.csv"))
    lines = sum(1 for _ in (folder / "line_items.csv").open()) - 1
    floor, scan, pandas = (child(mode, folder) for mode in ("floor", "scan", "pandas"))
    detail = f"{lines:,} line items, {size / 1e9:.2f} GB of CSV"
    return [
        Row("floor: DuckDB reads and aggregates", floor["seconds"], "s", "(yardstick)",
            f"{detail}; peak {floor['peak_rss'] / GiB:.2f} GiB"),
        Row("scan: checks, load, 20 rules, scores", scan["seconds"], "s", "<= 2x floor",
            f"{scan['seconds'] / floor['seconds']:.2f}x floor; {scan['exceptions']:,} exceptions"),
        Row("scan peak memory", scan["peak_rss"] / GiB, "GiB", "<= 4 GiB", "resident, child"),
        Row("pandas: 5 rules", pandas["seconds"], "s", "scan >= 20x faster",
            f"scan is {pandas['seconds'] / scan['seconds']:.1f}x faster; pandas peak "
            f"{pandas['peak_rss'] / GiB:.2f} GiB"),
    ]  # fmt: skip


# --- what each child process does ------------------------------------------------------------


def _floor(folder: Path) -> dict[str, Any]:
    import duckdb

    connection = duckdb.connect()
    connection.execute(f"SET threads = {THREADS}")
    total = 0
    for path in sorted(folder.glob("*.csv")):
        row = connection.execute(
            f"SELECT count(*), max(COLUMNS(*)) FROM read_csv('{path}', all_varchar=true)"
        ).fetchone()
        total += int(row[0]) if row else 0
    return {"rows": total}


def _scan(folder: Path) -> dict[str, Any]:
    from vigil.engines.pos.scanning import ScanOptions, scan

    result = scan(folder, ScanOptions(threads=THREADS))
    return {"exceptions": len(result["exceptions"])}


def _pandas(folder: Path) -> dict[str, Any]:
    import pandas as pd

    text = {"dtype": str, "keep_default_na": False}
    transactions = pd.read_csv(folder / "transactions.csv", **text)
    lines = pd.read_csv(folder / "line_items.csv", **text)
    tenders = pd.read_csv(folder / "tenders.csv", **text)
    tenders["amount"] = tenders["amount"].astype(float)
    cash = tenders[tenders["tender_type"] == "cash"].groupby("transaction_id")["amount"].sum()
    transactions = transactions.merge(
        cash.rename("cash_amount"), left_on="transaction_id", right_index=True, how="left"
    ).fillna({"cash_amount": 0.0})
    found = 0
    # post_void_own_cash
    own = transactions[
        (transactions["status"] == "post_voided")
        & (transactions["kind"] == "sale")
        & (
            (transactions["post_void_employee_id"] == "")
            | (transactions["post_void_employee_id"] == transactions["employee_id"])
        )
    ]
    found += len(own)
    # no_sale_drawer
    found += int((transactions["kind"] == "no_sale").sum())
    # line_void_cash
    voided = lines[lines["line_voided"].str.lower().isin(["true", "1", "t", "yes"])]
    per_tx = voided.groupby("transaction_id").size().rename("voided")
    completed = transactions[transactions["status"] == "completed"].merge(
        per_tx, left_on="transaction_id", right_index=True
    )
    found += len(completed)
    # return_no_receipt_cash
    returns = transactions[
        transactions["kind"].isin(["return", "exchange"])
        & (transactions["status"] == "completed")
        & ~transactions["receipt_present"].str.lower().isin(["true", "1", "t", "yes"])
        & (transactions["original_transaction_id"] == "")
        & (transactions["cash_amount"] < 0)
    ]
    found += len(returns)
    # keyed_not_scanned
    scanned_share = (lines["entry_method"] == "scanned").groupby(lines["sku"]).mean()
    usual = set(scanned_share[scanned_share >= 0.9].index)
    keyed = lines[(lines["entry_method"] == "keyed") & lines["sku"].isin(usual)]
    keyed_per_tx = keyed.groupby("transaction_id").size()
    found += int((keyed_per_tx >= 2).sum())
    return {"exceptions": found}


def _measure(mode: str, folder: Path) -> dict[str, Any]:
    work = {"floor": _floor, "scan": _scan, "pandas": _pandas}[mode]
    start = time.perf_counter()
    outcome = work(folder)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
    return {"seconds": round(seconds, 3), "peak_rss": peak, **outcome}


if __name__ == "__main__":
    print(json.dumps(_measure(sys.argv[1], Path(sys.argv[2]))))
