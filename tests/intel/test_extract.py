"""The extract: the contract's tables and columns, one row per subject per incident, nothing
about protected classes, one region or everything."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.conftest import World, make_incident, make_subject, make_user
from tests.intel.conftest import Crew
from vigil.cases import filing
from vigil.core.models import Role
from vigil.intel import extract

# Every column the contract names, per table (contracts/intel-link.md).
CONTRACT = {
    "stores.csv": ["store_id", "name", "region", "timezone"],
    "incidents.csv": [
        "incident_id", "store_id", "occurred_at", "kind", "loss", "items", "method", "narrative",
    ],
    "subjects.csv": [
        "subject_record_id", "incident_id", "first_name", "last_name", "aliases",
        "date_of_birth", "height_cm", "build", "hair", "marks",
    ],
    "vehicles.csv": [
        "vehicle_record_id", "incident_id", "plate", "plate_region", "make", "model", "colour",
    ],
}  # fmt: skip
PROTECTED = ("race", "ethnic", "religio", "sexual", "gender", "nationality", "disab", "politic")


def rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as table:
        return list(csv.DictReader(table))


def header(folder: Path, name: str) -> list[str]:
    with (folder / name).open(encoding="utf-8", newline="") as table:
        return next(csv.reader(table))


def test_it_writes_the_contracts_tables_and_columns(crew: Crew, tmp_path: Path) -> None:
    extract.write_extract(tmp_path)
    for name, columns in CONTRACT.items():
        assert header(tmp_path, name) == columns


def test_it_writes_no_protected_class_column(crew: Crew, tmp_path: Path) -> None:
    extract.write_extract(tmp_path)
    for name in CONTRACT:
        for column in header(tmp_path, name):
            assert not any(word in column for word in PROTECTED), column


def test_a_subject_is_one_record_per_incident(crew: Crew, tmp_path: Path) -> None:
    third = make_incident(crew.store_a, crew.investigator)
    filing.add_party(crew.investigator, third, "suspect", subject=crew.bob)
    extract.write_extract(tmp_path)
    bobs = [row for row in rows(tmp_path, "subjects.csv") if row["last_name"] == "Kowalczyk"]
    assert {row["incident_id"] for row in bobs} == {crew.first.number, third.number}
    assert {row["subject_record_id"] for row in bobs} == {
        extract.subject_record_id(crew.bob.pk, crew.first.pk),
        extract.subject_record_id(crew.bob.pk, third.pk),
    }


def test_names_aliases_heights_and_times_are_as_the_engine_reads_them(
    crew: Crew, tmp_path: Path
) -> None:
    extract.write_extract(tmp_path)
    bob = next(r for r in rows(tmp_path, "subjects.csv") if r["first_name"] == "Bob")
    assert (bob["last_name"], bob["aliases"], bob["height_cm"]) == ("Kowalczyk", "Smoke", "178")
    incident = next(
        r for r in rows(tmp_path, "incidents.csv") if r["incident_id"] == crew.first.number
    )
    assert incident["loss"] == "700.00"
    assert incident["kind"] == "shoplifting"
    assert incident["occurred_at"].endswith(("-06:00", "-05:00"))  # the store's offset


def test_vehicles_are_one_record_per_incident(crew: Crew, tmp_path: Path) -> None:
    extract.write_extract(tmp_path)
    plates = {r["plate"]: r["incident_id"] for r in rows(tmp_path, "vehicles.csv")}
    assert plates == {"KXH1783": crew.first.number, "KXHI783": crew.second.number}


def test_one_region_leaves_the_others_out(crew: Crew, world: World, tmp_path: Path) -> None:
    clerk = make_user(Role.LP_MANAGER, stores=(world.store_b,))
    other = make_incident(world.store_b, clerk)
    filing.add_party(clerk, other, "suspect", subject=make_subject(world.store_b))
    written = extract.write_extract(tmp_path, world.region_a)
    numbers = {r["incident_id"] for r in rows(tmp_path, "incidents.csv")}
    assert other.number not in numbers
    assert {crew.first.number, crew.second.number} <= numbers
    assert written.subjects == 2


def test_record_ids_read_back() -> None:
    assert extract.parse_record_id("S12.I34") == ("S", 12, 34)
    assert extract.parse_record_id("V7.I8") == ("V", 7, 8)
    assert extract.parse_record_id("SR00012") is None


def test_names_split_into_first_and_last() -> None:
    assert extract.split_name("Robert  Kowalczyk") == ("Robert", "Kowalczyk")
    assert extract.split_name("Kowalczyk, Bob") == ("Bob", "Kowalczyk")
    assert extract.split_name("Kowalczyk") == ("", "Kowalczyk")


def test_heights_become_centimetres() -> None:
    assert extract.height_cm("5'10\"") == 178
    assert extract.height_cm("6 ft") == 183
    assert extract.height_cm("175 cm") == 175
    assert extract.height_cm("tall") is None
