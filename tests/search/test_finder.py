"""Global search finds what an LP team types into it, in their own stores and nowhere else.

Run on SQLite (FTS5) by default and on PostgreSQL (tsvector, pg_trgm) with DATABASE_URL set:
every test here must pass on both.
"""

from __future__ import annotations

import itertools
from typing import Any

import hypothesis
import pytest
from django.utils import timezone
from hypothesis import strategies as st

from tests.conftest import (
    World,
    add_evidence,
    make_case,
    make_incident,
    make_person,
    make_subject,
    make_user,
)
from vigil.cases.models import Vehicle
from vigil.core.models import AccessGrant, Role, Store, User
from vigil.search.finder import Results, find
from vigil.search.models import SearchKind

pytestmark = pytest.mark.django_db
_transactions = itertools.count(1)


def make_vehicle(store: Store, plate: str, **fields: Any) -> Vehicle:
    values = {"make": "Honda", "model": "Civic", "colour": "Silver", **fields}
    return Vehicle.objects.create(store=store, plate=plate, **values)


def make_lead(store: Store, transaction_id: str = "", **fields: Any) -> Any:
    """A POS lead at ``store``, as a scan leaves it."""
    from vigil.pos.models import DataSet, PosException, Scan

    data_set = DataSet.objects.create(name="Week", folder="none", source="folder")
    data_set.stores.set([store])
    scan = Scan.objects.create(data_set=data_set, status="done")
    values: dict[str, Any] = {
        "rule": "refund_no_receipt",
        "rule_title": "Refund without a receipt",
        "employee_id": "E1056",
        "register_id": "R02",
        "business_date": "2026-03-02",
        "at_text": "2026-03-02T15:30:00-06:00",
        "amount": "1249.50",
        "severity": 0.8,
        "detail": "refund of 1,249.50 with no original sale",
        **fields,
    }
    return PosException.objects.create(
        data_set=data_set,
        first_scan=scan,
        last_scan=scan,
        store=store,
        transaction_id=transaction_id or f"S101-R02-{next(_transactions):06d}",
        **values,
    )


def kinds(found: Results) -> list[str]:
    return [group.kind for group in found.groups]


def titles(found: Results, kind: str) -> list[str]:
    return [hit.title for group in found.groups if group.kind == kind for hit in group.hits]


def test_it_finds_a_subject_by_an_alias(world: World, owner: User) -> None:
    make_subject(world.store_a, name="Jordan Example", aliases="JJ, Jordy Banks")
    make_subject(world.store_a, name="Casey Other")
    assert titles(find(owner, "jordy"), SearchKind.SUBJECT) == ["Jordan Example"]
    assert titles(find(owner, "Banks"), SearchKind.SUBJECT) == ["Jordan Example"]


def test_it_finds_a_subject_by_words_of_a_description_in_any_order(
    world: World, owner: User
) -> None:
    make_subject(world.store_a, name="", identifying_marks="Rose tattoo on the left hand")
    found = find(owner, "tattoo ros")
    assert len(titles(found, SearchKind.SUBJECT)) == 1
    assert titles(find(owner, "tattoo anchor"), SearchKind.SUBJECT) == []


def test_accents_and_case_do_not_matter(world: World, owner: User) -> None:
    make_subject(world.store_a, name="José Núñez")
    assert titles(find(owner, "JOSE nunez"), SearchKind.SUBJECT) == ["José Núñez"]


def test_it_finds_a_vehicle_by_a_plate_with_one_misread_character(
    world: World, owner: User
) -> None:
    make_vehicle(world.store_a, "KDL4471")
    make_vehicle(world.store_a, "XYZ9000")
    for typed in ("KDL447I", "KDL 4471", "kdl4471"):
        assert titles(find(owner, typed), SearchKind.VEHICLE) == ["KDL4471 Silver Honda Civic"]


def test_a_plate_misread_by_any_one_character_is_a_near_match(world: World, owner: User) -> None:
    make_vehicle(world.store_a, "KDL4471")
    found = find(owner, "KDL4478")
    hit = found.groups[0].hits[0]
    assert found.groups[0].kind == SearchKind.VEHICLE
    assert "one character away" in hit.note


def test_part_of_a_plate_finds_the_vehicle(world: World, owner: User) -> None:
    make_vehicle(world.store_a, "KDL4471")
    assert titles(find(owner, "L447"), SearchKind.VEHICLE) == ["KDL4471 Silver Honda Civic"]


def test_the_plate_typed_exactly_comes_before_the_look_alike(world: World, owner: User) -> None:
    make_vehicle(world.store_a, "KDL4471", colour="Blue")
    make_vehicle(world.store_a, "KDL4478", colour="Red")
    make_vehicle(world.store_a, "KDL447I", colour="Grey")
    plates_found = [hit.title.split()[0] for hit in find(owner, "KDL4471").groups[0].hits]
    assert plates_found[:2] == ["KDL4471", "KDL447I"] and plates_found[2] == "KDL4478"


def test_nothing_from_another_store_is_found(world: World, owner: User) -> None:
    make_subject(world.store_b, name="Jordan Example", aliases="Jordy")
    make_vehicle(world.store_b, "KDL4471")
    make_incident(world.store_b, owner, summary="Razor sweep at the north door")
    make_person(world.store_b, name="Zebediah Storebee")
    make_lead(world.store_b, "B-000777")
    for typed in ("Jordy", "KDL447I", "razor", "Zebediah", "B-000777", "INC"):
        assert find(owner, typed).groups == [], typed


def test_the_store_chosen_in_the_switcher_narrows_the_search(world: World) -> None:
    director = make_user(Role.REGIONAL_DIRECTOR, stores=(world.store_a, world.store_b))
    make_subject(world.store_a, name="Jordan Alpha")
    make_subject(world.store_b, name="Jordan Bravo")
    assert sorted(titles(find(director, "jordan"), SearchKind.SUBJECT)) == [
        "Jordan Alpha",
        "Jordan Bravo",
    ]
    narrowed = find(director, "jordan", store=world.store_b)
    assert titles(narrowed, SearchKind.SUBJECT) == ["Jordan Bravo"]


def test_external_users_find_nothing_even_what_is_shared_with_them(
    world: World, admin_user: User
) -> None:
    from django.contrib.contenttypes.models import ContentType

    subject = make_subject(world.store_a, name="Jordan Example")
    police = make_user(Role.EXTERNAL)
    AccessGrant.objects.create(
        grantee=police,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=str(subject.pk),
        reason="police report 2026-1142",
        granted_by=admin_user,
    )
    assert find(police, "Jordan").groups == []


def test_it_finds_evidence_by_the_start_of_its_sha256(world: World, owner: User) -> None:
    item = add_evidence(
        owner, b"CCTV export, aisle 7", filename="aisle7.mp4", store=world.store_a.code
    )
    add_evidence(owner, b"Another clip", filename="door.mp4", store=world.store_a.code)
    found = find(owner, item.sha256[:10])
    assert kinds(found) == [SearchKind.EVIDENCE]
    assert [hit.reference for hit in found.groups[0].hits] == [item.number]
    assert find(owner, item.sha256.upper()).groups[0].hits[0].reference == item.number


def test_it_finds_evidence_by_its_number_and_its_file_name(world: World, owner: User) -> None:
    item = add_evidence(owner, b"photo", filename="receipt-photo.jpg", store=world.store_a.code)
    assert titles(find(owner, item.number), SearchKind.EVIDENCE) == ["receipt-photo.jpg"]
    assert titles(find(owner, "receipt photo"), SearchKind.EVIDENCE) == ["receipt-photo.jpg"]


def test_deleted_evidence_is_not_offered(world: World, owner: User) -> None:
    from vigil.evidence import custody

    item = add_evidence(owner, b"wrong upload", filename="mistake.mp4", store=world.store_a.code)
    custody.withdraw(owner, item, reason="Uploaded to the wrong incident")
    assert find(owner, "mistake").groups == []


def test_it_finds_a_lead_by_its_transaction_id(world: World, owner: User) -> None:
    make_lead(world.store_a, "S101-R02-20260302-0417")
    make_lead(world.store_a, "S101-R02-20260302-0418")
    whole = find(owner, "S101-R02-20260302-0417")
    assert kinds(whole) == [SearchKind.LEAD]
    assert [hit.facts[0] for hit in whole.groups[0].hits] == ["transaction S101-R02-20260302-0417"]
    assert whole.groups[0].total == 1
    assert find(owner, "s101-r02-20260302").groups[0].total == 2  # the start, in any case


def test_it_finds_an_incident_by_its_number_and_its_words(world: World, owner: User) -> None:
    incident = make_incident(world.store_a, owner, summary="Six razor packs taken from aisle 7")
    make_incident(world.store_a, owner, summary="Fitting room tags found")
    assert titles(find(owner, incident.number), SearchKind.INCIDENT) == [incident.summary]
    assert titles(find(owner, incident.number[-6:]), SearchKind.INCIDENT) == [incident.summary]
    assert titles(find(owner, "razor packs"), SearchKind.INCIDENT) == [incident.summary]


def test_it_finds_a_case_by_its_title(world: World, owner: User) -> None:
    case = make_case(world.store_a, owner, title="Gift-card fraud ring at the service desk")
    found = find(owner, "gift card ring")
    assert [hit.reference for hit in found.groups[0].hits] == [case.number]


def test_it_finds_a_person_by_name_and_by_employee_id(world: World, owner: User) -> None:
    person = make_person(world.store_a, name="Priya Raman")
    assert titles(find(owner, "priya"), SearchKind.PERSON) == ["Priya Raman"]
    assert titles(find(owner, person.employee_id), SearchKind.PERSON) == ["Priya Raman"]


def test_results_are_grouped_best_match_first_and_page_within_a_kind(
    world: World, owner: User
) -> None:
    for number in range(12):
        make_subject(world.store_a, name=f"Kendall {number:02d}")
    make_vehicle(world.store_a, "KENDAL1")
    found = find(owner, "KENDAL1")
    assert kinds(found)[0] == SearchKind.VEHICLE  # the plate, exactly, before words
    everyone = find(owner, "kendall", kinds=[SearchKind.SUBJECT], limit=5)
    assert everyone.groups[0].total == 12 and len(everyone.groups[0].hits) == 5
    last = find(owner, "kendall", kinds=[SearchKind.SUBJECT], limit=5, offset=10)
    assert len(last.groups[0].hits) == 2


def test_newest_first_among_equal_matches(world: World, owner: User) -> None:
    earlier = timezone.now() - timezone.timedelta(days=3)
    make_incident(world.store_a, owner, summary="Razor theft, older", occurred_at=earlier)
    make_incident(world.store_a, owner, summary="Razor theft, newer")
    assert titles(find(owner, "razor"), SearchKind.INCIDENT) == [
        "Razor theft, newer",
        "Razor theft, older",
    ]


def test_text_with_search_syntax_in_it_is_read_as_text(world: World, owner: User) -> None:
    make_subject(world.store_a, name="Jordan Example")
    for typed in ('"jordan', "jordan*", "NEAR(jordan)", "jordan OR x", "a'b:*", "%_\\", "ª 2²"):
        find(owner, typed)  # no error from FTS5's or tsquery's own syntax
    assert titles(find(owner, '"Jordan"'), SearchKind.SUBJECT) == ["Jordan Example"]


def test_an_empty_search_finds_nothing(world: World, owner: User) -> None:
    make_subject(world.store_a, name="Jordan Example")
    assert find(owner, "   ").groups == []
    assert find(owner, "--").groups == []


def test_a_word_that_matches_very_many_is_counted_as_far_as_the_cap(
    world: World, owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vigil.search import backends, finder

    monkeypatch.setattr(backends, "WORD_CAP", 5)
    monkeypatch.setattr(finder, "WORD_CAP", 5)
    for number in range(8):
        make_subject(world.store_a, name=f"Kendall {number}")
    found = find(owner, "kendall", limit=3)
    assert found.groups[0].total == 5 and found.groups[0].capped
    assert titles(found, SearchKind.SUBJECT) == ["Kendall 7", "Kendall 6", "Kendall 5"]


@hypothesis.settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)
@hypothesis.given(typed=st.text(max_size=40))
def test_any_text_is_an_answer_never_an_error(world: World, owner: User, typed: str) -> None:
    found = find(owner, typed)
    assert all(group.total >= len(group.hits) for group in found.groups)
