"""Importing a POS data set into Vigil: all or nothing, store-scoped, results stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import World, make_store, make_user
from tests.pos.csvfiles import set_cell
from vigil.core import taskruns
from vigil.core.models import Role, Store, TaskRunStatus, User
from vigil.engines.pos.generator import generate
from vigil.engines.pos.scanning import scan
from vigil.pos import imports
from vigil.pos.models import DataSet, EmployeeRisk, PosException, ScanStatus, StoreRisk
from vigil.pos.tasks import import_and_scan


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pos") / "data"
    generate(folder, stores=2, days=3, seed=4, transactions_per_register_day=25)
    return folder


def test_a_data_set_is_imported_with_its_stores_and_days(
    generated: Path, investigator: User, settings: Any
) -> None:
    data_set = imports.import_data_set(investigator, generated, "March", "generated")
    assert sorted(data_set.stores.values_list("code", flat=True)) == ["S101", "S102"]
    assert data_set.rows["transactions"] > 0
    assert str(data_set.first_day) == "2026-03-02" and str(data_set.last_day) == "2026-03-04"
    copied = sorted(p.name for p in imports.folder_of(data_set).iterdir())
    assert "transactions.parquet" in copied and "line_items.parquet" in copied


def test_a_scan_stores_what_the_engine_finds(generated: Path, investigator: User) -> None:
    data_set = imports.import_data_set(investigator, generated, "March", "generated")
    run = imports.scan_data_set(data_set, investigator)
    direct = scan(generated)
    assert run.status == ScanStatus.DONE
    assert run.exception_count == len(direct["exceptions"]) == PosException.objects.count()
    top = EmployeeRisk.objects.order_by("rank").first()
    assert top is not None and top.employee_id == direct["employees"][0]["employee_id"]
    assert StoreRisk.objects.count() == 2
    stored = PosException.objects.order_by("pk").first()
    assert stored is not None and stored.at_text[-6] in "+-"  # the data's own offset, kept


def test_a_store_unknown_to_vigil_is_refused_and_nothing_is_kept(
    generated: Path, world: World, settings: Any
) -> None:
    make_store(world.region_a, "S101")  # S102 is missing
    admin = make_user(Role.ADMIN, everything=True)
    with pytest.raises(imports.ImportRefused, match="S102"):
        imports.import_data_set(admin, generated, "March", "generated")
    assert not DataSet.objects.exists()
    assert not imports.data_sets_root().exists() or not any(imports.data_sets_root().iterdir())


def test_an_importer_cannot_bring_in_another_stores_data(
    generated: Path, chain: dict[str, Store]
) -> None:
    only_a = make_user(Role.LP_MANAGER, stores=(chain["S101"],))
    with pytest.raises(imports.ImportRefused, match="S102"):
        imports.import_data_set(only_a, generated, "March", "generated")


def test_bad_data_is_refused_naming_the_place(
    tmp_path: Path, generated: Path, investigator: User
) -> None:
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(generated, broken)
    set_cell(broken / "tenders.csv", 3, "amount", "twelve")
    with pytest.raises(imports.ImportRefused, match=r"tenders.csv, row 3, column 'amount'"):
        imports.import_data_set(investigator, broken, "Broken", "folder")
    assert not DataSet.objects.exists()


def test_store_scope_applies_to_the_results(
    generated: Path, investigator: User, chain: dict[str, Store]
) -> None:
    data_set = imports.import_data_set(investigator, generated, "March", "generated")
    imports.scan_data_set(data_set, investigator)
    only_a = make_user(Role.STORE_MANAGER, stores=(chain["S101"],))
    seen = set(PosException.objects.visible_to(only_a).values_list("store__code", flat=True))
    assert seen == {"S101"}
    assert set(EmployeeRisk.objects.visible_to(only_a).values_list("store__code", flat=True)) <= {
        "S101"
    }
    assert DataSet.objects.visible_to(only_a).count() == 1


def test_the_import_runs_as_a_background_task_with_progress(
    generated: Path, investigator: User
) -> None:
    run = taskruns.start(
        import_and_scan,
        label="Import March",
        requested_by=investigator,
        source=str(generated),
        name="March",
        kind="generated",
    )
    run.refresh_from_db()
    assert run.status == TaskRunStatus.SUCCEEDED, run.error
    assert run.progress == 100
    assert run.result["exceptions"] == PosException.objects.count() > 0
