"""A scanned data set with counts gets its shrink analysis: the count lines kept per store,
the planted hot spot first with the drivers Vigil holds, a recommendation to act on, and
known shrink told apart from unknown."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import make_incident, make_user
from tests.shrink.conftest import import_counts, tagging_walk
from vigil.audits.models import CorrectiveAction
from vigil.core.models import Role, Store, User
from vigil.pos import imports
from vigil.pos.models import DataSet
from vigil.shrink import figures, recommendations
from vigil.shrink.models import (
    CountLine,
    Hotspot,
    Recommendation,
    RecommendationStatus,
    ShrinkAnalysis,
)


def test_the_scan_is_followed_by_the_shrink_analysis(
    counted_chain_data: tuple[Path, Any], chain: dict[str, Store], director: User
) -> None:
    folder, truth = counted_chain_data
    data_set = import_counts(director, folder)
    analysis = ShrinkAnalysis.objects.get(data_set=data_set)
    assert CountLine.objects.filter(analysis=analysis).count() == data_set.rows["inventory_counts"]
    assert analysis.rate_basis == "retail over sales"
    (planted,) = truth.shrink_hotspots
    first = Hotspot.objects.get(analysis=analysis, rank=1)
    assert (first.store.code, first.department) == (planted["store_id"], planted["department"])
    assert first.reasons[0].startswith("razors at S102 lost")
    assert set(first.drivers) >= {"pos", "tagging", "alerts", "incidents"}
    proposed = first.recommendation
    assert proposed.status == RecommendationStatus.PROPOSED
    assert proposed.measures[-1] == "count the department's hot products weekly"
    assert proposed.evidence[0]["link"] == f"/shrink/hotspots/{first.pk}/"
    # A hot spot only just above the chain is watched, not acted on.
    for spot in Hotspot.objects.filter(analysis=analysis):
        has = Recommendation.objects.filter(hotspot=spot).exists()
        assert has == recommendations.is_material(spot)
    assert recommendations.is_material(first)


def test_drivers_name_untagged_items_and_recorded_thefts(
    counted_chain_data: tuple[Path, Any], chain: dict[str, Store], director: User
) -> None:
    folder, _ = counted_chain_data
    day = dt.date(2026, 3, 20)  # inside the counted period (2026-03-02 to the April count)
    for value in ("yes", "no", "no", "yes"):
        tagging_walk(director, chain["S102"], "tag-razors", value, day)
    for code in ("S101", "S103"):
        tagging_walk(director, chain[code], "tag-razors", "yes", day)
    when = dt.datetime(2026, 3, 21, 15, tzinfo=dt.UTC)
    make_incident(chain["S102"], director, occurred_at=when, merchandise_value="80.00",
                  recovered_value="20.00")  # fmt: skip
    data_set = import_counts(director, folder)
    first = Hotspot.objects.get(analysis__data_set=data_set, rank=1)
    assert first.drivers["tagging"]["compliance"] == 0.5
    assert first.drivers["tagging"]["chain_compliance"] == pytest.approx(4 / 6, abs=1e-4)
    assert "tagging compliance for razors at S102 was 50 % in 4 EAS walks vs 67 % chain-wide" in (
        first.reasons
    )
    assert (
        "1 theft incident at S102 in the period, 60.00 lost net of recoveries (known shrink)"
        in (first.reasons)
    )
    measures = first.recommendation.measures
    assert "retrain razors tagging at receiving and audit it weekly" in measures
    assert "brief the S102 team on the recorded thefts' pattern" in measures


def test_known_and_unknown_shrink_split_at_retail(
    counted_chain_data: tuple[Path, Any], chain: dict[str, Store], director: User
) -> None:
    folder, _ = counted_chain_data
    make_incident(chain["S101"], director, occurred_at=dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC),
                  merchandise_value="150.00", recovered_value="50.00")  # fmt: skip
    make_incident(chain["S101"], director, kind="safety_hazard",
                  occurred_at=dt.datetime(2026, 3, 11, 12, tzinfo=dt.UTC),
                  merchandise_value="0.00")  # fmt: skip  # not a theft: not known shrink
    make_incident(chain["S101"], director, occurred_at=dt.datetime(2025, 12, 1, tzinfo=dt.UTC),
                  merchandise_value="999.00")  # fmt: skip  # before the counted period
    analysis = ShrinkAnalysis.objects.get(data_set=import_counts(director, folder))
    lines = CountLine.objects.filter(analysis=analysis, store=chain["S101"])
    split = figures.known_unknown(analysis, lines)
    total = sum(line.shrink_retail for line in lines)
    assert (split.known, split.incidents) == (Decimal("100.00"), 1)
    assert split.shrink_retail == total and split.unknown == total - Decimal("100.00")


def test_accepting_a_recommendation_opens_a_tracked_action(
    counted_chain_data: tuple[Path, Any], chain: dict[str, Store], director: User
) -> None:
    import_counts(director, counted_chain_data[0])
    proposed = Recommendation.objects.filter(hotspot__rank=1).get()
    with pytest.raises(ValidationError, match="note"):
        recommendations.decide(director, proposed, True, "  ")
    officer = make_user(Role.LP_OFFICER, everything=True, username="floor")
    with pytest.raises(PermissionDenied):
        recommendations.decide(officer, proposed, True, "yes")
    recommendations.decide(director, proposed, True, "Locked case ordered for razors")
    proposed.refresh_from_db()
    action = CorrectiveAction.objects.get(pk=proposed.action_id)
    assert proposed.status == RecommendationStatus.ACCEPTED and proposed.decided_by == director
    assert action.store == chain["S102"] and action.title == proposed.title
    assert "locked" in action.detail or "keepers" in action.detail
    with pytest.raises(ValidationError, match="already accepted"):
        recommendations.decide(director, proposed, False, "changed my mind")


def test_a_bad_count_refuses_the_import_and_keeps_nothing(
    counted_chain_data: tuple[Path, Any], chain: dict[str, Store], director: User, tmp_path: Path
) -> None:
    import shutil

    folder = tmp_path / "bad"
    shutil.copytree(counted_chain_data[0], folder)
    counts = folder / "inventory_counts.csv"
    lines = counts.read_text().splitlines()
    cells = lines[5].split(",")
    cells[5] = "twelve"  # counted_qty
    lines[5] = ",".join(cells)
    counts.write_text("\n".join(lines) + "\n")
    with pytest.raises(imports.ImportRefused) as refused:
        import_counts(director, folder)
    message = str(refused.value)
    assert "inventory_counts.csv" in message and "row 5" in message and "counted_qty" in message
    assert not DataSet.objects.exists() and not ShrinkAnalysis.objects.exists()
    assert not CountLine.objects.exists()


def test_scanning_a_data_set_again_keeps_its_analysis_and_decisions(
    counted_chain_data: tuple[Path, Any], chain: dict[str, Store], director: User
) -> None:
    data_set = import_counts(director, counted_chain_data[0])
    proposed = Recommendation.objects.get(hotspot__rank=1)
    recommendations.decide(director, proposed, False, "Already behind glass")
    imports.scan_data_set(data_set, director)
    assert ShrinkAnalysis.objects.filter(data_set=data_set).count() == 1
    assert Recommendation.objects.get(hotspot__rank=1).status == RecommendationStatus.REJECTED
