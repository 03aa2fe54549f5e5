"""Incident, case and statement reports as PDF, rendered from HTML by WeasyPrint.

A report states facts: what happened, the stop elements and any missing ones, the loss,
the subjects, the statements with their hashes, the evidence with SHA-256 and a custody
summary, and police details. Times are shown in the store's own time zone, with the zone
named, because that is the clock the store's video and receipts use.
"""

from __future__ import annotations

import logging
from typing import Any

from vigil.cases.models import Case, Incident, Statement
from vigil.core.pdf import render_pdf

logger = logging.getLogger("vigil.cases.reports")


def incident_report(incident: Incident) -> bytes:
    return render_pdf("cases/report/incident.html", incident_context(incident), incident.store)


def case_report(case: Case, viewer: Any = None) -> bytes:
    return render_pdf("cases/report/case.html", case_context(case, viewer), case.store)


def statement_pdf(statement: Statement) -> bytes:
    context = {"statement": statement, "versions": list(statement.versions.order_by("number"))}
    return render_pdf("cases/report/statement.html", context, statement.store)


def incident_context(incident: Incident) -> dict[str, Any]:
    from vigil.evidence.models import EvidenceItem

    evidence = EvidenceItem.objects.filter(incident=incident, deleted_at__isnull=True)
    return {
        "incident": incident,
        "parties": list(incident.parties.select_related("subject", "person")),
        "stops": list(incident.stop_records.prefetch_related("observations")),
        "statements": list(incident.statements.prefetch_related("versions")),
        "evidence": _with_custody(evidence),
        "vehicles": list(incident.vehicles.all()),
    }


def case_context(case: Case, viewer: Any = None) -> dict[str, Any]:
    from vigil.evidence.models import EvidenceItem

    links = visible_links(case, viewer)
    incidents = [link.incident for link in links if link.incident is not None]
    evidence = EvidenceItem.objects.filter(deleted_at__isnull=True).filter(
        _case_evidence_filter(case, incidents)
    )
    return {
        "case": case,
        "incidents": [incident_context(incident) for incident in incidents],
        "subjects": [link.subject for link in links if link.subject is not None],
        "vehicles": [link.vehicle for link in links if link.vehicle is not None],
        "statements": list(
            (Statement.objects.filter(case=case) | Statement.objects.filter(incident__in=incidents))
            .distinct()
            .order_by("started_at")
            .prefetch_related("versions")
        ),
        "evidence": _with_custody(evidence.distinct()),
        "tasks": list(case.tasks.all()),
        "timeline": list(case.timeline.order_by("occurred_at", "pk")),
        "links": links,
    }


def visible_links(case: Case, viewer: Any = None) -> list[Any]:
    """The case's links, less those in stores ``viewer`` cannot see (all, with no viewer)."""
    from vigil.core.scoping import scope_of

    links = list(case.links.select_related("incident__store", "subject", "vehicle"))
    if viewer is None:
        return links
    scope = scope_of(viewer)
    return [link for link in links if scope.allows(link.target.store_id)]  # type: ignore[attr-defined]


def _case_evidence_filter(case: Case, incidents: list[Incident]) -> Any:
    from django.db.models import Q

    return Q(case=case) | Q(incident__in=incidents)


def _with_custody(items: Any) -> list[Any]:
    rows = []
    for item in items.order_by("acquired_at", "pk"):
        events = list(item.custody.order_by("seq"))
        rows.append({"item": item, "custody": events})
    return rows


__all__ = ["case_report", "incident_report", "statement_pdf"]
