"""A bad extract stops with the file, the row and the column, and nothing is written."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.engines.intel.extracts import small_extract, write_table
from vigil.engines.intel.cli import main
from vigil.engines.intel.contract import ContractError, protected_column, read_extract


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _refused(folder: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> str:
    out = tmp_path / "result.json"
    assert main(["link", str(folder), "--json", str(out)]) == 2
    assert not out.exists()
    return capsys.readouterr().err


def test_it_names_a_missing_required_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = small_extract(tmp_path / "x")
    rows = [{k: v for k, v in row.items() if k != "incident_id"}
            for row in _rows(folder / "vehicles.csv")]  # fmt: skip
    write_table(folder / "vehicles.csv", rows)
    error = _refused(folder, capsys, tmp_path)
    assert "vehicles.csv" in error and "'incident_id'" in error and "missing" in error


def test_it_names_a_timestamp_without_utc_offset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = small_extract(tmp_path / "x")
    rows = _rows(folder / "incidents.csv")
    rows[2]["occurred_at"] = "2026-07-03T10:12:00"
    write_table(folder / "incidents.csv", rows)
    error = _refused(folder, capsys, tmp_path)
    assert "incidents.csv, row 3, column 'occurred_at'" in error
    assert "UTC offset" in error


@pytest.mark.parametrize(
    "column",
    [
        "Race",
        "ethnicity",
        "Religion",
        "sexual_orientation",
        "GenderIdentity",
        "nationality",
        "disability_status",
    ],
)
def test_it_refuses_a_protected_class_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], column: str
) -> None:
    folder = small_extract(tmp_path / "x")
    rows = [{**row, column: "x"} for row in _rows(folder / "subjects.csv")]
    write_table(folder / "subjects.csv", rows)
    error = _refused(folder, capsys, tmp_path)
    assert "subjects.csv" in error and repr(column) in error and "protected class" in error


def test_ordinary_columns_are_not_mistaken_for_protected_ones() -> None:
    ordinary = ["trace_id", "build", "hair", "marks", "plate_region", "aliases", "narrative"]
    assert not any(protected_column(name) for name in ordinary)


def test_it_names_a_duplicate_record_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = small_extract(tmp_path / "x")
    rows = _rows(folder / "subjects.csv")
    rows[3]["subject_record_id"] = rows[0]["subject_record_id"]
    write_table(folder / "subjects.csv", rows)
    error = _refused(folder, capsys, tmp_path)
    assert "subjects.csv, row 4, column 'subject_record_id'" in error
    assert "duplicate" in error


def test_it_names_a_record_of_an_unknown_incident(tmp_path: Path) -> None:
    folder = small_extract(tmp_path / "x")
    rows = _rows(folder / "vehicles.csv")
    rows[1]["incident_id"] = "INC404"
    write_table(folder / "vehicles.csv", rows)
    with pytest.raises(ContractError) as raised:
        read_extract(folder)
    assert (raised.value.file, raised.value.row, raised.value.column) == (
        "vehicles.csv",
        2,
        "incident_id",
    )


def test_it_reads_parquet_tables_like_csv(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = small_extract(tmp_path / "x")
    rows = _rows(folder / "subjects.csv")
    (folder / "subjects.csv").unlink()
    pq.write_table(pa.Table.from_pylist(rows), folder / "subjects.parquet")
    assert read_extract(folder).subjects == read_extract(small_extract(tmp_path / "y")).subjects
