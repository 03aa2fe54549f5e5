"""Linking runs after every new incident (on the store's region) and nightly in full."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import World, make_incident, make_user
from tests.intel.conftest import Crew, engine_result
from vigil.core.models import Role, TaskRun, TaskRunStatus
from vigil.intel import runs, tasks
from vigil.intel.models import IntelRun, Network


@pytest.fixture
def engine(crew: Crew, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The engine, answering the crew's result and remembering each folder it was given."""
    asked: list[Path] = []

    def link(folder: Path, engine: str = "duckdb") -> dict[str, Any]:
        asked.append(folder)
        return engine_result(crew)

    monkeypatch.setattr(runs, "call_engine", link)
    return asked


def test_a_new_incident_links_its_region(
    crew: Crew,
    world: World,
    engine: list[Path],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.INTEL_LINK_ON_NEW_INCIDENT = True
    with django_capture_on_commit_callbacks(execute=True):
        make_incident(crew.store_a, crew.investigator)
    run = TaskRun.objects.get(task_name=tasks.link_region.module_path)
    assert run.status == TaskRunStatus.SUCCEEDED
    assert run.arguments == {"region_id": world.region_a.pk}
    assert run.requested_by is None  # the system's run, not the reporter's to read
    assert IntelRun.objects.get().region == world.region_a
    assert Network.objects.count() == 1


def test_no_run_when_switched_off(
    crew: Crew, engine: list[Path], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.INTEL_LINK_ON_NEW_INCIDENT = False
    with django_capture_on_commit_callbacks(execute=True):
        make_incident(crew.store_a, crew.investigator)
    assert not TaskRun.objects.filter(task_name=tasks.link_region.module_path).exists()


def test_a_subject_named_on_an_incident_links_its_region(
    crew: Crew, engine: list[Path], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.conftest import make_subject
    from vigil.cases import filing

    settings.INTEL_LINK_ON_NEW_INCIDENT = True
    with django_capture_on_commit_callbacks(execute=True):
        filing.add_party(
            crew.investigator, crew.first, "suspect", subject=make_subject(crew.store_a)
        )
    assert TaskRun.objects.filter(task_name=tasks.link_region.module_path).count() == 1


def test_a_waiting_run_is_not_queued_twice(crew: Crew, world: World) -> None:
    waiting = TaskRun.objects.create(
        task_name=tasks.link_region.module_path,
        label="waiting",
        arguments={"region_id": world.region_a.pk},
    )
    assert tasks.start_linking(world.region_a) == waiting


def test_a_run_without_the_engine_fails_and_says_why(
    crew: Crew, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(folder: Path, engine: str = "duckdb") -> dict[str, Any]:
        raise runs.EngineMissing("The linking engine is not installed; nothing was linked.")

    monkeypatch.setattr(runs, "call_engine", missing)
    run = tasks.start_linking(world.region_a)
    run.refresh_from_db()
    assert run.status == TaskRunStatus.FAILED
    assert "not installed" in run.error


def test_the_nightly_command_links_everything(crew: Crew, engine: list[Path]) -> None:
    out = StringIO()
    call_command("intel_nightly", stdout=out)
    assert IntelRun.objects.get().region is None
    assert "1 networks" in out.getvalue()


def test_the_nightly_command_refuses_an_unknown_region(crew: Crew) -> None:
    with pytest.raises(CommandError):
        call_command("intel_nightly", "--region", "NOWHERE")


def test_the_run_button_starts_a_full_run(crew: Crew, engine: list[Path]) -> None:
    from django.urls import reverse

    from tests.conftest import client_for

    manager = make_user(Role.LP_MANAGER, everything=True)
    answer = client_for(manager).post(reverse("intel:run-new"))
    run = TaskRun.objects.get(task_name=tasks.link_region.module_path)
    assert answer["Location"] == reverse("core:task-run-detail", args=[run.pk])
    assert run.status == TaskRunStatus.SUCCEEDED
