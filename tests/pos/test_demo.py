"""The demo's scanned POS month: imported and scanned once, for the demo stores."""

from __future__ import annotations

from typing import Any

from vigil.core import demo
from vigil.pos import demo as pos_demo
from vigil.pos.models import DataSet, EmployeeRisk, PosException


def test_the_demo_month_is_scanned_once(db: Any) -> None:
    demo.seed()
    found = pos_demo.seed()
    assert found == PosException.objects.count() > 1000
    assert pos_demo.seed() == 0
    data_set = DataSet.objects.get()
    assert sorted(data_set.stores.values_list("code", flat=True)) == [
        "S101",
        "S102",
        "S103",
        "S104",
    ]
    assert EmployeeRisk.objects.filter(rank=1).exists()
