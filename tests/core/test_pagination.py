"""API pagination counts up to a bound: a long list says "this many or more" instead of
counting every row in scope on every page."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import World, client_for, make_person
from vigil.core import pagination
from vigil.core.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def eight_people(owner: User, world: World) -> None:
    for _ in range(7):
        make_person(world.store_a)  # and the owner's own employee record makes eight


def _listed(owner: User, query: str) -> Any:
    return client_for(owner).get(f"/api/v1/people?{query}").json()


def test_a_list_within_the_bound_is_counted_exactly(owner: User, eight_people: None) -> None:
    body = _listed(owner, "page=1&page_size=3")
    assert (body["count"], body["count_exact"], len(body["items"])) == (8, True, 3)


def test_the_last_page_knows_the_total_from_the_pages_before_it(
    owner: User, eight_people: None
) -> None:
    body = _listed(owner, "page=3&page_size=3")
    assert (body["count"], body["count_exact"], len(body["items"])) == (8, True, 2)


def test_a_page_past_the_end_is_empty_and_still_says_how_many_there_are(
    owner: User, eight_people: None
) -> None:
    body = _listed(owner, "page=9&page_size=3")
    assert (body["count"], body["count_exact"], body["items"]) == (8, True, [])


def test_a_list_longer_than_the_bound_says_so_instead_of_counting_on(
    owner: User, eight_people: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pagination, "COUNT_BOUND", 5)
    body = _listed(owner, "page=1&page_size=3")
    assert (body["count"], body["count_exact"], len(body["items"])) == (5, False, 3)
    # Its pages are all still there to read.
    assert len(_listed(owner, "page=3&page_size=3")["items"]) == 2


def test_the_count_is_bounded_and_unordered(owner: User, eight_people: None) -> None:
    with CaptureQueriesContext(connection) as captured:
        assert client_for(owner).get("/api/v1/people?page_size=3").status_code == 200
    counts = [
        entry["sql"]
        for entry in captured.captured_queries
        if "COUNT(" in entry["sql"].upper() and "core_person" in entry["sql"]
    ]
    assert len(counts) == 1
    assert "LIMIT" in counts[0].upper() and "ORDER BY" not in counts[0].upper()
