"""A case's timeline: every change, written as it happens, and manual entries beside them.

``record_change`` is called by the audit log's ``after_audit`` hook for the case and for
everything that hangs off it (tasks, notes, links, statements), in the same transaction as the
change. It turns the audit event's field diff into one readable line.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from vigil.cases.models import Case, TimelineEntry, TimelineKind
from vigil.core.context import current_actor
from vigil.core.models import AuditAction, AuditEvent

# Fields whose changes say nothing to a reader of the timeline.
_QUIET_FIELDS = frozenset({"id", "case", "note", "statement", "sha256", "prev_sha256"})


def record_change(case: Case, event: AuditEvent, about: models.Model | None = None) -> None:
    """Add an automatic timeline entry describing ``event`` to ``case``."""
    TimelineEntry.objects.create(
        case=case,
        occurred_at=event.occurred_at,
        kind=TimelineKind.CHANGE,
        actor_id=event.actor_id,
        actor_name=event.actor_username,
        text=describe(event, about),
        audit_seq=event.seq,
    )


def add_entry(case: Case, text: str, occurred_at: Any = None) -> TimelineEntry:
    """A manual entry: something that happened off the system (a call, a meeting)."""
    actor = current_actor()
    return TimelineEntry.objects.create(
        case=case,
        occurred_at=occurred_at or timezone.now(),
        kind=TimelineKind.MANUAL,
        actor_id=actor.user_id,
        actor_name=actor.username,
        text=text.strip(),
    )


def describe(event: AuditEvent, about: models.Model | None) -> str:
    """One line for a reader: "Task “Pull video” updated: status open → done"."""
    noun = _noun(about) if about is not None else "Case"
    verb = {
        AuditAction.CREATE: "added",
        AuditAction.DELETE: "removed",
    }.get(AuditAction(event.action), "updated")
    if about is None and event.action == AuditAction.CREATE:
        return f"Case opened: {event.object_repr}"
    diffs = _diffs(event.changes) if event.action == AuditAction.UPDATE else ""
    return f"{noun} {verb}{': ' + diffs if diffs else ''}"


def _noun(about: models.Model) -> str:
    from vigil.cases.models import CaseLink, CaseTask, NoteRevision, Statement

    if isinstance(about, CaseLink):
        target = about.target
        return f"{str(target._meta.verbose_name).capitalize()} {target}"
    if isinstance(about, CaseTask):
        return f"Task “{about.title}”"
    if isinstance(about, NoteRevision):
        return f"Note “{about.note}” revision {about.number}"
    if isinstance(about, Statement):
        return f"Statement of {about.witness_name}"
    return str(about)


def _diffs(changes: dict[str, Any]) -> str:
    parts = []
    for field, values in sorted(changes.items()):
        if field in _QUIET_FIELDS or not isinstance(values, list) or len(values) != 2:
            continue
        old, new = values
        if isinstance(old, dict) or isinstance(new, dict):
            parts.extend(_dict_diffs(old or {}, new or {}))
        else:
            parts.append(f"{_label(field)} {_short(old)} → {_short(new)}")
    return "; ".join(parts)


def _dict_diffs(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """A template's field values change one key at a time: say which."""
    keys = sorted(set(old) | set(new))
    return [
        f"{_label(key)} {_short(old.get(key))} → {_short(new.get(key))}"
        for key in keys
        if old.get(key) != new.get(key)
    ]


def _label(name: str) -> str:
    return name.replace("_", " ")


def _short(value: Any) -> str:
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= 60 else text[:57] + "…"
