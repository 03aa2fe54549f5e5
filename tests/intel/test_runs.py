"""Storing the engine's answer: profiles, vehicles, networks and suggestions; decisions kept
and handed to every later run."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.intel.conftest import Crew, engine_result
from vigil.core.models import AuditEvent
from vigil.intel import decisions, runs
from vigil.intel.extract import subject_record_id, vehicle_record_id
from vigil.intel.models import (
    Decision,
    IntelRun,
    Network,
    Profile,
    Suggestion,
    VehicleCluster,
    Verdict,
)


def reimport(crew: Crew) -> IntelRun:
    return runs.import_result(IntelRun.objects.create(), engine_result(crew))


def test_people_become_a_profile_of_both_subjects(crew: Crew, imported: IntelRun) -> None:
    profile = Profile.objects.get()
    assert set(profile.subjects.all()) == {crew.bob, crew.robert}
    assert set(profile.stores.all()) == {crew.store_a, crew.store_a2}
    assert (profile.name, profile.aliases, profile.match_probability) == (
        "Robert Kowalczyk",
        ["Smoke"],
        0.96,
    )


def test_vehicles_become_one_cluster(crew: Crew, imported: IntelRun) -> None:
    cluster = VehicleCluster.objects.get()
    assert set(cluster.vehicles.all()) == {crew.van, crew.van_again}
    assert str(cluster) == "KXH1783 silver Toyota Sienna"


def test_the_network_holds_incidents_people_vehicles_and_loss(
    crew: Crew, imported: IntelRun
) -> None:
    network = Network.objects.get()
    assert set(network.incidents.all()) == {crew.first, crew.second}
    assert network.profiles.get() == Profile.objects.get()
    assert network.vehicle_clusters.get() == VehicleCluster.objects.get()
    assert network.total_loss == Decimal("1350.00")
    assert network.first_seen == crew.first.occurred_at


def test_each_undecided_pair_is_a_suggestion(crew: Crew, imported: IntelRun) -> None:
    person = Suggestion.objects.get(kind="person")
    assert {person.subject_a, person.subject_b} == {crew.bob, crew.robert}
    assert person.probability == 0.96
    assert person.reasons == ["same last name", "Bob ~ Robert", "same car"]
    vehicle = Suggestion.objects.get(kind="vehicle")
    assert {vehicle.vehicle_a, vehicle.vehicle_b} == {crew.van, crew.van_again}
    assert imported.counts == {"profiles": 1, "vehicles": 1, "networks": 1, "suggestions": 2}


def test_a_second_run_replaces_the_first(crew: Crew, imported: IntelRun) -> None:
    reimport(crew)
    assert Profile.objects.count() == Network.objects.count() == 1
    assert Suggestion.objects.count() == 2


def test_a_rejected_pair_is_not_suggested_after_a_rerun(crew: Crew, imported: IntelRun) -> None:
    decisions.decide(crew.investigator, Suggestion.objects.get(kind="person"), Verdict.DIFFERENT)
    assert not Suggestion.objects.filter(kind="person").exists()
    reimport(crew)
    assert not Suggestion.objects.filter(kind="person").exists()
    assert Suggestion.objects.filter(kind="vehicle").exists()


def test_a_confirmed_pair_is_not_suggested_again(crew: Crew, imported: IntelRun) -> None:
    decisions.decide(crew.investigator, Suggestion.objects.get(kind="vehicle"), Verdict.SAME)
    reimport(crew)
    assert not Suggestion.objects.filter(kind="vehicle").exists()


def test_a_decision_is_kept_and_audited(crew: Crew, imported: IntelRun) -> None:
    decisions.decide(crew.investigator, Suggestion.objects.get(kind="person"), Verdict.SAME)
    decision = Decision.objects.get()
    assert (decision.verdict, decision.decided_by, decision.probability) == (
        "same",
        crew.investigator,
        0.96,
    )
    event = AuditEvent.objects.get(action=decisions.DECISION_ACTION)
    assert event.changes["verdict"] == "same"
    assert {event.changes["a"], event.changes["b"]} == {crew.bob.pk, crew.robert.pk}


def test_decisions_go_to_the_engine_as_record_pairs(crew: Crew, imported: IntelRun) -> None:
    decisions.decide(crew.investigator, Suggestion.objects.get(kind="person"), Verdict.DIFFERENT)
    decisions.decide(crew.investigator, Suggestion.objects.get(kind="vehicle"), Verdict.SAME)
    decisions.ignore_value(crew.investigator, "last_name", "Unknown")
    said = decisions.decision_set()
    bob = subject_record_id(crew.bob.pk, crew.first.pk)
    robert = subject_record_id(crew.robert.pk, crew.second.pk)
    assert (bob, robert) in said.different or (robert, bob) in said.different
    vans = {vehicle_record_id(crew.van.pk, crew.first.pk)}
    vans.add(vehicle_record_id(crew.van_again.pk, crew.second.pk))
    assert any(set(pair) == vans for pair in said.same)
    assert said.ignored_values == [("last_name", "Unknown")]


def test_the_latest_decision_on_a_pair_counts(crew: Crew, imported: IntelRun) -> None:
    suggestion = Suggestion.objects.get(kind="person")
    decisions.decide(crew.investigator, suggestion, Verdict.DIFFERENT)
    decisions.decide(crew.investigator, suggestion, Verdict.SAME)
    said = decisions.decision_set()
    assert not said.different
    assert Decision.objects.count() == 2


def test_one_subject_on_two_incidents_goes_as_a_confirmed_pair(crew: Crew) -> None:
    from tests.conftest import make_incident
    from vigil.cases import filing

    third = make_incident(crew.store_a, crew.investigator)
    filing.add_party(crew.investigator, third, "suspect", subject=crew.bob)
    said = decisions.decision_set()
    assert (
        subject_record_id(crew.bob.pk, crew.first.pk),
        subject_record_id(crew.bob.pk, third.pk),
    ) in said.same


def test_a_placeholder_value_is_ignored_once(crew: Crew) -> None:
    decisions.ignore_value(crew.investigator, "plate", "courtesy 1")
    decisions.ignore_value(crew.investigator, "plate", "COURTESY1")
    assert decisions.decision_set().ignored_values == [("plate", "COURTESY1")]


def test_a_single_record_is_no_profile(crew: Crew) -> None:
    result = engine_result(crew)
    result["people"] = [
        {**result["people"][0], "subject_record_ids": [record], "links": []}
        for record in result["people"][0]["subject_record_ids"]
    ]
    result["networks"] = []
    runs.import_result(IntelRun.objects.create(), result)
    assert not Profile.objects.exists()
    assert not Suggestion.objects.filter(kind="person").exists()


def test_a_run_links_through_the_engine(crew: Crew, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def engine(folder: Path, engine: str = "duckdb") -> dict[str, Any]:
        seen["subjects"] = (folder / "subjects.csv").read_text(encoding="utf-8")
        return engine_result(crew)

    monkeypatch.setattr(runs, "call_engine", engine)
    run = runs.link_region(crew.store_a.region)
    assert "Kowalczyk" in seen["subjects"]
    assert run.region == crew.store_a.region
    assert Profile.objects.get().run == run
