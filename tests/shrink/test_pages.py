"""The shrink pages: figures for the stores in view, a hot spot with its items and reasons,
an item's cycle counts, the high-risk item list, and deciding a recommendation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import client_for, make_user
from tests.shrink.conftest import import_counts
from vigil.core.models import Role, Store, User
from vigil.shrink import departments
from vigil.shrink.models import CountLine, Hotspot, RecommendationStatus


def test_the_overview_shows_the_hot_spot_and_the_split(
    counted_chain_data: tuple[Path, Any], chain: dict[str, Store], director: User
) -> None:
    import_counts(director, counted_chain_data[0])
    body = client_for(director).get("/shrink/").content.decode()
    first = Hotspot.objects.get(rank=1)
    assert f'href="/shrink/hotspots/{first.pk}/">Razors</a>' in body
    assert "Known shrink" in body and "Unknown shrink" in body
    assert "Shrink at cost over counted book value, by count month" in body
    assert body.count("<svg") >= 3 and 'aria-label="Shrink at cost by store: S10' in body


def test_the_overview_shows_one_months_counts_and_says_when_a_month_has_none(
    counted_chain_data: tuple[Path, Any], chain: dict[str, Store], director: User
) -> None:
    import_counts(director, counted_chain_data[0])
    client = client_for(director)
    april = client.get("/shrink/?month=2026-04")
    lines = CountLine.objects.filter(count_date__month=4, count_date__year=2026)
    assert april.context["total"].counts == lines.count() < CountLine.objects.count()
    assert "Counts in April 2026" in april.content.decode()
    assert 'href="?analysis=' in april.content.decode()  # the other months, one click away
    empty = client.get("/shrink/?month=2025-01").content.decode()
    assert "No counts analysed for January 2025" in empty
    assert client.get("/shrink/?month=April").status_code == 404


def test_the_overview_names_departments_and_stores_in_words(
    counted_chain_data: tuple[Path, Any], chain: dict[str, Store], director: User
) -> None:
    import_counts(director, counted_chain_data[0])
    body = client_for(director).get("/shrink/").content.decode()
    codes = set(CountLine.objects.values_list("department", flat=True))
    coded = {code for code in codes if "_" in code}
    assert not any(f">{code}<" in body or f"{code}:" in body for code in coded)
    chart = body[body.index("Departments losing the most at cost") :]
    assert "Razors" in chart and "USD at cost" in chart
    assert f"{chain['S102'].code} {chain['S102'].name}" in body


def test_a_store_user_sees_their_store_and_only_the_chain_rates(
    counted_chain_data: tuple[Path, Any], chain: dict[str, Store], director: User
) -> None:
    import_counts(director, counted_chain_data[0])
    manager = make_user(Role.STORE_MANAGER, stores=(chain["S101"],), username="s101")
    client = client_for(manager)
    body = client.get("/shrink/").content.decode()
    s101, s102 = chain["S101"], chain["S102"]
    assert f"<td>S101 {s101.name}</td>" in body and s102.name not in body
    assert "<td>S102" not in body
    assert client.get(f"/shrink/hotspots/{Hotspot.objects.get(rank=1).pk}/").status_code == 404
    assert client.get("/shrink/stores/S102/items/RAZ0001/").status_code == 404


def test_a_hot_spot_drills_to_its_items_and_an_item_to_its_counts(
    counted_chain_data: tuple[Path, Any], chain: dict[str, Store], director: User
) -> None:
    import_counts(director, counted_chain_data[0])
    client = client_for(director)
    first = Hotspot.objects.get(rank=1)
    body = client.get(f"/shrink/hotspots/{first.pk}/").content.decode()
    assert departments.in_words(first.reasons[0], "razors") in body.replace("&#x27;", "'")
    sku = CountLine.objects.filter(store=chain["S102"], department="razors").first().sku
    assert f"/shrink/stores/S102/items/{sku}/" in body
    item = client.get(f"/shrink/stores/S102/items/{sku}/").content.decode()
    assert "Cycle counts" in item and "recommended cycle count" in item
    assert item.count("<tr>") == 1 + CountLine.objects.filter(store=chain["S102"], sku=sku).count()
    programme = client.get("/shrink/programme/?by=units").content.decode()
    assert "S102" in programme and "by cost instead" in programme


def test_a_recommendation_is_accepted_from_its_hot_spot_page(
    counted_chain_data: tuple[Path, Any], chain: dict[str, Store], director: User
) -> None:
    import_counts(director, counted_chain_data[0])
    first = Hotspot.objects.get(rank=1)
    number = first.recommendation.number
    client = client_for(director)
    response = client.post(
        f"/shrink/recommendations/{number}/decide/",
        {"decision": "accept", "note": "Locked fixture ordered"},
        follow=True,
    )
    first.recommendation.refresh_from_db()
    action = first.recommendation.action
    assert first.recommendation.status == RecommendationStatus.ACCEPTED
    assert f"corrective action {action.number} opened" in response.content.decode()
    assert number not in client.get("/shrink/recommendations/").content.decode()
    assert number in client.get("/shrink/recommendations/?status=accepted").content.decode()
