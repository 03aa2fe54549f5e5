"""``vigil intel link``: the contract's JSON, the reasons in words, the decisions honoured."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.engines.intel.extracts import small_extract
from vigil.cli import resolve
from vigil.engines.intel import link
from vigil.engines.intel.cli import main
from vigil.engines.intel.decisions import Decisions


@pytest.fixture(scope="module")
def extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_extract(tmp_path_factory.mktemp("intel") / "extract")


@pytest.fixture(scope="module")
def outcome(extract: Path) -> dict[str, Any]:
    return link(extract)


def _person_of(result: dict[str, Any], record: str) -> str:
    return next(p["person_id"] for p in result["people"] if record in p["subject_record_ids"])


def _vehicle_of(result: dict[str, Any], record: str) -> str:
    return next(v["vehicle_id"] for v in result["vehicles"] if record in v["vehicle_record_ids"])


def test_it_links_a_nickname_a_typo_and_swapped_boxes(outcome: dict[str, Any]) -> None:
    robert = next(p for p in outcome["people"] if "SR1" in p["subject_record_ids"])
    assert robert["subject_record_ids"] == ["SR1", "SR2", "SR3"]
    assert robert["name"] == "Robert Kowalczyk"
    assert robert["incidents"] == 3 and robert["stores"] == ["S201", "S202", "S203"]
    assert 0.95 <= robert["match_probability"] <= 1.0


def test_reasons_say_why_in_words_with_weights(outcome: dict[str, Any]) -> None:
    robert = next(p for p in outcome["people"] if "SR1" in p["subject_record_ids"])
    text = " ".join(robert["reasons"])
    assert "Bob ~ Robert (nickname)" in text or "swapped boxes" in text
    assert "(+" in text and "match probability" in text
    assert {(e["a"], e["b"]) for e in robert["links"]} <= {("SR1", "SR2"), ("SR1", "SR3"),
                                                          ("SR2", "SR3")}  # fmt: skip
    assert all(e["reasons"] and 0 < e["probability"] <= 1 for e in robert["links"])


def test_a_misread_and_a_partial_plate_are_one_car_but_a_lookalike_car_is_not(
    outcome: dict[str, Any],
) -> None:
    car = next(v for v in outcome["vehicles"] if "VR1" in v["vehicle_record_ids"])
    assert car["vehicle_record_ids"] == ["VR1", "VR2", "VR3"]
    assert car["plate"] in {"KXH1783", "KXHI783"}  # one read each: either is the plate
    assert any("reader confusions" in reason for reason in car["reasons"] + [
        r for e in car["links"] for r in e["reasons"]])  # fmt: skip
    assert _vehicle_of(outcome, "VR4") != car["vehicle_id"]


def test_a_network_joins_the_incidents_of_one_person(outcome: dict[str, Any]) -> None:
    assert len(outcome["networks"]) == 1
    network = outcome["networks"][0]
    assert network["network_id"] == "N-001"
    assert network["incident_ids"] == ["INC1", "INC2", "INC3"]
    assert network["total_loss"] == "361.50"
    assert network["first_seen"] == "2026-07-01T10:12:00-05:00"
    assert network["last_seen"] == "2026-07-03T10:12:00-05:00"
    assert "same method in 3 incidents: booster bag" in network["reasons"]


def test_every_record_is_in_exactly_one_entry(outcome: dict[str, Any]) -> None:
    people = sorted(r for p in outcome["people"] for r in p["subject_record_ids"])
    vehicles = sorted(r for v in outcome["vehicles"] for r in v["vehicle_record_ids"])
    assert people == ["SR1", "SR2", "SR3", "SR4"]
    assert vehicles == ["VR1", "VR2", "VR3", "VR4"]
    assert outcome["engine"] == "duckdb"


def test_a_rejected_pair_is_never_linked_even_through_others(extract: Path) -> None:
    result = link(extract, decisions=Decisions(different=[("SR1", "SR3")]))
    assert _person_of(result, "SR1") != _person_of(result, "SR3")


def test_a_confirmed_pair_stays_linked(extract: Path) -> None:
    result = link(extract, decisions=Decisions(same=[("SR1", "SR4")]))
    assert _person_of(result, "SR1") == _person_of(result, "SR4")
    entry = next(p for p in result["people"] if "SR4" in p["subject_record_ids"])
    assert any("confirmed by an investigator" in r for e in entry["links"] for r in e["reasons"])


def test_an_ignored_plate_is_no_evidence(extract: Path) -> None:
    result = link(extract, decisions=Decisions(ignored_values=[("plate", "KXH1783")]))
    assert _vehicle_of(result, "VR1") != _vehicle_of(result, "VR2") or (
        _person_of(result, "SR1") == _person_of(result, "SR2")  # same driver still links them
    )
    plain = link(extract)
    assert _vehicle_of(plain, "VR1") == _vehicle_of(plain, "VR2")


def test_an_ignored_last_name_is_no_evidence(extract: Path) -> None:
    result = link(extract, decisions=Decisions(ignored_values=[("last_name", "Kowalczyk")]))
    assert _person_of(result, "SR1") != _person_of(result, "SR2")


def test_cli_writes_the_json_and_exits_0(extract: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    out = tmp_path / "out.json"
    assert main(["link", str(extract), "--json", str(out)]) == 0
    written = json.loads(out.read_text())
    assert set(written) == {"engine", "people", "vehicles", "networks"}
    person = {
        "person_id",
        "subject_record_ids",
        "name",
        "aliases",
        "incidents",
        "stores",
        "match_probability",
        "reasons",
        "links",
    }
    vehicle = {
        "vehicle_id",
        "vehicle_record_ids",
        "plate",
        "make",
        "model",
        "colour",
        "match_probability",
        "reasons",
        "links",
    }
    network = {
        "network_id",
        "incident_ids",
        "people",
        "vehicles",
        "stores",
        "total_loss",
        "first_seen",
        "last_seen",
        "reasons",
    }
    assert all(set(entry) >= person for entry in written["people"])
    assert all(set(entry) >= vehicle for entry in written["vehicles"])
    assert all(set(entry) >= network for entry in written["networks"])
    assert "people" in capsys.readouterr().out


def test_cli_takes_decisions_from_a_file(extract: Path, tmp_path: Path) -> None:
    decisions = tmp_path / "decisions.json"
    decisions.write_text(json.dumps({"different": [["SR1", "SR2"]]}))
    out = tmp_path / "out.json"
    assert main(["link", str(extract), "--json", str(out), "--decisions", str(decisions)]) == 0
    result = json.loads(out.read_text())
    assert _person_of(result, "SR1") != _person_of(result, "SR2")


def test_cli_exits_2_for_a_missing_folder(tmp_path: Path) -> None:
    assert main(["link", str(tmp_path / "nothing")]) == 2


def test_cli_generate_writes_an_extract_and_a_separate_answer_key(tmp_path: Path) -> None:
    assert main(["generate", str(tmp_path / "x"), "--truth", str(tmp_path / "t.json"),
                 "--incidents", "30", "--seed", "4"]) == 0  # fmt: skip
    assert {p.name for p in (tmp_path / "x").iterdir()} == {
        "stores.csv",
        "incidents.csv",
        "subjects.csv",
        "vehicles.csv",
    }
    assert main(["generate", str(tmp_path / "y"), "--truth", str(tmp_path / "y" / "t.json")]) == 2


def test_vigil_intel_is_wired_into_the_vigil_command() -> None:
    found = resolve(["intel", "link", "x"])
    assert found is not None and found[0].entry == "vigil.engines.intel.cli:main"


def test_an_extract_with_one_subject_and_no_vehicles_links(tmp_path: Path) -> None:
    (tmp_path / "incidents.csv").write_text(
        "incident_id,store_id,occurred_at,kind,loss\nI1,S1,2026-07-01T10:00:00+00:00,other,1.00\n"
    )
    (tmp_path / "subjects.csv").write_text("subject_record_id,incident_id,first_name\nS1,I1,Bob\n")
    (tmp_path / "vehicles.csv").write_text("vehicle_record_id,incident_id\n")
    result = link(tmp_path)
    assert [p["subject_record_ids"] for p in result["people"]] == [["S1"]]
    assert result["people"][0]["match_probability"] == 1.0
    assert result["vehicles"] == [] and result["networks"] == []
