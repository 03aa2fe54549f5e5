"""The one way to search Vigil: :func:`find`, the same on SQLite and PostgreSQL.

A search runs a fixed number of queries however many records match: one on the index for
every kind at once (a page of each kind and each kind's total), one more for plates one
character away when the text could be a plate, one per kind found to read its records
through the model's ``visible_to``, and two for POS leads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from vigil.core.models import Role, Store, User
from vigil.core.scoping import scope_of
from vigil.search import backends, hits, leads, plates, text
from vigil.search.backends import EXACT, LOOK_ALIKE, START, WORD_CAP, Row, Scope
from vigil.search.hits import Hit
from vigil.search.models import SearchKind
from vigil.search.text import Query

ORDER = list(SearchKind.values)
INDEXED_KINDS = tuple(kind for kind in ORDER if kind != SearchKind.LEAD)
PER_KIND = 8
MAX_PER_KIND = 50


@dataclass(frozen=True)
class Group:
    """The results of one kind: a page of them, and how many match in all."""

    kind: str
    total: int
    hits: list[Hit]
    best: int = 0
    capped: bool = False  # more match than ``total``: matches by words are counted so far

    @property
    def label(self) -> str:
        return str(SearchKind(self.kind).label)


@dataclass(frozen=True)
class Results:
    query: Query
    groups: list[Group] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)

    @property
    def capped(self) -> bool:
        return any(group.capped for group in self.groups)


def find(
    user: User,
    typed: str,
    *,
    kinds: Iterable[str] | None = None,
    store: Store | None = None,
    limit: int = PER_KIND,
    offset: int = 0,
) -> Results:
    """What ``user`` may see that matches ``typed``, grouped by kind, best-matching kind first.

    ``store`` narrows to one of the user's stores (the store switcher's choice); ``kinds``
    to some kinds; ``limit`` and ``offset`` page within each kind (the first ``WORD_CAP`` of
    a kind matched by its words can be paged to). External users (police,
    legal, insurers) find nothing: what is shared with them is in their portal.
    """
    query = text.parse(typed)
    store_ids = _store_ids(user, store)
    wanted = [kind for kind in ORDER if kinds is None or kind in set(kinds)]
    if query.is_empty or store_ids == frozenset() or user.role == Role.EXTERNAL:
        return Results(query)
    limit = max(1, min(limit, MAX_PER_KIND))
    scope = Scope(store_ids, tuple(kind for kind in wanted if kind in INDEXED_KINDS))
    groups = _indexed(user, query, scope, limit, offset) if scope.kinds else []
    if SearchKind.LEAD in wanted:
        groups += _leads(user, query, store_ids, limit, offset)
    groups.sort(key=lambda group: (-group.best, ORDER.index(group.kind)))
    return Results(query, groups)


def _store_ids(user: User, store: Store | None) -> frozenset[int] | None:
    """The store ids to search (None: every store), as the user's scope allows."""
    scope = scope_of(user)
    if store is not None:
        return frozenset({store.pk}) if scope.allows(store.pk) else frozenset()
    return None if scope.everything else scope.store_ids


def _indexed(user: User, query: Query, scope: Scope, limit: int, offset: int) -> list[Group]:
    backend = backends.current()
    near: list[str] = []
    if query.near_plates and SearchKind.VEHICLE in scope.kinds:
        near = [found for found in backend.near_plates(query, scope) if found != query.plate]
    rows = backend.match(query, near, scope, limit, offset)
    groups = []
    for kind in scope.kinds:
        mine = [row for row in rows if row.kind == kind]
        if mine:
            found = _read_back(user, kind, mine, query)
            total, capped = min(mine[0].total, WORD_CAP), mine[0].total > WORD_CAP
            groups.append(Group(kind, total, found, mine[0].best, capped))
    return groups


def _read_back(user: User, kind: str, rows: Sequence[Row], query: Query) -> list[Hit]:
    """The rows' records as ``user`` may see them, in the rows' order; a row whose record is
    gone or out of sight is left out."""
    source = hits.SOURCES[kind]
    records = source.records(user).in_bulk([row.object_id for row in rows])
    found = []
    for row in rows:
        record = records.get(row.object_id)
        if record is not None:
            hit = replace(source.hit(record), object_id=record.pk)
            found.append(_noted(hit, record, row, query))
    return found


def _noted(hit: Hit, record: Any, row: Row, query: Query) -> Hit:
    """Say why a vehicle matched when its plate is not the plate typed."""
    if hit.kind != SearchKind.VEHICLE or not query.plate:
        return hit
    typed = "".join(query.text.split()).upper()
    if record.plate == typed:
        return hit
    if row.rank == LOOK_ALIKE:
        note = f"Plate {record.plate}: {typed} read with a look-alike character (O/0, B/8, I/1…)"
    elif row.rank == START and plates.one_apart(plates.key(record.plate), query.plate):
        note = f"Plate {record.plate}: one character away from {typed}"
    elif query.plate in plates.key(record.plate):
        note = f"Plate {record.plate} contains {typed}"
    else:
        return hit
    return replace(hit, note=note)


def _leads(
    user: User, query: Query, store_ids: frozenset[int] | None, limit: int, offset: int
) -> list[Group]:
    found = leads.matching(user, query, store_ids)
    page = list(found[offset : offset + limit])
    if not page:
        return []
    counted = found[: WORD_CAP + 1].count()  # a short start may match a million leads
    whole = set(leads.typed_ids(query))
    best = EXACT if any(lead.transaction_id in whole for lead in page) else START
    found_hits = [replace(hits.lead(lead), object_id=lead.pk) for lead in page]
    return [Group(SearchKind.LEAD, min(counted, WORD_CAP), found_hits, best, counted > WORD_CAP)]
