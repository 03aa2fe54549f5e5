"""Peer groups name the organisation's regions, not the export's codes (EAST, CENTRAL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import World, client_for, make_store, make_user
from tests.pos.test_imports import generated  # noqa: F401 - the module's generated data set
from vigil.core.models import Role, Store, User
from vigil.pos import imports
from vigil.pos.models import DataSet, EmployeeRisk, StoreRisk
from vigil.pos.regions import Renamer, phrases


@pytest.fixture
def north_and_south(world: World) -> dict[str, Store]:
    """The generated stores in the organisation's North (S101) and South (S102) regions;
    the export calls their regions CENTRAL and EAST."""
    world.region_a.name, world.region_b.name = "North", "South"
    world.region_a.save()
    world.region_b.save()
    return {
        "S101": make_store(world.region_a, "S101"),
        "S102": make_store(world.region_b, "S102"),
    }


@pytest.fixture
def scanned(north_and_south: dict[str, Store], generated: Path) -> tuple[User, DataSet]:  # noqa: F811
    investigator = make_user(Role.LP_MANAGER, everything=True, username="investigator")
    data_set = imports.import_data_set(investigator, generated, "March", "generated")
    imports.scan_data_set(data_set, investigator)
    return investigator, data_set


def _all_words() -> str:
    rows = [*EmployeeRisk.objects.all(), *StoreRisk.objects.all()]
    return " ".join(f"{row.peer_group} {' '.join(row.reasons)}" for row in rows)


def test_the_export_region_codes_are_mapped_to_the_organisations_regions_on_import(
    scanned: tuple[User, DataSet],
) -> None:
    _, data_set = scanned
    assert data_set.regions == {"CENTRAL": ["RA"], "EAST": ["RB"]}


def test_peer_groups_are_named_north_and_south_not_east_and_central(
    scanned: tuple[User, DataSet],
) -> None:
    groups = set(EmployeeRisk.objects.values_list("peer_group", flat=True))
    assert "cashiers on lanes in region North" in groups
    assert "cashiers on lanes in region South" in groups
    words = _all_words()
    assert "CENTRAL" not in words and "EAST" not in words


def test_an_employee_page_says_whom_they_were_compared_with_by_region_name(
    scanned: tuple[User, DataSet],
) -> None:
    investigator, _ = scanned
    cashier = EmployeeRisk.objects.filter(peer_group__endswith="in region South").first()
    assert cashier is not None
    body = client_for(investigator).get(f"/pos/employees/{cashier.employee_id}/").content.decode()
    assert "cashiers on lanes in region South" in body and "EAST" not in body


def test_the_data_sets_page_shows_how_the_regions_were_mapped(
    scanned: tuple[User, DataSet],
) -> None:
    investigator, _ = scanned
    body = client_for(investigator).get("/pos/data-sets/").content.decode()
    assert "Regions: CENTRAL: North; EAST: South" in body


def test_a_data_set_imported_before_the_mapping_was_kept_is_mapped_when_scanned_again(
    scanned: tuple[User, DataSet],
) -> None:
    investigator, data_set = scanned
    DataSet.objects.filter(pk=data_set.pk).update(regions={})
    data_set.refresh_from_db()
    imports.scan_data_set(data_set, investigator)
    data_set.refresh_from_db()
    assert data_set.regions == {"CENTRAL": ["RA"], "EAST": ["RB"]}
    newest = EmployeeRisk.objects.filter(scan=data_set.scans.order_by("-pk").first())
    assert newest.filter(peer_group="cashiers on lanes in region North").exists()


@pytest.mark.django_db
def test_a_region_name_that_says_region_is_not_said_twice(world: World) -> None:
    world.region_a.name = "North region"
    world.region_a.save()
    assert phrases({"CENTRAL": ["RA"]}) == {"CENTRAL": "in North region"}


@pytest.mark.django_db
def test_an_export_region_spanning_two_regions_names_both(world: World) -> None:
    assert phrases({"EAST": ["RA", "RB"]}) == {"EAST": "in regions Region A and Region B"}


@pytest.mark.django_db
def test_two_regions_that_say_region_are_said_once_in_the_plural(world: World) -> None:
    world.region_a.name, world.region_b.name = "North region", "South region"
    world.region_a.save()
    world.region_b.save()
    assert phrases({"EAST": ["RA", "RB"]}) == {"EAST": "in North and South regions"}


@pytest.mark.django_db
def test_an_unmatched_region_code_is_named_as_the_exports_own(world: World) -> None:
    said = phrases({"EAST": []})
    assert said == {"EAST": "in the export's region EAST (not a Vigil region)"}


def test_only_whole_region_codes_are_renamed() -> None:
    rename = Renamer({"EAST": "in region South", "EAST2": "in region North"})
    assert rename("cashiers on lanes in region EAST2") == "cashiers on lanes in region North"
    assert rename("peer median 0 among supervisors in region EAST; about 1.2 expected") == (
        "peer median 0 among supervisors in region South; about 1.2 expected"
    )
    assert rename("all stores") == "all stores"
