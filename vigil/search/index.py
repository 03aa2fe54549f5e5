"""Keeping the search index in step with the records: on every save and delete (through
:mod:`vigil.search.signals`), and all at once with ``vigil search reindex``.

Writes happen in the transaction of the change that caused them, so the index can never
show a record that was rolled back, nor miss one that was saved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps as installed_apps
from django.apps.registry import Apps
from django.db import models, transaction

from vigil.search import backends
from vigil.search.documents import INDEXED, Document
from vigil.search.models import SearchEntry

BATCH = 500
_FIELDS = ["store_id", "happened_at", "words", "keys", "plate", "digest"]


def kind_of(model: type[models.Model]) -> str | None:
    """The search kind of ``model``'s records, or None when search does not index them."""
    found = INDEXED.get(model._meta.label)
    return found[0] if found else None


def refresh(record: models.Model) -> None:
    """Index ``record`` as it is now (or drop it, when it is no longer to be found)."""
    kind, build = INDEXED[record._meta.label]
    document = build(record)
    if document is None:
        forget(record._meta.label, record.pk)
        return
    _write(SearchEntry, [_entry(SearchEntry, kind, record.pk, document)])


def forget(model_label: str, *pks: Any) -> None:
    """Drop deleted records (or ones search must no longer offer) from the index."""
    kind, _ = INDEXED[model_label]
    SearchEntry.objects.filter(kind=kind, object_id__in=pks).delete()


def rebuild(
    progress: Callable[[str, int], None] | None = None, registry: Apps | None = None
) -> int:
    """Index every record again from scratch; how many entries the index now holds.

    ``registry`` is a migration's historical apps (the backfill); the default is the live
    models. Each kind is rebuilt in one transaction: a search meanwhile sees the old
    entries or the new ones, never none.
    """
    registry = registry or installed_apps
    entry_model = registry.get_model("search", "SearchEntry")
    total = 0
    for model_label, (kind, build) in INDEXED.items():
        model = registry.get_model(model_label)
        with transaction.atomic():
            entry_model.objects.filter(kind=kind).delete()
            written = 0
            for batch in _batches(model.objects.order_by("pk"), BATCH):
                entries = [
                    _entry(entry_model, kind, record.pk, document)
                    for record in batch
                    if (document := build(record)) is not None
                ]
                _write(entry_model, entries)
                written += len(entries)
        total += written
        if progress is not None:
            progress(str(kind), written)
    return total


def repair() -> None:
    """Make sure the database's own full-text structures exist (a table rebuilt by a later
    migration loses its SQLite triggers) and match the index table."""
    backends.current().install()
    backends.current().resync()


def _entry(model: Any, kind: str, pk: Any, document: Document) -> Any:
    return model(
        kind=kind,
        object_id=pk,
        store_id=document.store_id,
        happened_at=document.happened_at,
        words=document.words,
        keys=document.keys,
        plate=document.plate,
        digest=document.digest,
    )


def _write(model: Any, entries: list[Any]) -> None:
    """Insert, or update in place where the record is indexed already: one statement."""
    if entries:
        model.objects.bulk_create(
            entries,
            update_conflicts=True,
            unique_fields=["kind", "object_id"],
            update_fields=[*_FIELDS, "indexed_at"],
        )


def _batches(found: Any, size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for record in found.iterator(chunk_size=size):
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
