"""The shrink scan gives the same answer on Spark as on DuckDB, through the same engine switch
as the POS scan (``--engine spark``)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.engines.spark import spark_or_skip
from vigil.engines.pos.generator import generate
from vigil.engines.shrink.cli import main


def test_spark_and_duckdb_find_the_same_shrink_and_hot_spots(tmp_path: Path) -> None:
    spark_or_skip()
    folder = tmp_path / "data"
    truth = generate(folder, stores=3, days=35, seed=5, transactions_per_register_day=4)
    results = {}
    for engine in ("duckdb", "spark"):
        out = tmp_path / f"{engine}.json"
        assert main(["scan", str(folder), "--engine", engine, "--json", str(out)]) == 0
        results[engine] = json.loads(out.read_text())
    assert results["spark"] == results["duckdb"]
    (planted,) = truth.shrink_hotspots
    first = results["spark"]["hotspots"][0]
    assert (first["store_id"], first["department"]) == (planted["store_id"], planted["department"])
    assert len(results["spark"]["periods"]) == 2  # counts at the end of March and in April
