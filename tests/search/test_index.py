"""The index follows the records: edits, deletes, soft-deleted evidence, and a rebuild from
scratch that ``vigil search reindex`` and the backfill migration run."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tests.conftest import World, make_incident, make_subject
from tests.search.test_finder import make_vehicle, titles
from vigil.cases.models import Subject, Vehicle
from vigil.core.models import User
from vigil.search import index
from vigil.search.finder import find
from vigil.search.models import SearchEntry, SearchKind

pytestmark = pytest.mark.django_db


def test_an_edit_is_found_by_its_new_words_and_not_its_old(world: World, owner: User) -> None:
    subject = make_subject(world.store_a, name="Jordan Example")
    subject.aliases = "Red Fox"
    subject.name = "Jordan Renamed"
    subject.save()
    assert titles(find(owner, "red fox"), SearchKind.SUBJECT) == ["Jordan Renamed"]
    assert find(owner, "example").groups == []


def test_a_changed_plate_is_found_by_the_new_plate_only(world: World, owner: User) -> None:
    vehicle = make_vehicle(world.store_a, "KDL4471")
    vehicle.plate = "MNO2020"
    vehicle.save()
    assert find(owner, "KDL4471").groups == []
    assert titles(find(owner, "MN02020"), SearchKind.VEHICLE) == ["MNO2020 Silver Honda Civic"]


def test_a_deleted_record_leaves_the_index(world: World, owner: User) -> None:
    subject = make_subject(world.store_a, name="Jordan Example")
    make_vehicle(world.store_a, "KDL4471")
    subject.delete()
    Vehicle.objects.all().delete()  # a queryset's delete too
    assert find(owner, "jordan").groups == [] and find(owner, "KDL4471").groups == []
    kinds = set(SearchEntry.objects.values_list("kind", flat=True))
    assert SearchKind.SUBJECT not in kinds and SearchKind.VEHICLE not in kinds


def test_a_record_moved_to_another_store_is_found_there_only(
    world: World, owner: User, outsider: User
) -> None:
    subject = make_subject(world.store_a, name="Jordan Example")
    subject.store = world.store_b
    subject.save()
    assert find(owner, "jordan").groups == []
    assert titles(find(outsider, "jordan"), SearchKind.SUBJECT) == ["Jordan Example"]


def test_a_stale_entry_never_shows_what_the_record_no_longer_says(
    world: World, owner: User
) -> None:
    subject = make_subject(world.store_a, name="Jordan Example")
    Subject.objects.filter(pk=subject.pk).update(name="Quietly Renamed")  # no save(): no signal
    # The old words still match, but what is shown is read from the record itself.
    assert titles(find(owner, "jordan"), SearchKind.SUBJECT) == ["Quietly Renamed"]
    index.refresh(Subject.objects.get(pk=subject.pk))
    assert find(owner, "jordan").groups == []


def test_reindex_rebuilds_the_index_from_the_records(world: World, owner: User) -> None:
    make_subject(world.store_a, name="Jordan Example")
    incident = make_incident(world.store_a, owner, summary="Razor sweep")
    SearchEntry.objects.all().delete()
    assert find(owner, "jordan").groups == []
    out = io.StringIO()
    call_command("search_reindex", stdout=out)
    assert "Search index rebuilt" in out.getvalue()
    assert titles(find(owner, "jordan"), SearchKind.SUBJECT) == ["Jordan Example"]
    assert titles(find(owner, incident.number), SearchKind.INCIDENT) == ["Razor sweep"]
    call_command("search_reindex", stdout=io.StringIO())  # again: the same index, not twice
    assert SearchEntry.objects.filter(kind=SearchKind.SUBJECT).count() == 1


def test_the_backfill_indexes_through_a_migrations_historical_models(
    world: World, owner: User
) -> None:
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    make_subject(world.store_a, name="Jordan Example", aliases="Jordy")
    SearchEntry.objects.all().delete()
    state = MigrationLoader(connection).project_state(("search", "0002_index_existing_records"))
    index.rebuild(registry=state.apps)
    assert titles(find(owner, "jordy"), SearchKind.SUBJECT) == ["Jordan Example"]


def test_repair_restores_the_full_text_tables_in_step(world: World, owner: User) -> None:
    make_subject(world.store_a, name="Jordan Example")
    index.repair()
    index.repair()  # twice: it only adds what is missing
    assert titles(find(owner, "jordan"), SearchKind.SUBJECT) == ["Jordan Example"]
