"""The search index: one row per searchable record, copied from it whenever it is saved.

The row holds only what search compares (folded words, identifiers, a plate's class form, a
SHA-256) and the record's store, so the store scope applies in the same SQL as the match.
The record itself is always read back through its own model's ``visible_to`` before anything
is shown: a row is a pointer, never the record. Nor is it audited: every change to the
record it was copied from already is.

The full-text machinery lives beside this table and is not in the model: on SQLite two FTS5
tables kept in step by triggers, on PostgreSQL a generated ``tsvector`` column with a GIN
index and ``pg_trgm`` indexes (migration 0001, :mod:`vigil.search.backends`).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from vigil.core.scoping import Scoped, ScopedQuerySet


class SearchKind(models.TextChoices):
    """What a result is, in the order the results page lists groups that match equally."""

    INCIDENT = "incident", "Incidents"
    CASE = "case", "Cases"
    SUBJECT = "subject", "Subjects"
    VEHICLE = "vehicle", "Vehicles"
    EVIDENCE = "evidence", "Evidence"
    LEAD = "lead", "POS leads"  # found in the leads' own table, never copied here
    PERSON = "person", "People"


class SearchEntry(Scoped):
    """One record as search sees it."""

    scope_path: ClassVar[str] = "store"

    kind = models.CharField(max_length=16, choices=SearchKind.choices)
    object_id = models.PositiveBigIntegerField()
    store = models.ForeignKey("core.Store", on_delete=models.CASCADE, related_name="+")
    happened_at = models.DateTimeField(
        null=True, blank=True, help_text="When it happened or was recorded: newest first"
    )
    words = models.TextField(blank=True, help_text="Names, descriptions, narrative: folded")
    keys = models.TextField(blank=True, help_text="Reference numbers and ids, upper case")
    plate = models.CharField(
        max_length=20, blank=True, db_index=True, help_text="A vehicle's plate, class form"
    )
    digest = models.CharField(
        max_length=64, blank=True, db_index=True, help_text="An evidence item's SHA-256"
    )
    indexed_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet["SearchEntry"].as_manager()

    class Meta:
        db_table = "search_entry"
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_entry_per_record")
        ]
        indexes = [
            models.Index(fields=["store", "kind"], name="search_store_kind"),
            # A common word's matches, newest first, as far as the cap (vigil.search.backends).
            models.Index(fields=["kind", "happened_at", "id"], name="search_kind_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id}"
