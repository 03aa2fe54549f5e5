"""API schemas of the core app."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any
from uuid import UUID

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator, model_validator
from pydantic.config import JsonDict

from vigil.core.models import EmployeeRole, Role, ScopeKind

# Attributes Vigil never records about anyone. An LP record describes what was seen and done;
# who someone *is* in these senses has no place in it (and invites discrimination claims).
PROTECTED_CLASS_FIELDS = frozenset(
    {
        "race",
        "ethnicity",
        "ethnic_origin",
        "skin_color",
        "skin_colour",
        "religion",
        "religious_belief",
        "sexual_orientation",
        "gender_identity",
        "sex",
        "gender",
        "political_views",
        "political_opinion",
        "national_origin",
        "nationality",
        "disability",
        "pregnancy",
        "genetic_information",
        "marital_status",
        "veteran_status",
        "immigration_status",
    }
)

# A row's id as a 64-bit integer column holds it. A larger one names nothing, but a list of them
# (``pk__in``) cannot even be put to SQLite, so the schema refuses it first.
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]
# A count as its column holds it: PostgreSQL's integer stops at 2**31 - 1 (SQLite does not), and a
# larger one is refused here rather than by the database with a 500.
Count = Annotated[int, Field(ge=0, le=2**31 - 1)]
BigCount = Annotated[int, Field(ge=0, le=2**63 - 1)]


class StrictIn(Schema):
    """An input schema that refuses unknown fields, and protected-class ones by name."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_protected_classes(cls, data: Any) -> Any:
        keys = data.keys() if isinstance(data, dict) else ()
        refused = sorted(k for k in keys if str(k).lower() in PROTECTED_CLASS_FIELDS)
        if refused:
            raise ValueError(
                f"{', '.join(refused)}: Vigil does not record protected-class attributes; "
                "describe what was observed instead (clothing, height, marks)"
            )
        return data


class RegionOut(Schema):
    code: str
    name: str


# A wall-clock time in the store's own zone, "08:00:00", never with an offset (RFC 3339's
# partial-time, not its full-time, which would demand one). Validators skip a format they do not
# know, and most know only `time`, so the pattern says the same for them. ("08:00" is taken too.)
LOCAL_TIME: JsonDict = {
    "format": "partial-time",
    "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?$",
    "examples": ["08:00:00", "21:30:00"],
}


class OpeningHoursSchema(Schema):
    weekday: int = Field(..., ge=0, le=6, description="0 = Monday … 6 = Sunday")
    opens: time = Field(..., description="Local time", json_schema_extra=LOCAL_TIME)
    closes: time = Field(
        ...,
        description="Local time; earlier than opens means after midnight",
        json_schema_extra=LOCAL_TIME,
    )

    @field_validator("opens", "closes")
    @classmethod
    def _local(cls, value: time) -> time:
        if value.tzinfo is not None:
            raise ValueError("give the store's local time without a UTC offset, e.g. 08:00")
        return value


class StoreOut(Schema):
    code: str
    name: str
    region: str = Field(..., alias="region.code")
    timezone: str
    street: str
    city: str
    state: str
    postal_code: str
    country: str
    phone: str
    is_active: bool
    opening_hours: list[OpeningHoursSchema]

    @staticmethod
    def resolve_opening_hours(obj: Any) -> list[Any]:
        return list(obj.opening_hours.all())


class StoreIn(Schema):
    code: str = Field(..., max_length=32)
    name: str = Field(..., max_length=200)
    region: str = Field(..., description="Region code")
    timezone: str = Field(..., description="IANA time zone, e.g. America/Chicago")
    street: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = "US"
    phone: str = ""
    opening_hours: list[OpeningHoursSchema] = []


class StorePatch(Schema):
    name: str | None = None
    timezone: str | None = None
    street: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None
    phone: str | None = None
    is_active: bool | None = None
    opening_hours: list[OpeningHoursSchema] | None = None


class PersonOut(Schema):
    employee_id: str
    name: str
    home_store: str = Field(..., alias="home_store.code")
    role: EmployeeRole
    hired_on: date | None
    left_on: date | None


class PersonIn(Schema):
    employee_id: str = Field(..., max_length=64)
    name: str = Field(..., max_length=200)
    home_store: str = Field(..., description="Store code")
    role: EmployeeRole
    hired_on: date | None = None
    left_on: date | None = None


class PersonPatch(Schema):
    name: str | None = None
    home_store: str | None = None
    role: EmployeeRole | None = None
    hired_on: date | None = None
    left_on: date | None = None


class UserOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    email: str
    role: Role
    scope_kind: ScopeKind
    stores: list[str]
    regions: list[str]
    employee_id: str | None
    organisation_name: str
    is_active: bool
    last_login: datetime | None

    @staticmethod
    def resolve_stores(obj: Any) -> list[str]:
        return [store.code for store in obj.stores.all()]

    @staticmethod
    def resolve_regions(obj: Any) -> list[str]:
        return [region.code for region in obj.regions.all()]

    @staticmethod
    def resolve_employee_id(obj: Any) -> str | None:
        return obj.person.employee_id if obj.person_id else None


class UserIn(Schema):
    username: str = Field(..., max_length=150)
    password: str = Field(..., min_length=1, description="Checked by the password validators")
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    role: Role
    scope_kind: ScopeKind = ScopeKind.STORES
    stores: list[str] = []
    regions: list[str] = []
    employee_id: str | None = None
    organisation_name: str = ""


class UserPatch(Schema):
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    role: Role | None = None
    scope_kind: ScopeKind | None = None
    stores: list[str] | None = None
    regions: list[str] | None = None
    is_active: bool | None = None
    organisation_name: str | None = None


class MeOut(UserOut):
    capabilities: list[str]

    @staticmethod
    def resolve_capabilities(obj: Any) -> list[str]:
        from vigil.core.roles import capabilities_of

        return sorted(capabilities_of(obj))


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    user: str = Field(..., alias="user.username")
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    is_active: bool


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    days: int = Field(90, ge=1, le=366)
    user_id: int | None = Field(None, description="Administrators may issue for another user")


class TokenCreated(TokenOut):
    token: str = Field(..., description="The secret; shown this once only")


class AuditEventOut(Schema):
    seq: int
    occurred_at: datetime
    actor_username: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    store: str | None
    request_id: str
    ip: str | None
    via: str
    changes: dict[str, Any]
    prev_hash: str
    hash: str

    @staticmethod
    def resolve_store(obj: Any) -> str | None:
        store = getattr(obj, "store", None) if obj.store_id else None
        return store.code if store is not None else None


class TaskRunOut(Schema):
    id: UUID
    label: str
    status: str
    progress: int
    message: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    result: dict[str, Any]
    error: str
    attempt: int
    max_attempts: int
