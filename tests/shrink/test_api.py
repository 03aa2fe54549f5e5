"""The shrink API: hot spots with reasons for the caller's stores, and deciding a
recommendation with a note."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import client_for, make_user
from tests.shrink.conftest import import_counts
from vigil.core.models import Role, Store, User
from vigil.shrink.models import Recommendation


def test_hot_spots_and_a_decision_through_the_api(
    counted_chain_data: tuple[Path, Any], chain: dict[str, Store], director: User
) -> None:
    import_counts(director, counted_chain_data[0])
    client = client_for(director)
    spots = client.get("/api/v1/shrink/hotspots").json()
    assert (spots[0]["store"], spots[0]["department"], spots[0]["rank"]) == ("S102", "razors", 1)
    assert spots[0]["reasons"][0].startswith("razors at S102 lost")
    number = Recommendation.objects.get(hotspot__rank=1).number
    url = f"/api/v1/shrink/recommendations/{number}/decision"
    empty = client.post(url, json.dumps({"decision": "reject", "note": ""}), "application/json")
    assert empty.status_code == 422
    body = {"decision": "reject", "note": "Fixture change already planned"}
    decided = client.post(url, json.dumps(body), "application/json").json()
    assert (decided["status"], decided["action"]) == ("rejected", None)
    listed = client.get("/api/v1/shrink/recommendations?status=rejected").json()["items"]
    assert [r["number"] for r in listed] == [number]
    s101 = client_for(make_user(Role.STORE_MANAGER, stores=(chain["S101"],)))
    assert all(s["store"] == "S101" for s in s101.get("/api/v1/shrink/hotspots").json())
    assert s101.post(url, json.dumps(body), "application/json").status_code == 404
    risk = client.get("/api/v1/reports/store-risk").json()
    scored = [row for row in risk if row["scored"]]
    assert [row["rank"] for row in scored] == list(range(1, len(scored) + 1))
    assert all(row["rank"] is None and row["score"] is None for row in risk[len(scored) :])
    assert {"shrink", "pos"} <= set(risk[0]["signals"])
