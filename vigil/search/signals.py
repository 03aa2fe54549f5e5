"""The index follows the records: each save of an indexed record re-indexes it, each delete
(a queryset's too, which Django signals row by row) drops it.

Changes that bypass ``save()`` (a queryset ``update()``) are not heard; the domain code that
makes them for an indexed kind calls :func:`vigil.search.index.refresh`, and results are read
back through the model anyway, so a stale entry can never show what the record no longer says.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from vigil.search import index
from vigil.search.documents import INDEXED


def connect() -> None:
    """Listen to every indexed model (called once, from the app's ``ready``)."""
    for label in INDEXED:
        model = apps.get_model(label)
        post_save.connect(_saved, sender=model, dispatch_uid=f"search-saved-{label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-deleted-{label}")


def _saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:  # loading a fixture: the reindex command indexes it afterwards
        index.refresh(instance)


def _deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    index.forget(instance._meta.label, instance.pk)
