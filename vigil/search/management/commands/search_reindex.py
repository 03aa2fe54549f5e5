"""``vigil search reindex``: index every searchable record again, from scratch."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vigil.core.management.output import console_for
from vigil.search import index
from vigil.search.models import SearchKind


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the records (after a restore, a bulk load, or to "
        "repair it); searches keep answering meanwhile."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self)
        with console.status("Indexing records for search…"):
            index.repair()  # the database's own full-text tables first, in step with the index
            total = index.rebuild(
                progress=lambda kind, count: console.print(f"  {SearchKind(kind).label}: {count:,}")
            )
        console.print(f"Search index rebuilt: {total:,} records.")
