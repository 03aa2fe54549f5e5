"""The shrink scan: shrink at cost and retail from known counts, hot spots on generated data
with planted ones, small cells kept out, and bad input refused."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from vigil.engines.pos.generator import generate
from vigil.engines.shrink.cli import main

STORES = "store_id,name,region,timezone\nS1,One,R1,America/Chicago\nS2,Two,R1,America/Chicago\n"
EMPLOYEES = "employee_id,store_id,name,role,hired_on\nE1,S1,Ann,cashier,2024-01-01\n"
TRANSACTIONS = (
    "transaction_id,store_id,register_id,employee_id,business_date,started_at,ended_at,kind,"
    "status,subtotal,total\n"
    "T1,S1,R1,E1,2026-03-01,2026-03-01T10:00:00-06:00,2026-03-01T10:01:00-06:00,sale,"
    "completed,1000.00,1000.00\n"
)
LINES = (
    "transaction_id,line_no,sku,department,quantity,unit_price,extended_amount\n"
    "T1,1,RAZ1,razors,100,10.00,1000.00\n"
)
TENDERS = "transaction_id,tender_type,amount\nT1,cash,1000.00\n"


def small_data_set(folder: Path, counts: str) -> Path:
    folder.mkdir(parents=True)
    tables = {"stores": STORES, "employees": EMPLOYEES, "transactions": TRANSACTIONS,
              "line_items": LINES, "tenders": TENDERS, "inventory_counts": counts}  # fmt: skip
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def scan(folder: Path, tmp_path: Path, *extra: str) -> dict:
    out = tmp_path / "result.json"
    assert main(["scan", str(folder), "--json", str(out), *extra]) == 0
    return json.loads(out.read_text())


def test_shrink_at_cost_and_retail_from_known_counts(tmp_path: Path) -> None:
    counts = (
        "store_id,sku,department,count_date,book_qty,counted_qty,unit_cost,unit_retail\n"
        "S1,RAZ1,razors,2026-03-31,100,90,4.00,10.00\n"  # 10 lost: 40.00 cost, 100.00 retail
        "S1,SOAP,soap,2026-03-31,50,52,1.00,2.50\n"  # 2 found: -2.00 cost, -5.00 retail
        "S2,RAZ1,razors,2026-03-30,200,199,4.00,\n"  # 1 lost, no retail: 4.00 at cost both
    )
    result = scan(small_data_set(tmp_path / "data", counts), tmp_path)
    summary = result["summary"]
    assert (summary["shrink_cost"], summary["shrink_retail"]) == ("42.00", "99.00")
    assert summary["sales"] == "1000.00" and summary["rate_basis"] == "retail over sales"
    assert summary["shrink_rate"] == pytest.approx(0.099)
    assert (summary["counts"], summary["from"], summary["to"]) == (3, "2026-03-30", "2026-03-31")
    razors = next(d for d in result["by_department"] if d["department"] == "razors")
    assert razors["shrink_cost"] == "44.00" and razors["rank"] == 1
    assert [s["store_id"] for s in result["by_store"]] == ["S1", "S2"]
    (item,) = [i for i in result["items"] if i["sku"] == "RAZ1"]
    assert (item["shrink_units"], item["shrink_cost"], item["stores"]) == (11, "44.00", 2)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_planted_hot_spot_ranks_first_and_a_tiny_cell_never_outranks_it(
    tmp_path: Path, seed: int
) -> None:
    folder = tmp_path / "data"
    truth = generate(folder, stores=4, days=14, seed=seed, transactions_per_register_day=10)
    (planted,) = truth.shrink_hotspots
    with (folder / "inventory_counts.csv").open("a", encoding="utf-8", newline="") as handle:
        # A one-off count of 20 units at another store, all lost: a huge rate, a tiny sample.
        other = "S101" if planted["store_id"] != "S101" else "S102"
        csv.writer(handle).writerow(
            [other, "GIFT1", "gift-sets", "2026-03-14", "20", "0", "9.00", "15.00"]
        )
    result = scan(folder, tmp_path, "--top", "3")
    first = result["hotspots"][0]
    assert (first["store_id"], first["department"]) == (planted["store_id"], planted["department"])
    assert first["reasons"][0].startswith(f"{planted['department']} at {planted['store_id']} lost")
    assert all(spot["department"] != "gift-sets" for spot in result["hotspots"])


def test_a_data_set_without_counts_is_refused(tmp_path: Path, capsys) -> None:
    folder = small_data_set(
        tmp_path / "data", "store_id,sku,count_date,book_qty,counted_qty,unit_cost\n"
    )
    (folder / "inventory_counts.csv").unlink()
    assert main(["scan", str(folder)]) == 2
    assert "has no inventory_counts table" in capsys.readouterr().err


def test_a_bad_count_names_its_row_and_column(tmp_path: Path, capsys) -> None:
    counts = (
        "store_id,sku,department,count_date,book_qty,counted_qty,unit_cost,unit_retail\n"
        "S1,RAZ1,razors,2026-03-31,100,ninety,4.00,10.00\n"
    )
    assert main(["scan", str(small_data_set(tmp_path / "data", counts))]) == 2
    error = capsys.readouterr().err
    assert "inventory_counts.csv" in error and "row 1" in error and "counted_qty" in error


def test_a_count_at_a_store_the_data_set_does_not_have_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    counts = (
        "store_id,sku,department,count_date,book_qty,counted_qty,unit_cost,unit_retail\n"
        "S1,RAZ1,razors,2026-03-31,100,90,4.00,10.00\n"
        "S9,RAZ1,razors,2026-03-31,100,90,4.00,10.00\n"
    )
    assert main(["scan", str(small_data_set(tmp_path / "data", counts))]) == 2
    error = capsys.readouterr().err
    assert "inventory_counts.csv" in error and "row 2" in error and "store_id" in error
    assert "'S9' is not a store_id in stores.csv" in error
