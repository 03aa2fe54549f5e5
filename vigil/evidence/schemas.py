"""API schemas of the evidence vault."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from vigil.core.schemas import StrictIn
from vigil.evidence.models import CustodyAction, Derivation, EvidenceSource


class EvidenceUpload(Schema):
    """The description of an upload, sent in the query string; the body is the file."""

    filename: str = Field(..., description="The file's original name (no folders)")
    source: EvidenceSource
    acquired_by: str = Field(..., min_length=1, max_length=200)
    acquired_at: datetime
    store: str | None = Field(None, description="Store code; taken from the incident or case")
    incident: str | None = Field(None, description="Incident number")
    case: str | None = Field(None, description="Case number")
    subject_id: int | None = None
    description: str = ""
    camera: str = Field("", max_length=200)
    camera_clock_offset_s: Decimal | None = Field(None, max_digits=10, decimal_places=3)
    recorder_clock_offset_s: Decimal | None = Field(None, max_digits=10, decimal_places=3)
    derived_from: str | None = Field(None, description="Evidence number of the original")
    derivation: Derivation | None = None


class EvidenceOut(Schema):
    number: str
    store: str = Field(..., alias="store.code")
    incident: str | None
    case: str | None
    subject_id: int | None
    sha256: str
    size: int
    media_type: str
    original_filename: str
    source: EvidenceSource
    description: str
    acquired_by: str
    acquired_at: datetime
    camera: str
    camera_clock_offset_s: Decimal | None
    recorder_clock_offset_s: Decimal | None
    derived_from: str | None
    derivation: str
    stored_in: str
    created_at: datetime
    deleted_at: datetime | None
    deleted_reason: str

    @staticmethod
    def resolve_incident(obj: Any) -> str | None:
        return obj.incident.number if obj.incident_id else None

    @staticmethod
    def resolve_case(obj: Any) -> str | None:
        return obj.case.number if obj.case_id else None

    @staticmethod
    def resolve_derived_from(obj: Any) -> str | None:
        return obj.derived_from.number if obj.derived_from_id else None


class EvidenceFilters(Schema):
    store: str | None = None
    incident: str | None = None
    case: str | None = None
    source: EvidenceSource | None = None
    q: str | None = Field(None, description="Number, file name, description or SHA-256")
    deleted: bool = Field(False, description="Show deleted items instead")


class CustodyOut(Schema):
    seq: int
    action: CustodyAction
    occurred_at: datetime
    actor_name: str
    location: str
    purpose: str
    from_party: str
    to_party: str
    details: dict[str, Any]
    ip: str | None
    via: str
    prev_hash: str
    hash: str


class CustodyIn(StrictIn):
    action: CustodyAction = Field(
        ..., description="transferred, released or disposed (views and downloads log themselves)"
    )
    purpose: str = Field(..., min_length=1)
    from_party: str = Field("", max_length=200)
    to_party: str = Field("", max_length=200)
    location: str = Field("", max_length=200)


class VerificationOut(Schema):
    number: str
    ok: bool
    expected_sha256: str
    found_sha256: str | None
    problems: list[str]


class PackageIn(StrictIn):
    """A package to build. Each of ``evidence``, ``statements`` and ``reports`` left out
    means all of that kind the builder may see; a list means exactly those."""

    case: str | None = Field(None, description="Case number")
    incident: str | None = Field(None, description="Incident number")
    purpose: str = Field(..., min_length=1, max_length=200)
    evidence: list[str] | None = Field(None, description="Evidence numbers to put in")
    statements: list[int] | None = Field(None, description="Statement ids to put in")
    reports: list[str] | None = Field(
        None, description="Incident numbers whose incident report goes in"
    )
    summary: bool = Field(True, description="Put the case summary in (case packages)")
    previous: str | None = Field(
        None, description="Number of the package this one rebuilds (a new version of it)"
    )


class PackageOut(Schema):
    number: str
    store: str = Field(..., alias="store.code")
    case: str | None
    incident: str | None
    purpose: str
    status: str = Field(..., description="building, ready or failed")
    version: int
    previous: str | None = Field(None, description="The package this version replaces")
    error: str = Field("", description="Why the build failed")
    sha256: str
    size: int
    created_at: datetime
    manifest: dict[str, Any]

    @staticmethod
    def resolve_previous(obj: Any) -> str | None:
        return obj.previous.number if obj.previous_id else None

    @staticmethod
    def resolve_case(obj: Any) -> str | None:
        return obj.case.number if obj.case_id else None

    @staticmethod
    def resolve_incident(obj: Any) -> str | None:
        return obj.incident.number if obj.incident_id else None


class ShareIn(StrictIn):
    recipient: str = Field(..., min_length=1, max_length=200)
    agency: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    days: int = Field(14, ge=1, le=90)


class ShareOut(Schema):
    id: int
    package: str = Field(..., alias="package.number")
    prefix: str
    recipient: str
    agency: str
    email: str
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    uses: int


class ShareCreated(ShareOut):
    url: str = Field(..., description="The link; shown this once only")
    emailed: bool = Field(False, description="Sent to the e-mail address given")
    in_portal: bool = Field(
        False, description="Also shared into the portal of the external user with that address"
    )
