"""What the POS app does when a background job of its own is lost with its worker."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from vigil.core.models import TaskRun
from vigil.pos.models import Scan, ScanStatus


def fail_lost_scans(sender: Any, run: TaskRun, retried: bool, **kwargs: Any) -> None:
    """A scan the lost run had started will never finish: say so. Its leads were never
    written (they are written with the scan's "done"), so nothing half done is visible."""
    said = "worker stopped before the scan finished" + (
        "; the job is being run again" if retried else ""
    )
    Scan.objects.filter(task_run=run, status=ScanStatus.RUNNING).update(
        status=ScanStatus.FAILED, error=said, finished_at=timezone.now()
    )
