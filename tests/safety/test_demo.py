"""The demo's emergency and hazards, and its OSHA figures: the export files every store."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from vigil.core import demo
from vigil.core.models import Store
from vigil.safety import demo as safety_demo
from vigil.safety.models import Emergency, EstablishmentYear, Hazard


def test_the_demo_emergency_has_its_timeline_review_and_hazards(db: Any) -> None:
    demo.seed()
    assert safety_demo.seed() == 1
    assert safety_demo.seed() == 0
    emergency = Emergency.objects.get()
    times = list(emergency.timeline.values_list("at", flat=True))
    assert times == sorted(times) and (times[-1] - times[0]).total_seconds() == 900
    assert emergency.reviewed_at is not None and emergency.responders.get().arrived_at
    assert emergency.incident.kind == "medical_emergency"
    assert Hazard.objects.count() == 2


def test_the_osha_export_of_this_year_files_every_demo_store(db: Any, tmp_path: Path) -> None:
    demo.seed()
    safety_demo.seed()
    year = timezone.localdate().year
    out = io.StringIO()
    call_command("safety_osha_export", str(tmp_path), year=year, stdout=out)
    summary = (tmp_path / f"osha-300a-{year}.csv").read_text()
    filed = [row["establishment_name"] for row in csv.DictReader(io.StringIO(summary))]
    assert filed == [f"{store.name} ({store.code})" for store in Store.objects.order_by("code")]
    cases = list(csv.DictReader(io.StringIO((tmp_path / f"osha-cases-{year}.csv").read_text())))
    assert {row["establishment_name"] for row in cases} == {"Riverside (S101)"}
    assert len(cases) == 3
    assert "Not exported" not in out.getvalue()


def test_last_years_export_files_every_demo_store_too(db: Any, tmp_path: Path) -> None:
    demo.seed()
    safety_demo.seed()
    year = timezone.localdate().year - 1
    call_command("safety_osha_export", str(tmp_path), year=year, stdout=io.StringIO())
    summary = (tmp_path / f"osha-300a-{year}.csv").read_text()
    rows = list(csv.DictReader(io.StringIO(summary)))
    assert len(rows) == Store.objects.count() == 6
    assert all(row["no_injuries_illnesses"] == "2" for row in rows)


def test_a_demo_seeded_before_the_figures_gets_them_on_the_next_run(db: Any) -> None:
    demo.seed()
    safety_demo.seed()
    EstablishmentYear.objects.exclude(store__code="S101").delete()
    assert safety_demo.seed() == 0  # the emergency is not recorded twice
    assert EstablishmentYear.objects.count() == 2 * Store.objects.count()
