"""``--engine spark`` scores the same model on Spark local[2] and finds the same clusters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.engines.spark import spark_or_skip
from vigil.engines.intel import link
from vigil.engines.intel.generator import generate


def _clusters(result: dict[str, Any], kind: str, key: str) -> list[list[str]]:
    return sorted(sorted(entry[key]) for entry in result[kind])


def test_spark_finds_the_same_people_vehicles_and_networks(tmp_path: Path) -> None:
    spark_or_skip()
    generate(tmp_path / "x", tmp_path / "truth.json", seed=5, incidents=60)
    duck = link(tmp_path / "x", engine="duckdb")
    spark = link(tmp_path / "x", engine="spark")
    assert spark["engine"] == "spark"
    assert _clusters(spark, "people", "subject_record_ids") == _clusters(
        duck, "people", "subject_record_ids"
    )
    assert _clusters(spark, "vehicles", "vehicle_record_ids") == _clusters(
        duck, "vehicles", "vehicle_record_ids"
    )
    assert _clusters(spark, "networks", "incident_ids") == _clusters(
        duck, "networks", "incident_ids"
    )
