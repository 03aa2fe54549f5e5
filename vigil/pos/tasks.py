"""Background work of the POS app: importing a data set and scanning it, with progress."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django_tasks import task

from vigil.core import taskruns
from vigil.core.models import TaskRun
from vigil.pos import imports

STEPS = 12  # roughly: seven tables read, references, rules, scoring, storing


@task()
def import_and_scan(
    task_run_id: str,
    source: str,
    name: str,
    kind: str,
    inbox_folder: str = "",
    remove_source: bool = False,
) -> dict[str, Any]:
    """Import ``source`` as a data set, then scan it; the run's result names both.

    An uploaded folder (``remove_source``) is removed afterwards, imported or not: the data
    set keeps its own checked copy.
    """
    try:
        return _import_and_scan(task_run_id, source, name, kind, inbox_folder)
    finally:
        if remove_source:
            shutil.rmtree(source, ignore_errors=True)


def _import_and_scan(
    task_run_id: str, source: str, name: str, kind: str, inbox_folder: str
) -> dict[str, Any]:
    run = TaskRun.objects.select_related("requested_by").get(pk=task_run_id)
    user = run.requested_by
    assert user is not None
    with taskruns.tracking(task_run_id) as progress:
        done = [0]

        def step(text: str) -> None:
            done[0] += 1
            progress.update(min(95, int(100 * done[0] / (STEPS + 22))), text)

        data_set = imports.import_data_set(
            user, Path(source), name, kind, step=step, inbox_folder=inbox_folder
        )
        scan = imports.scan_data_set(data_set, user, step=step)
        outcome = {
            "data_set": data_set.pk,
            "scan": scan.pk,
            "exceptions": scan.exception_count,
            "transactions": data_set.rows.get("transactions", 0),
        }
        taskruns.save_result(
            progress, outcome, f"{scan.exception_count:,} exceptions in {data_set.name}"
        )
    return outcome


@task()
def scan_again(task_run_id: str, data_set_id: int) -> dict[str, Any]:
    """Scan an imported data set again (after the rules changed, say)."""
    from vigil.pos.models import DataSet

    run = TaskRun.objects.select_related("requested_by").get(pk=task_run_id)
    with taskruns.tracking(task_run_id) as progress:
        done = [0]

        def step(text: str) -> None:
            done[0] += 1
            progress.update(min(95, int(100 * done[0] / 26)), text)

        data_set = DataSet.objects.get(pk=data_set_id)
        scan = imports.scan_data_set(data_set, run.requested_by, step=step)
        outcome = {"data_set": data_set.pk, "scan": scan.pk, "exceptions": scan.exception_count}
        taskruns.save_result(
            progress, outcome, f"{scan.exception_count:,} exceptions in {data_set.name}"
        )
    return outcome
