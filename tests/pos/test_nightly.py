"""``vigil pos nightly``: new inbox folders imported and scanned once; refusals reported."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import World, make_store, make_user
from tests.pos.test_imports import generated  # noqa: F401 - the module's generated data set
from vigil.core.models import Role
from vigil.pos.imports import inbox
from vigil.pos.models import DataSet, Scan


def test_new_folders_are_imported_once_and_bad_ones_reported(
    world: World,
    generated: Path,  # noqa: F811
) -> None:
    make_store(world.region_a, "S101")
    make_store(world.region_b, "S102")
    make_user(Role.LP_MANAGER, everything=True, username="nightly")
    shutil.copytree(generated, inbox() / "2026-03-04")
    broken = inbox() / "2026-03-05"
    shutil.copytree(generated, broken)
    (broken / "transactions.csv").write_text("transaction_id\n")  # no other columns
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("pos_nightly", "--as", "nightly", stdout=out)
    assert failed.value.returncode == 1
    assert "refused 2026-03-05" in out.getvalue() and "transactions.csv" in out.getvalue()
    assert list(DataSet.objects.values_list("inbox_folder", flat=True)) == ["2026-03-04"]
    shutil.rmtree(broken)
    call_command("pos_nightly", "--as", "nightly", stdout=io.StringIO())
    assert DataSet.objects.count() == 1 and Scan.objects.count() == 1


def test_an_unknown_user_is_refused(db: object) -> None:
    with pytest.raises(CommandError, match="no active user"):
        call_command("pos_nightly", "--as", "nobody", stdout=io.StringIO())
