"""Scanning generated data: the planted dishonest employees rank first, look-alikes do not.

The generator plants schemes (post-voids of one's own cash sales, sweethearting, refunds to
one's own card…) and honest look-alikes (service-desk staff, supervisors, a new hire, a store
with many returns). The ranking must put every planted employee in the top K, where K is how
many were planted, and no look-alike there, for several seeds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vigil.engines.pos.cli import main
from vigil.engines.pos.generator import generate
from vigil.engines.pos.scanning import ScanOptions, scan


@pytest.fixture(scope="module", params=[1, 2, 3], ids=lambda seed: f"seed{seed}")
def scanned(request: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Any]:
    folder = tmp_path_factory.mktemp(f"pos{request.param}") / "data"
    truth = generate(folder, stores=4, days=28, seed=request.param)
    return scan(folder), truth


def _planted(truth: Any) -> set[str]:
    return {row["employee_id"] for row in json.loads(truth.to_json())["dishonest"]}


def _look_alikes(truth: Any) -> set[str]:
    return {
        row["employee_id"]
        for row in json.loads(truth.to_json())["look_alikes"]
        if row.get("employee_id")
    }


def test_planted_employees_fill_the_top_of_the_ranking(scanned: tuple[dict, Any]) -> None:
    result, truth = scanned
    planted = _planted(truth)
    top = {row["employee_id"] for row in result["employees"][: len(planted)]}
    recall = len(top & planted) / len(planted)
    assert recall >= 0.95, f"top {len(planted)}: {sorted(top)}; planted: {sorted(planted)}"


def test_no_honest_look_alike_reaches_the_top(scanned: tuple[dict, Any]) -> None:
    result, truth = scanned
    top = {row["employee_id"] for row in result["employees"][: len(_planted(truth))]}
    assert not top & _look_alikes(truth)


def test_every_employee_is_ranked_with_reasons_naming_the_peers(
    scanned: tuple[dict, Any],
) -> None:
    result, _ = scanned
    ranks = [row["rank"] for row in result["employees"]]
    assert ranks == list(range(1, len(ranks) + 1))
    assert result["data_set"]["employees"] == len(ranks)
    first = result["employees"][0]
    assert 0 <= first["risk_score"] <= 100
    assert "peer median" in first["reasons"][0] and "among" in first["reasons"][0]


def test_every_exception_has_a_severity_and_the_contracts_fields(
    scanned: tuple[dict, Any],
) -> None:
    result, _ = scanned
    sample = result["exceptions"][0]
    assert set(sample) >= {
        "rule", "transaction_id", "employee_id", "store_id", "register_id",
        "business_date", "at", "amount", "severity", "detail",
    }  # fmt: skip
    assert all(0 < row["severity"] <= 1 for row in result["exceptions"])
    assert isinstance(sample["amount"], str)
    assert sample["at"][-6] in "+-"  # the data's own UTC offset, kept


def test_stores_are_ranked_too(scanned: tuple[dict, Any]) -> None:
    result, _ = scanned
    assert [row["rank"] for row in result["stores"]] == list(range(1, 5))
    assert all(row["reasons"] for row in result["stores"])


def test_the_command_writes_the_json_and_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    generate(folder, stores=2, days=3, seed=5)
    out = tmp_path / "result.json"
    assert main(["scan", str(folder), "--json", str(out)]) == 0
    result = json.loads(out.read_text())
    assert result["engine"] == "duckdb" and result["data_set"]["stores"] == 2
    printed = capsys.readouterr().out
    assert "Employees most in need of review" in printed


def test_a_period_narrows_the_exceptions(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    generate(folder, stores=2, days=6, seed=7)
    from datetime import date

    result = scan(folder, ScanOptions(first_day=date(2026, 3, 3), last_day=date(2026, 3, 4)))
    days = {row["business_date"] for row in result["exceptions"]}
    assert days <= {"2026-03-03", "2026-03-04"}
