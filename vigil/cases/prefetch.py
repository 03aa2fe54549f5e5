"""What a page of the API's lists loads up front, so each row costs no query of its own.

Each function takes the filtered queryset and adds the joins and prefetches that the row's
schema (``vigil.cases.schemas``) reads: one query per relation for the whole page, instead of
one per row. The schemas fall back to a query of their own for a single object.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from vigil.cases.models import (
    Case,
    CaseLink,
    CaseTask,
    Incident,
    IncidentParty,
    Note,
    NoteRevision,
    Statement,
    StatementVersion,
)


def incidents(found: QuerySet[Incident]) -> QuerySet[Incident]:
    parties = IncidentParty.objects.select_related("subject", "person")
    return found.select_related("store", "reported_by").prefetch_related(
        Prefetch("parties", queryset=parties)
    )


def cases(found: QuerySet[Case]) -> QuerySet[Case]:
    links = CaseLink.objects.select_related("incident", "subject", "vehicle")
    tasks = CaseTask.objects.select_related("assignee")
    return (
        found.select_related("store", "assignee", "template")
        .prefetch_related("team")
        .prefetch_related(Prefetch("links", queryset=links))
        .prefetch_related(Prefetch("tasks", queryset=tasks))
    )


def notes(found: QuerySet[Note]) -> QuerySet[Note]:
    revisions = NoteRevision.objects.select_related("author").order_by("-number")
    return found.prefetch_related(Prefetch("revisions", queryset=revisions))


def statements(found: QuerySet[Statement]) -> QuerySet[Statement]:
    versions = StatementVersion.objects.select_related("scan").order_by("-number")
    return found.select_related("store", "incident", "case", "taken_by").prefetch_related(
        Prefetch("versions", queryset=versions)
    )
