"""The demo's scanned POS quarter: imported and scanned once, for the demo stores, and its
counts analysed: the planted hot spot, razors at S102, explained by the demo's floor walks."""

from __future__ import annotations

from typing import Any

from vigil.audits import demo as audits_demo
from vigil.core import demo
from vigil.pos import demo as pos_demo
from vigil.pos.models import DataSet, EmployeeRisk, PosException
from vigil.shrink.models import Hotspot


def test_the_demo_quarter_is_scanned_once_and_its_hot_spot_explained(db: Any) -> None:
    demo.seed()
    audits_demo.seed()
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
    # The quarter's employees are people records, so rankings and leads say their names.
    assert not EmployeeRisk.objects.filter(person__isnull=True).exists()
    assert not PosException.objects.exclude(employee_id="").filter(person__isnull=True).exists()
    top = Hotspot.objects.get(rank=1)
    assert (top.store.code, top.department) == ("S102", "razors")
    assert top.drivers["tagging"]["notable"]
    assert "retrain razors tagging at receiving and audit it weekly" in top.recommendation.measures
