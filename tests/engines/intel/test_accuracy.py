"""On generated extracts (three seeds, 300+ incidents each) the engine finds the people, the
vehicles and the networks, and never merges look-alikes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.engines.intel.extracts import groups, pairwise_f1, truth_groups
from vigil.engines.intel import link
from vigil.engines.intel.generator import generate

SEEDS = (1, 2, 3)


@pytest.fixture(scope="module", params=SEEDS, ids=lambda seed: f"seed{seed}")
def linked(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp(f"intel-seed{request.param}")
    truth_path = folder / "truth.json"
    generate(folder / "extract", truth_path, seed=request.param, incidents=320)
    truth = json.loads(truth_path.read_text())
    return link(folder / "extract"), truth


def test_it_finds_the_people(linked: Any) -> None:
    outcome, truth = linked
    score = pairwise_f1(groups(outcome["people"], "subject_record_ids"),
                        truth_groups(truth["subjects"]))  # fmt: skip
    assert score >= 0.95


def test_it_finds_the_vehicles(linked: Any) -> None:
    outcome, truth = linked
    score = pairwise_f1(groups(outcome["vehicles"], "vehicle_record_ids"),
                        truth_groups(truth["vehicles"]))  # fmt: skip
    assert score >= 0.95


def test_it_finds_the_networks(linked: Any) -> None:
    outcome, truth = linked
    score = pairwise_f1(groups(outcome["networks"], "incident_ids"),
                        truth_groups(truth["incidents"]))  # fmt: skip
    assert score >= 0.95


def test_it_never_merges_people_who_only_share_a_common_name(linked: Any) -> None:
    outcome, truth = linked
    person_of = {r: p["person_id"] for p in outcome["people"] for r in p["subject_record_ids"]}
    assert truth["lookalikes"]["people"], "the generator plants look-alikes"
    merged = [pair for pair in truth["lookalikes"]["people"]
              if person_of[pair[0]] == person_of[pair[1]]]  # fmt: skip
    assert merged == []


def test_it_never_merges_popular_cars_with_other_plates(linked: Any) -> None:
    outcome, truth = linked
    vehicle_of = {r: v["vehicle_id"] for v in outcome["vehicles"] for r in v["vehicle_record_ids"]}
    assert truth["lookalikes"]["vehicles"]
    merged = [pair for pair in truth["lookalikes"]["vehicles"]
              if vehicle_of[pair[0]] == vehicle_of[pair[1]]]  # fmt: skip
    assert merged == []


def test_every_record_is_in_exactly_one_entry(linked: Any) -> None:
    outcome, truth = linked
    people = [r for p in outcome["people"] for r in p["subject_record_ids"]]
    vehicles = [r for v in outcome["vehicles"] for r in v["vehicle_record_ids"]]
    incidents = [i for n in outcome["networks"] for i in n["incident_ids"]]
    assert sorted(people) == sorted(truth["subjects"])
    assert sorted(vehicles) == sorted(truth["vehicles"])
    assert len(incidents) == len(set(incidents))


def test_generated_extract_is_the_same_for_the_same_seed(tmp_path: Path) -> None:
    generate(tmp_path / "a", tmp_path / "a.json", seed=7, incidents=40)
    generate(tmp_path / "b", tmp_path / "b.json", seed=7, incidents=40)
    for table in ("stores", "incidents", "subjects", "vehicles"):
        assert (tmp_path / "a" / f"{table}.csv").read_bytes() == (
            tmp_path / "b" / f"{table}.csv"
        ).read_bytes()
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
