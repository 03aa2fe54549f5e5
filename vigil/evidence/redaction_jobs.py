"""Redacting a clip in the background, with progress the run's page shows.

Every frame of a clip is decoded and encoded again, which takes about as long as the clip
runs or longer: the page checks the areas (:func:`vigil.evidence.redaction.parse_redaction`),
queues :func:`redact` as a task run (:mod:`vigil.core.taskruns`) and sends the investigator
to the run's page, which shows "n of m frames" and links to the copy once it is in the vault.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.urls import reverse
from django_tasks import task

from vigil.core import taskruns
from vigil.core.models import TaskRun, User
from vigil.core.roles import Capability, require
from vigil.evidence import redaction
from vigil.evidence.models import EvidenceItem
from vigil.evidence.redaction import Redaction


def start(user: User, item: EvidenceItem, wanted: Redaction) -> TaskRun:
    """Queue the redaction of a clip; the areas were checked against its frame already."""
    require(user, Capability.INVESTIGATE)
    return taskruns.start(
        redact,
        label=f"Redacted copy of {item.number}",
        requested_by=user,
        store=item.store,
        evidence_id=item.pk,
        spec=wanted.as_arguments(),
    )


# Not retried when a worker dies: a second attempt would add a second copy. A person sees the
# failure on the run's page and tries again from there.
@task()
def redact(task_run_id: str, evidence_id: int, spec: dict[str, Any]) -> dict[str, Any]:
    """Write the redacted clip and take it into the vault as a derived item."""
    with taskruns.tracking(task_run_id) as progress:
        run = progress.run
        user = run.requested_by
        if user is None:
            raise redaction_refused("The person who asked for this copy no longer has an account.")
        require(user, Capability.INVESTIGATE)
        item = EvidenceItem.objects.select_related("store", "incident", "case").get(pk=evidence_id)
        wanted = redaction.from_arguments(spec)
        copy = _redact_clip(user, item, wanted, progress)
        outcome = {
            "evidence": copy.number,
            "sha256": copy.sha256,
            "links": [
                {
                    "url": reverse("evidence:evidence-detail", args=[copy.number]),
                    "label": f"Open the redacted copy {copy.number}",
                }
            ],
        }
        taskruns.save_result(progress, outcome, f"{copy.number} is in the vault.")
    return outcome


def redaction_refused(message: str) -> Exception:
    error = redaction.RedactionRefused(message)
    error.user_message = True  # type: ignore[attr-defined]  # shown as written on the run page
    return error


def _redact_clip(
    user: User, item: EvidenceItem, wanted: Redaction, progress: taskruns.RunProgress
) -> EvidenceItem:
    redaction.check_redactable(item)
    with redaction.local_file(item) as source, redaction.scratch_dir() as folder:
        target: Path = folder / "redacted.mp4"
        frames, had_sound = redaction.redact_clip(
            source,
            target,
            wanted,
            lambda done, total: progress.count(done, total, f"{done:,} of {total:,} frames"),
        )
        progress.update(99, f"{frames:,} frames written; adding the copy to the vault")
        notes = f"{frames:,} frames re-encoded as H.264 MP4."
        if had_sound:
            notes += " Sound not copied."
        with target.open("rb") as body:
            copy = redaction.add_copy(
                user, item, body, target.stat().st_size, wanted, ".mp4", "video/mp4", notes
            )
    return copy
