"""Background work of the intelligence app: linking a region, or everything, again.

A linking run is idempotent (it replaces what the previous run said), so a run whose worker
dies is simply run again. Runs for one region do not pile up: while one waits in the queue,
asking for another adds nothing.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django_tasks import task

from vigil.core import taskruns
from vigil.core.models import Region, TaskRun, TaskRunStatus, User
from vigil.intel import runs
from vigil.intel.models import IntelRun


@taskruns.retried_when_worker_lost(attempts=2)
@task()
def link_region(task_run_id: str, region_id: int | None = None) -> dict[str, Any]:
    """Link the incidents of one region (or of every region, for ``None``)."""
    region = Region.objects.get(pk=region_id) if region_id is not None else None
    with taskruns.tracking(task_run_id) as progress:
        done = [0]

        def step(text: str) -> None:
            done[0] += 1
            progress.update(min(95, 25 * done[0]), text)

        run = runs.link_region(region, step=step)
        IntelRun.objects.filter(pk=run.pk).update(task_run_id=task_run_id)
        outcome = {
            "intel_run": run.pk,
            **run.counts,
            "links": [{"label": "Networks and profiles", "url": reverse("intel:overview")}],
        }
        taskruns.save_result(progress, outcome, summary(run))
    return outcome


def summary(run: IntelRun) -> str:
    """One line for the run page and the nightly log: what the run found."""
    counts = run.counts
    where = run.region.name if run.region else "all regions"
    return (
        f"{where}: {counts.get('profiles', 0):,} people of interest, "
        f"{counts.get('vehicles', 0):,} vehicles, {counts.get('networks', 0):,} networks, "
        f"{counts.get('suggestions', 0):,} suggestions to decide"
    )


def start_linking(region: Region | None, requested_by: User | None = None) -> TaskRun:
    """Queue a linking run for ``region`` unless one is already waiting for it."""
    waiting = TaskRun.objects.filter(
        task_name=link_region.module_path,
        status=TaskRunStatus.QUEUED,
        arguments__region_id=region.pk if region else None,
    ).first()
    if waiting is not None:
        return waiting
    where = region.name if region else "all regions"
    return taskruns.start(
        link_region,
        label=f"Link people, vehicles and incidents ({where})",
        requested_by=requested_by,
        region_id=region.pk if region else None,
    )
