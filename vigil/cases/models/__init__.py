"""Investigation models: incidents, cases, subjects, vehicles, stops and statements."""

from vigil.cases.models.cases import (
    AppendOnly,
    Case,
    CaseLink,
    CasePriority,
    CaseStatus,
    CaseTask,
    CaseTemplate,
    Note,
    NoteRevision,
    TaskStatus,
    TimelineEntry,
    TimelineKind,
)
from vigil.cases.models.incidents import (
    Disposition,
    Incident,
    IncidentParty,
    IncidentStatus,
    IncidentType,
    PartyRole,
)
from vigil.cases.models.narrative import NarrativeTerm
from vigil.cases.models.notifications import ChannelKind, Delivery, NotificationChannel
from vigil.cases.models.statements import (
    Statement,
    StatementMethod,
    StatementStatus,
    StatementVersion,
)
from vigil.cases.models.stops import (
    ElementStatus,
    StopElement,
    StopObservation,
    StopOutcome,
    StopRecord,
)
from vigil.cases.models.subjects import BoloStatus, Subject, Vehicle

__all__ = [
    "AppendOnly",
    "BoloStatus",
    "Case",
    "CaseLink",
    "CasePriority",
    "CaseStatus",
    "CaseTask",
    "CaseTemplate",
    "ChannelKind",
    "Delivery",
    "Disposition",
    "ElementStatus",
    "Incident",
    "IncidentParty",
    "IncidentStatus",
    "IncidentType",
    "NarrativeTerm",
    "Note",
    "NoteRevision",
    "NotificationChannel",
    "PartyRole",
    "Statement",
    "StatementMethod",
    "StatementStatus",
    "StatementVersion",
    "StopElement",
    "StopObservation",
    "StopOutcome",
    "StopRecord",
    "Subject",
    "TaskStatus",
    "TimelineEntry",
    "TimelineKind",
    "Vehicle",
]
