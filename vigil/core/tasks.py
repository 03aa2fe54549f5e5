"""Background tasks of the core app."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from vigil.core import audit, taskruns
from vigil.core.models.audit import AuditAction


@task()
def verify_audit_chain(task_run_id: str) -> dict[str, Any]:
    """Re-check the whole audit chain in the background, reporting progress."""
    with taskruns.tracking(task_run_id) as progress:
        report = audit.verify_chain(progress=lambda done, total: progress.count(done, total))
        outcome: dict[str, Any] = {
            "ok": report.ok,
            "checked": report.checked,
            "head_seq": report.head_seq,
            "problem": report.problem.message if report.problem else "",
        }
        audit.record(AuditAction.VERIFY, changes=outcome)
        message = "Chain intact" if report.ok else f"Chain broken: {outcome['problem']}"
        taskruns.save_result(progress, outcome, message)
    return outcome
