"""DuckDB and Spark give the same exceptions and the same scores on the same data.

Spark runs in ``local[2]`` (see ``tests/engines/spark.py``).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.engines.spark import spark_or_skip
from vigil.engines.pos.generator import generate
from vigil.engines.pos.scanning import ScanOptions, scan


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    spark_or_skip()
    folder = tmp_path_factory.mktemp("parity") / "data"
    generate(folder, stores=2, days=4, seed=11, transactions_per_register_day=30)
    return scan(folder), scan(folder, ScanOptions(engine="spark"))


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["rule"], row["transaction_id"], row["employee_id"])


def test_both_engines_find_the_same_exceptions(both: tuple[dict, dict]) -> None:
    duck, spark = both
    assert duck["exceptions"], "the data set should hold exceptions"
    in_duck = {_key(row): row for row in duck["exceptions"]}
    in_spark = {_key(row): row for row in spark["exceptions"]}
    assert in_duck.keys() == in_spark.keys()
    for key, row in in_duck.items():
        other = in_spark[key]
        assert (row["amount"], row["at"], row["detail"]) == (
            other["amount"], other["at"], other["detail"],
        ), key  # fmt: skip
        assert row["severity"] == pytest.approx(other["severity"], abs=1e-9), key


def test_both_engines_rank_and_score_alike(both: tuple[dict, dict]) -> None:
    duck, spark = both
    assert [(r["employee_id"], r["risk_score"]) for r in duck["employees"]] == [
        (r["employee_id"], r["risk_score"]) for r in spark["employees"]
    ]
    assert duck["stores"] == spark["stores"]
    assert duck["data_set"] == spark["data_set"]
    assert (duck["engine"], spark["engine"]) == ("duckdb", "spark")
