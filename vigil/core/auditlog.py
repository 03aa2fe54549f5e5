"""Reading the audit log: filtering (pages and API share it) and CSV export."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from vigil.core.audit import record
from vigil.core.exports import SafeWriter
from vigil.core.models.audit import AuditAction, AuditEvent

EXPORT_COLUMNS = (
    "seq",
    "occurred_at",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "store_id",
    "request_id",
    "ip",
    "via",
    "changes",
    "prev_hash",
    "hash",
)


def filter_events(
    events: QuerySet[AuditEvent],
    *,
    action: str | None = None,
    actor: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    store: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AuditEvent]:
    """Narrow ``events`` by the filters people use when reviewing the log."""
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor_username__iexact=actor)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if store:
        events = events.filter(store__code=store)
    if since:
        events = events.filter(occurred_at__gte=since)
    if until:
        events = events.filter(occurred_at__lt=until)
    return events.select_related("store").order_by("-seq")


def export_csv(events: QuerySet[AuditEvent], filters: dict[str, Any]) -> Iterator[str]:
    """Stream events as CSV lines; the export itself is logged, with its filters."""
    record(
        AuditAction.EXPORT,
        object_type="core.auditevent",
        object_repr="audit log CSV",
        changes={"filters": {k: str(v) for k, v in filters.items() if v}},
    )
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(EXPORT_COLUMNS)
    yield drain(buffer)
    for event in events.iterator(chunk_size=2000):
        row = event.content() | {"hash": event.hash}
        writer.writerow(_csv_value(row[column]) for column in EXPORT_COLUMNS)
        yield drain(buffer)


def _csv_value(value: Any) -> Any:
    return json.dumps(value, sort_keys=True) if isinstance(value, dict) else value


def drain(buffer: io.StringIO) -> str:
    """What was written to ``buffer`` since the last drain (for streaming CSV)."""
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
