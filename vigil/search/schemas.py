"""What the search API takes and gives."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

from datetime import datetime

from ninja import Field, Schema

from vigil.search.models import SearchKind


class SearchFilters(Schema):
    q: str = Field(
        ...,
        min_length=1,
        max_length=200,
        description="Words of a name, an alias or a description; a plate (whole or part; "
        "look-alike characters O/0, B/8, I/1, S/5, Z/2, G/6 match); a reference number; the "
        "start of a SHA-256; a POS transaction id; an employee id",
    )
    kind: SearchKind | None = Field(None, description="Only this kind of record")
    store: str | None = Field(None, description="Only this store (its code)")
    limit: int = Field(8, ge=1, le=50, description="Results per kind")
    offset: int = Field(
        0, ge=0, le=950, description="Results of each kind to skip (the first 1,000 are paged)"
    )


class HitOut(Schema):
    kind: SearchKind
    url: str = Field(..., description="The record's page")
    reference: str = Field(..., description="Its reference number, where it has one")
    title: str
    facts: list[str] = Field(..., description="What identifies it, in words")
    store: str = Field(..., description="The store's code")
    store_name: str
    at: datetime | None = Field(None, description="When it happened or was recorded (UTC)")
    at_store: str = Field(..., description="The same, on the store's clock, zone named")
    note: str = Field(..., description="Why it matched, where the match is not exact")


class GroupOut(Schema):
    kind: SearchKind
    label: str
    total: int = Field(..., description="How many of this kind match")
    capped: bool = Field(..., description="More match than `total`: narrow the search")
    items: list[HitOut]


class SearchOut(Schema):
    q: str
    total: int
    groups: list[GroupOut] = Field(..., description="Best-matching kind first")
