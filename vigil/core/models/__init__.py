"""Core models: the organisation, its people and users, access, audit log, tokens, task runs."""

from vigil.core.models.audit import AuditAction, AuditChainHead, AuditEvent
from vigil.core.models.grants import AccessGrant, Agency, AgencyKind
from vigil.core.models.numbering import NumberSequence
from vigil.core.models.organisation import OpeningHours, Organisation, Region, Store
from vigil.core.models.people import EmployeeRole, Person
from vigil.core.models.taskruns import TaskRun, TaskRunStatus, WorkerHeartbeat
from vigil.core.models.tokens import ApiToken
from vigil.core.models.users import Role, ScopeKind, User
from vigil.core.models.views import SavedView

__all__ = [
    "AccessGrant",
    "Agency",
    "AgencyKind",
    "ApiToken",
    "AuditAction",
    "AuditChainHead",
    "AuditEvent",
    "EmployeeRole",
    "NumberSequence",
    "OpeningHours",
    "Organisation",
    "Person",
    "Region",
    "Role",
    "SavedView",
    "ScopeKind",
    "Store",
    "TaskRun",
    "TaskRunStatus",
    "User",
    "WorkerHeartbeat",
]
