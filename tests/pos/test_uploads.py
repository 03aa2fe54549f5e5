"""Uploading a data set as a ZIP: tables only, no path tricks, no bombs, nothing left over."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.conftest import World, client_for, make_store, make_user
from tests.pos.test_imports import generated  # noqa: F401 - the module's generated data set
from vigil.core.models import Role, TaskRun
from vigil.pos import uploads
from vigil.pos.imports import ImportRefused
from vigil.pos.models import DataSet, PosException


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_of(folder: Path, prefix: str = "") -> bytes:
    return zipped({f"{prefix}{p.name}": p.read_bytes() for p in sorted(folder.glob("*.csv"))})


def receive(data: bytes) -> Path:
    return uploads.receive(io.BytesIO(data), len(data))


def test_tables_inside_one_folder_are_unpacked_flat(tmp_path: Path, settings: Any) -> None:
    folder = receive(zipped({"march/transactions.csv": b"a\n", "march/tenders.csv": b"b\n"}))
    assert sorted(p.name for p in folder.iterdir()) == ["tenders.csv", "transactions.csv"]


@pytest.mark.parametrize(
    "name", ["../transactions.csv", "/etc/transactions.csv", "C:/x/transactions.csv"]
)
def test_a_path_outside_the_zip_is_refused(name: str, settings: Any) -> None:
    with pytest.raises(ImportRefused, match="outside"):
        receive(zipped({name: b"x"}))
    assert list(uploads.uploads_root().iterdir()) == []


def test_a_file_that_is_not_a_contract_table_is_refused(settings: Any) -> None:
    with pytest.raises(ImportRefused, match="not a table of the POS data contract"):
        receive(zipped({"transactions.csv": b"x", "run.sh": b"rm -rf /"}))
    assert list(uploads.uploads_root().iterdir()) == []


def test_a_zip_bomb_is_refused_before_unpacking(settings: Any) -> None:
    settings.POS_UPLOAD_MAX_UNPACKED = 1000
    with pytest.raises(ImportRefused, match="unpack to more"):
        receive(zipped({"transactions.csv": b"0" * 5000}))


def test_something_that_is_not_a_zip_is_refused(settings: Any) -> None:
    with pytest.raises(ImportRefused, match="not a ZIP"):
        receive(b"transaction_id\nT1\n")


def test_an_upload_cut_off_keeps_nothing(settings: Any) -> None:
    data = zipped({"transactions.csv": b"x" * 100})
    with pytest.raises(ImportRefused, match="cut off"):
        uploads.receive(io.BytesIO(data[:20]), len(data))
    assert list(uploads.uploads_root().iterdir()) == []


def test_a_zip_uploaded_through_the_api_is_imported_and_scanned(
    world: World,
    generated: Path,  # noqa: F811
) -> None:
    make_store(world.region_a, "S101")
    make_store(world.region_b, "S102")
    investigator = make_user(Role.LP_MANAGER, everything=True)
    client: Client = client_for(investigator)
    response = client.post(
        "/api/v1/pos/data-sets?name=March",
        data=zip_of(generated, "march/"),
        content_type="application/zip",
    )
    assert response.status_code == 202, response.content
    run = TaskRun.objects.get(pk=response.json()["task_run"])
    assert run.status == "succeeded", run.error
    assert DataSet.objects.get().name == "March" and PosException.objects.exists()
    assert list(uploads.uploads_root().iterdir()) == []  # the upload is gone; the copy stays


def test_an_officer_cannot_upload(world: World) -> None:
    officer = make_user(Role.LP_OFFICER, stores=(world.store_a,))
    response = client_for(officer).post(
        "/api/v1/pos/data-sets", data=zipped({"a.csv": b"x"}), content_type="application/zip"
    )
    assert response.status_code == 403
