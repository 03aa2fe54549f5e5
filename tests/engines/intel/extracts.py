"""Small hand-written extracts and the pairwise scores the intel tests assert."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from vigil.engines.intel.linking import pairs_of

INCIDENT = {
    "store_id": "S201",
    "occurred_at": "2026-07-03T10:12:00-05:00",
    "kind": "orc",
    "loss": "120.50",
    "items": "razors",
    "method": "booster bag",
    "narrative": "",
}


def write_table(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def small_extract(folder: Path) -> Path:
    """Four incidents: Robert Kowalczyk three times (as Bob, with a typo and swapped boxes),
    in one car read three ways, and a stranger who drives the same kind of car."""
    folder.mkdir(parents=True, exist_ok=True)
    write_table(folder / "incidents.csv", [
        {"incident_id": f"INC{n}", **INCIDENT, "store_id": f"S20{n}",
         "occurred_at": f"2026-07-0{n}T10:12:00-05:00"} for n in range(1, 5)
    ])  # fmt: skip
    subject = {"aliases": "", "date_of_birth": "", "height_cm": "", "build": "", "hair": "",
               "marks": ""}  # fmt: skip
    write_table(folder / "subjects.csv", [
        {"subject_record_id": "SR1", "incident_id": "INC1", **subject, "first_name": "Robert",
         "last_name": "Kowalczyk", "date_of_birth": "1984-03-07", "height_cm": "180"},
        {"subject_record_id": "SR2", "incident_id": "INC2", **subject, "first_name": "Bob",
         "last_name": "Kowalcyzk", "date_of_birth": "1984-07-03", "height_cm": "182"},
        {"subject_record_id": "SR3", "incident_id": "INC3", **subject, "first_name": "Kowalczyk",
         "last_name": "Robert", "date_of_birth": "1984-03-07", "height_cm": "178"},
        {"subject_record_id": "SR4", "incident_id": "INC4", **subject, "first_name": "Dana",
         "last_name": "Oyelaran", "date_of_birth": "1990-11-21", "height_cm": "165"},
    ])  # fmt: skip
    car = {"plate_region": "IL", "make": "Toyota", "model": "Camry", "colour": "silver"}
    write_table(folder / "vehicles.csv", [
        {"vehicle_record_id": "VR1", "incident_id": "INC1", "plate": "KXH1783", **car},
        {"vehicle_record_id": "VR2", "incident_id": "INC2", "plate": "KXHI783", **car},
        {"vehicle_record_id": "VR3", "incident_id": "INC3", "plate": "KXH17", **car},
        {"vehicle_record_id": "VR4", "incident_id": "INC4", "plate": "PLM4410", **car},
    ])  # fmt: skip
    return folder


def groups(entries: Iterable[dict[str, object]], key: str) -> list[list[str]]:
    return [list(entry[key]) for entry in entries]  # type: ignore[call-overload]


def truth_groups(mapping: dict[str, str | None]) -> list[list[str]]:
    grouped: dict[str, list[str]] = {}
    for record, entity in mapping.items():
        if entity is not None:
            grouped.setdefault(entity, []).append(record)
    return list(grouped.values())


def pairwise_f1(predicted: list[list[str]], true: list[list[str]]) -> float:
    found, wanted = pairs_of(predicted), pairs_of(true)
    if not found and not wanted:
        return 1.0
    hits = len(found & wanted)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(wanted) if wanted else 0.0
    return 2 * precision * recall / (precision + recall) if hits else 0.0
