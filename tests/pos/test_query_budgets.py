"""Query budgets of the POS exception report (the lead list), the rankings and the POS API:
a page of 30 rows runs the same number of queries as a page of 3 (see ``tests.budgets``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.budgets import assert_flat_per_page
from tests.conftest import World, client_for, make_store, make_user
from tests.pos.test_imports import generated  # noqa: F401 - the module's generated data set
from vigil.core.models import Role
from vigil.pos import imports
from vigil.pos.models import EmployeeRisk, PosException


@pytest.fixture
def investigator_client(world: World, generated: Path) -> Client:  # noqa: F811
    """An investigator over a scanned data set holding well over 30 leads."""
    make_store(world.region_a, "S101")
    make_store(world.region_b, "S102")
    investigator = make_user(Role.LP_MANAGER, everything=True, username="investigator")
    data_set = imports.import_data_set(investigator, generated, "March", "generated")
    imports.scan_data_set(data_set, investigator)
    assert PosException.objects.count() > 30 and EmployeeRisk.objects.count() > 30
    return client_for(investigator)


@pytest.mark.parametrize(
    "url",
    ["/pos/", "/pos/employees/", "/api/v1/pos/exceptions", "/api/v1/pos/employees"],
)
def test_a_pos_list_runs_the_same_queries_for_30_rows_as_for_3(
    investigator_client: Client, url: str, monkeypatch: Any
) -> None:
    assert_flat_per_page(investigator_client, url, budget=20, monkeypatch=monkeypatch)
