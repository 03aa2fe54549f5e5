"""Background work of the POS app: importing a data set and scanning it, with progress.

Both jobs are idempotent (an export is recognised by its content, a scan updates leads in
place), so a job whose worker dies is simply run again.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django_tasks import task

from vigil.core import taskruns
from vigil.core.models import TaskRun
from vigil.engines.pos.scanning import Step
from vigil.pos import imports
from vigil.pos.models import DataSet, Scan, ScanStatus

STEPS = 12  # roughly: seven tables read, references, rules, scoring, storing


@taskruns.retried_when_worker_lost(attempts=2)
@task()
def import_and_scan(
    task_run_id: str, source: str, name: str, kind: str, inbox_folder: str = ""
) -> dict[str, Any]:
    """Import ``source`` as a data set, then scan it; the run's result names both.

    The same content imported before adds nothing, and the run says where it went."""
    run = TaskRun.objects.select_related("requested_by").get(pk=task_run_id)
    user = run.requested_by
    assert user is not None
    with taskruns.tracking(task_run_id) as progress:
        step = _stepper(progress, STEPS + 22)
        try:
            data_set = imports.import_data_set(
                user, Path(source), name, kind, step=step, inbox_folder=inbox_folder
            )
        except imports.AlreadyImported as seen:
            own = _own_scan(seen.data_set, task_run_id)
            if own is not None:  # an earlier attempt of this very run finished the scan
                outcome = _outcome(own.data_set, own)
                taskruns.save_result(progress, outcome, summary(own.data_set, own))
                return outcome
            outcome = {
                "data_set": seen.data_set.pk if seen.data_set else None,
                "duplicate": True,
                "links": _links(seen.data_set) if seen.data_set else [],
            }
            taskruns.save_result(progress, outcome, str(seen))
            return outcome
        scan = imports.scan_data_set(data_set, user, step=step)
        outcome = _outcome(data_set, scan)
        taskruns.save_result(progress, outcome, summary(data_set, scan))
    return outcome


@taskruns.retried_when_worker_lost(attempts=2)
@task()
def scan_again(task_run_id: str, data_set_id: int) -> dict[str, Any]:
    """Scan an imported data set again (after the rules changed, say)."""
    run = TaskRun.objects.select_related("requested_by").get(pk=task_run_id)
    with taskruns.tracking(task_run_id) as progress:
        data_set = DataSet.objects.get(pk=data_set_id)
        scan = imports.scan_data_set(data_set, run.requested_by, step=_stepper(progress, 26))
        outcome = _outcome(data_set, scan)
        taskruns.save_result(progress, outcome, summary(data_set, scan))
    return outcome


def _own_scan(data_set: DataSet | None, task_run_id: str) -> Scan | None:
    if data_set is None:
        return None
    done = Scan.objects.filter(
        data_set=data_set, task_run_id=uuid.UUID(task_run_id), status=ScanStatus.DONE
    )
    return done.select_related("data_set").first()


def _stepper(progress: taskruns.RunProgress, steps: int) -> Step:
    done = [0]

    def step(text: str) -> None:
        done[0] += 1
        progress.update(min(95, int(100 * done[0] / steps)), text)

    return step


def _links(data_set: DataSet) -> list[dict[str, str]]:
    """Where the run page sends a person next: the data set's leads, and the data sets."""
    leads = f"{reverse('pos:exception-list')}?{urlencode({'data_set': data_set.pk})}"
    return [
        {"label": f"The leads of {data_set.name}", "url": leads},
        {"label": "All data sets and their scans", "url": reverse("pos:data-set-list")},
    ]


def _outcome(data_set: DataSet, scan: Scan) -> dict[str, Any]:
    return {
        "links": _links(data_set),
        "data_set": data_set.pk,
        "scan": scan.pk,
        "exceptions": scan.exception_count,
        "leads": scan.leads,
        "transactions": data_set.rows.get("transactions", 0),
        "new_transactions": data_set.new_transactions,
    }


def summary(data_set: DataSet, scan: Scan) -> str:
    """One line for the run page and the nightly log: what the scan changed."""
    counts = scan.leads
    said = (
        f"{data_set.name}: {counts.get('new', 0):,} new leads, "
        f"{counts.get('kept', 0) + counts.get('updated', 0):,} kept"
    )
    if counts.get("no_longer_raised"):
        said += f", {counts['no_longer_raised']:,} no longer raised"
    if data_set.known_transactions:
        said += f" ({data_set.known_transactions:,} transactions were already imported)"
    return said
