"""Building a police package in the background, with progress the package page shows.

A package of a few hours of native video takes minutes to copy and hash: the page records the
package as being built (:func:`vigil.evidence.packages.prepare`), queues :func:`build` as a
task run (:mod:`vigil.core.taskruns`, the same worker as POS imports) and shows "n of m items"
until it is ready or failed, with the reason.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from vigil.cases.models import Case, Incident
from vigil.core import taskruns
from vigil.core.models import TaskRun, User
from vigil.evidence import packages
from vigil.evidence.models import EvidencePackage, PackageStatus
from vigil.evidence.package_contents import Selection


def start_build(
    user: User,
    *,
    purpose: str,
    case: Case | None = None,
    incident: Incident | None = None,
    selection: Selection | None = None,
    previous: EvidencePackage | None = None,
) -> EvidencePackage:
    """Record the package as being built and queue the work; ValidationError if refused."""
    package = packages.prepare(
        user, purpose=purpose, case=case, incident=incident, selection=selection, previous=previous
    )
    run = taskruns.start(
        build,
        label=f"Police package {package.number}",
        requested_by=user,
        store=package.store,
        package_id=package.pk,
    )
    EvidencePackage.objects.filter(pk=package.pk).update(task_run=run)
    package.refresh_from_db()
    return package


# Safe to run again: the ZIP is stored by its content, and the package is marked ready (with
# the custody events) in one transaction, so an attempt cut short leaves nothing half-done.
@taskruns.retried_when_worker_lost(attempts=2)
@task()
def build(task_run_id: str, package_id: int) -> dict[str, Any]:
    """Write the package's ZIP, reporting each item as it goes in."""
    with taskruns.tracking(task_run_id) as progress:
        package = EvidencePackage.objects.select_related(
            "store", "case", "incident", "created_by", "previous"
        ).get(pk=package_id)
        if package.status == PackageStatus.READY:  # an earlier attempt finished it
            return {"package": package.number, "sha256": package.sha256, "size": package.size}
        if package.status == PackageStatus.FAILED:  # tried again from the run's page
            EvidencePackage.objects.filter(pk=package.pk).update(
                status=PackageStatus.BUILDING, error=""
            )
            package.status = PackageStatus.BUILDING
        packages.assemble(
            package, progress=lambda done, total, text: progress.count(done, total, text)
        )
        outcome = {"package": package.number, "sha256": package.sha256, "size": package.size}
        taskruns.save_result(progress, outcome, f"{package.number} is ready.")
    return outcome


def run_of(package: EvidencePackage) -> TaskRun | None:
    """The task run that builds (or built) ``package``, if it was built in the background."""
    if package.task_run_id is None:
        return None
    return TaskRun.objects.filter(pk=package.task_run_id).first()
