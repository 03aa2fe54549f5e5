"""The search page: results grouped by kind, each a link to its record, in words and names,
times on the store's clock with the zone; and the search box in every page's header."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.conftest import World, client_for, make_incident, make_subject, make_user
from tests.core.test_clock import unzoned_times
from tests.search.test_finder import make_lead, make_vehicle
from vigil.core.models import Role, User
from vigil.core.storeswitch import SESSION_KEY

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _results(html: str) -> str:
    """The text of the page's results alone (not the shell's store menu)."""
    return _text(" ".join(re.findall(r'<ul class="search-results">.*?</ul>', html, re.S)))


def test_results_are_grouped_by_kind_with_a_link_to_each_record(
    world: World, owner: User, owner_client: Client
) -> None:
    incident = make_incident(world.store_a, owner, summary="Kestrel seen leaving with razors")
    subject = make_subject(world.store_a, name="Kestrel Example")
    answer = owner_client.get("/search/", {"q": "kestrel"})
    body = answer.content.decode()
    assert answer.status_code == 200
    assert f'href="/incidents/{incident.number}/"' in body
    assert f'href="/subjects/{subject.pk}/"' in body
    assert ">Incidents <" in body and ">Subjects <" in body
    text = _text(body)
    assert "2 results for “kestrel” in all your stores" in text
    results = _results(body)
    assert world.store_a.name in results and world.store_a.code not in results  # names
    assert "Shoplifting · Open" in results  # labels, not codes such as "shoplifting"


def test_times_are_on_the_stores_clock_with_the_zone(
    world: World, owner: User, owner_client: Client
) -> None:
    make_incident(world.store_a, owner, summary="Kestrel at the north door")
    make_lead(world.store_a, "S101-R02-KESTREL")
    text = _text(owner_client.get("/search/", {"q": "kestrel"}).content.decode())
    assert re.search(r"Occurred \d{4}-\d\d-\d\d \d\d:\d\d C[SD]T", text)
    text = _text(owner_client.get("/search/", {"q": "S101-R02-KES"}).content.decode())
    assert "Rung 2026-03-02 15:30 CST" in text
    assert "$1,249.50" in text
    assert unzoned_times(text) == []


def test_a_look_alike_plate_says_why_it_matched(world: World, owner_client: Client) -> None:
    make_vehicle(world.store_a, "KDL4471")
    text = _text(owner_client.get("/search/", {"q": "KDL447I"}).content.decode())
    assert "KDL4471 Silver Honda Civic" in text
    assert "Plate KDL4471: KDL447I read with a look-alike character" in text


def test_a_kind_pages_through_all_its_results(world: World, owner_client: Client) -> None:
    for number in range(30):
        make_subject(world.store_a, name=f"Kendall {number:02d}")
    first = _text(owner_client.get("/search/", {"q": "kendall"}).content.decode())
    assert "See all 30 →" in first
    page = owner_client.get("/search/", {"q": "kendall", "kind": "subject", "page": 2})
    text = _text(page.content.decode())
    assert "Search · Subjects" in text and "Page 2" in text and "← Previous" in text
    assert text.count("Kendall ") == 5  # 25 a page


def test_the_chosen_store_is_said_and_kept_to(world: World) -> None:
    director = make_user(Role.REGIONAL_DIRECTOR, stores=(world.store_a, world.store_b))
    make_subject(world.store_a, name="Kestrel Alpha")
    make_subject(world.store_b, name="Kestrel Bravo")
    client = client_for(director)
    session = client.session
    session[SESSION_KEY] = world.store_b.code
    session.save()
    text = _text(client.get("/search/", {"q": "kestrel"}).content.decode())
    assert "Kestrel Bravo" in text and "Kestrel Alpha" not in text
    assert f"in {world.store_b.name} only" in text


def test_nothing_found_says_what_to_try(world: World, owner_client: Client) -> None:
    text = _text(owner_client.get("/search/", {"q": "nobody-at-all"}).content.decode())
    assert "Nothing matches “nobody-at-all” in all your stores." in text
    assert "Try part of a name or an alias" in text


def test_another_stores_records_never_show(world: World, owner: User, owner_client: Client) -> None:
    make_subject(world.store_b, name="Kestrel Example")
    make_incident(world.store_b, owner, summary="Kestrel at store B")
    text = _text(owner_client.get("/search/", {"q": "kestrel"}).content.decode())
    assert "Kestrel" not in text.replace("“kestrel”", "") and world.store_b.name not in text


def test_every_page_has_the_search_box_but_the_portal(world: World, owner_client: Client) -> None:
    body = owner_client.get("/incidents/").content.decode()
    assert 'class="shell-search"' in body and 'action="/search/"' in body
    police = client_for(make_user(Role.EXTERNAL))
    assert 'class="shell-search"' not in police.get("/portal/").content.decode()


def test_police_are_kept_to_their_portal(world: World) -> None:
    police = client_for(make_user(Role.EXTERNAL))
    make_subject(world.store_a, name="Kestrel Example")
    assert police.get("/search/", {"q": "kestrel"}).status_code == 404


def test_signing_in_comes_first() -> None:
    answer = Client().get("/search/", {"q": "kestrel"})
    assert answer.status_code == 302 and "/login/" in answer["Location"]


def test_a_control_character_in_the_query_is_no_error(world: World, owner_client: Client) -> None:
    make_subject(world.store_a, name="Kestrel Example")
    answer = owner_client.get("/search/", {"q": "kes\x00trel\x07"})
    assert answer.status_code == 200
