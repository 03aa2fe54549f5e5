"""The two databases' full-text machinery behind one query.

SQLite (the default): two FTS5 tables over ``search_entry``, kept in step by triggers,
``search_entry_words`` for words (``unicode61``) and ``search_entry_keys`` for identifiers
and plates (``trigram``: any three characters or more, anywhere in the text).

PostgreSQL (production): a generated ``tsvector`` column with a GIN index for words, and
``pg_trgm`` GIN indexes on identifiers and plates, which answer ``LIKE '%…%'``.

Both answer one SQL statement shaped the same way: the rows that match (``hits``), ranked by
how they match, within the user's stores and the kinds asked for, numbered per kind so that
one page of each kind and each kind's total come back together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection

from vigil.search import plates, text
from vigil.search.models import SearchKind
from vigil.search.text import Query

NEAR_CANDIDATES = 500
# Matches by words are counted and paged to this many per kind, newest first: "razor" may
# match most of 300,000 incidents, and no one reads past the first thousand.
WORD_CAP = 1000

# How a row matched, best first: exactly as typed (a whole reference number or plate, the
# whole SHA-256); the plate read with look-alike characters; by its start, or a plate one
# character away; anywhere inside an identifier or a plate; by its words.
EXACT, LOOK_ALIKE, START, PART, WORDS = 5, 4, 3, 2, 1


@dataclass(frozen=True)
class Scope:
    """Which rows a search may return: the stores (None for every store) and the kinds."""

    store_ids: frozenset[int] | None
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class Row:
    kind: str
    object_id: int
    rank: int
    total: int  # rows of this kind that match
    best: int  # the best rank among them: which group comes first


class Backend(Protocol):
    def install(self) -> None: ...

    def uninstall(self) -> None: ...

    def resync(self) -> None: ...

    def match(
        self, query: Query, near: Sequence[str], scope: Scope, limit: int, offset: int
    ) -> list[Row]: ...

    def near_plates(self, query: Query, scope: Scope) -> list[str]: ...


def current() -> Backend:
    """The backend of the database Vigil is using."""
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()


def for_vendor(vendor: str) -> Backend:
    return PostgresBackend() if vendor == "postgresql" else SqliteBackend()


# --- the statement both share -----------------------------------------------------------


class _Statement:
    """Builds the ranked statement; a backend supplies how it matches words and identifiers,
    and its name for ``strpos``."""

    position = "instr({haystack}, {needle})"

    def words(self, query: Query) -> tuple[str, list[Any]]:
        """A condition on ``e`` that its words match ``query.terms``."""
        raise NotImplementedError

    def identifiers(self, query: Query, near: Sequence[str]) -> tuple[list[str], list[Any]]:
        """``SELECT id`` statements for the rows whose identifiers, plate or digest match."""
        raise NotImplementedError

    def hits(self, query: Query, near: Sequence[str], scope: Scope) -> tuple[list[str], list[Any]]:
        parts, params = self.identifiers(query, near)
        if query.terms:
            condition, condition_params = self.words(query)
            stores, store_params = _stores_sql(scope)
            for number, kind in enumerate(scope.kinds):
                # Newest first within each kind, as far as the cap: an index on
                # (kind, happened_at, id) reads them in that order.
                parts.append(
                    f"SELECT id FROM (SELECT e.id FROM search_entry e WHERE e.kind = %s{stores} "
                    f"AND {condition} ORDER BY e.happened_at DESC, e.id DESC "
                    f"LIMIT {WORD_CAP + 1}) AS by_words_{number}"
                )
                params += [kind, *store_params, *condition_params]
        return parts, params

    def statement(
        self, query: Query, near: Sequence[str], scope: Scope, limit: int, offset: int
    ) -> tuple[str, list[Any]]:
        parts, params = self.hits(query, near, scope)
        where, where_params = _scope_sql(scope)
        key = query.key or None
        plate = query.plate or None
        digest = query.digest or None
        near_list = ", ".join(["%s"] * len(near)) or "NULL"
        exact_key = self.position.format(haystack="' ' || e.keys || ' '", needle="' ' || %s || ' '")
        key_start = self.position.format(haystack="' ' || e.keys", needle="' ' || %s")
        key_part = self.position.format(haystack="e.keys", needle="%s")
        plate_part = self.position.format(haystack="e.plate", needle="%s")
        rank = (
            f"CASE WHEN e.digest = %s OR {exact_key} > 0 THEN {EXACT} "
            f"WHEN e.plate = %s THEN {LOOK_ALIKE} "
            f"WHEN e.plate IN ({near_list}) OR substr(e.digest, 1, %s) = %s "
            f"OR {key_start} > 0 THEN {START} "
            f"WHEN {key_part} > 0 OR {plate_part} > 0 THEN {_part_rank(query)} "
            f"ELSE {WORDS} END"
        )
        rank_params = [digest, key, plate, *near, len(digest or ""), digest, key, key, plate]
        # Within a kind ``happened_at`` is always set or never (vehicles, people): the two
        # databases' different places for NULL never meet.
        sql = (
            f"WITH hits(id) AS ({' UNION '.join(parts)}), "
            f"ranked AS (SELECT e.id, e.kind, e.object_id, e.happened_at, {rank} AS rank "
            f"FROM hits JOIN search_entry e ON e.id = hits.id WHERE {where}), "
            "numbered AS (SELECT kind, object_id, rank, "
            "ROW_NUMBER() OVER (PARTITION BY kind ORDER BY rank DESC, "
            "happened_at DESC, id DESC) AS n, "
            "COUNT(*) OVER (PARTITION BY kind) AS total, "
            "MAX(rank) OVER (PARTITION BY kind) AS best FROM ranked) "
            "SELECT kind, object_id, rank, total, best FROM numbered "
            "WHERE n > %s AND n <= %s ORDER BY kind, n"
        )
        return sql, [*params, *rank_params, *where_params, offset, offset + limit]

    def run(
        self, query: Query, near: Sequence[str], scope: Scope, limit: int, offset: int
    ) -> list[Row]:
        if query.is_empty or not scope.kinds or scope.store_ids == frozenset():
            return []
        sql, params = self.statement(query, near, scope, limit, offset)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [Row(str(k), int(i), int(r), int(t), int(b)) for k, i, r, t, b in cursor]


def _part_rank(query: Query) -> int:
    """Text found inside an identifier ranks above words only when it looks like part of one
    (it has a digit): "razor" inside a file name is no better a match than in a narrative."""
    return PART if any(ch.isdigit() for ch in query.text) else WORDS


def _stores_sql(scope: Scope, alias: str = "e") -> tuple[str, list[Any]]:
    """`` AND e.store_id IN (…)`` for a scope of some stores, nothing for every store."""
    if scope.store_ids is None:
        return "", []
    places = ", ".join(["%s"] * len(scope.store_ids))
    return f" AND {alias}.store_id IN ({places})", sorted(scope.store_ids)


def _scope_sql(scope: Scope, alias: str = "e") -> tuple[str, list[Any]]:
    kinds = ", ".join(["%s"] * len(scope.kinds))
    stores, params = _stores_sql(scope, alias)
    return f"{alias}.kind IN ({kinds}){stores}", [*scope.kinds, *params]


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _near_from(candidates: Sequence[str], query: Query) -> list[str]:
    return sorted({found for found in candidates if plates.one_apart(query.plate, found)})


# --- SQLite: FTS5 -----------------------------------------------------------------------

_SQLITE_INSTALL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_entry_words USING fts5("
    "words, content='search_entry', content_rowid='id', tokenize='unicode61')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_entry_keys USING fts5("
    "keys, plate, content='search_entry', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS search_entry_added AFTER INSERT ON search_entry BEGIN "
    "INSERT INTO search_entry_words(rowid, words) VALUES (new.id, new.words); "
    "INSERT INTO search_entry_keys(rowid, keys, plate) VALUES (new.id, new.keys, new.plate); "
    "END",
    "CREATE TRIGGER IF NOT EXISTS search_entry_removed AFTER DELETE ON search_entry BEGIN "
    "INSERT INTO search_entry_words(search_entry_words, rowid, words) "
    "VALUES ('delete', old.id, old.words); "
    "INSERT INTO search_entry_keys(search_entry_keys, rowid, keys, plate) "
    "VALUES ('delete', old.id, old.keys, old.plate); "
    "END",
    "CREATE TRIGGER IF NOT EXISTS search_entry_changed AFTER UPDATE ON search_entry BEGIN "
    "INSERT INTO search_entry_words(search_entry_words, rowid, words) "
    "VALUES ('delete', old.id, old.words); "
    "INSERT INTO search_entry_keys(search_entry_keys, rowid, keys, plate) "
    "VALUES ('delete', old.id, old.keys, old.plate); "
    "INSERT INTO search_entry_words(rowid, words) VALUES (new.id, new.words); "
    "INSERT INTO search_entry_keys(rowid, keys, plate) VALUES (new.id, new.keys, new.plate); "
    "END",
]
_SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS search_entry_added",
    "DROP TRIGGER IF EXISTS search_entry_removed",
    "DROP TRIGGER IF EXISTS search_entry_changed",
    "DROP TABLE IF EXISTS search_entry_words",
    "DROP TABLE IF EXISTS search_entry_keys",
]


def _fts_phrase(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


class SqliteBackend(_Statement):
    """FTS5, in the SQLite that ships with Python (3.34 or newer has ``trigram``)."""

    def install(self) -> None:
        _execute(_SQLITE_INSTALL)

    def uninstall(self) -> None:
        _execute(_SQLITE_UNINSTALL)

    def resync(self) -> None:
        """Rebuild both FTS5 tables from ``search_entry`` (external-content tables)."""
        _execute(
            [
                "INSERT INTO search_entry_words(search_entry_words) VALUES ('rebuild')",
                "INSERT INTO search_entry_keys(search_entry_keys) VALUES ('rebuild')",
            ]
        )

    def words(self, query: Query) -> tuple[str, list[Any]]:
        expression = " AND ".join(
            _fts_phrase(term) + ("*" if len(term) >= text.MIN_PREFIX else "")
            for term in query.terms
        )
        match = "SELECT rowid FROM search_entry_words WHERE search_entry_words MATCH %s"
        return f"e.id IN ({match})", [expression]

    def identifiers(self, query: Query, near: Sequence[str]) -> tuple[list[str], list[Any]]:
        parts: list[str] = []
        params: list[Any] = []
        trigram = [f"{{keys}} : {_fts_phrase(query.key)}"] if query.key else []
        if query.plate:
            trigram.append(f"{{plate}} : {_fts_phrase(query.plate)}")
        if trigram:
            parts.append("SELECT rowid FROM search_entry_keys WHERE search_entry_keys MATCH %s")
            params.append(" OR ".join(trigram))
        exact = [query.plate, *near] if query.plate else []
        if exact:
            parts.append(
                f"SELECT id FROM search_entry WHERE plate IN ({', '.join(['%s'] * len(exact))})"
            )
            params += exact
        if query.digest:
            # A range on the plain index: SQLite's LIKE would read every row.
            parts.append("SELECT id FROM search_entry WHERE digest >= %s AND digest < %s")
            params += [query.digest, query.digest + "g"]  # "g" sorts after every hex digit
        return parts, params

    def match(
        self, query: Query, near: Sequence[str], scope: Scope, limit: int, offset: int
    ) -> list[Row]:
        return self.run(query, near, scope, limit, offset)

    def near_plates(self, query: Query, scope: Scope) -> list[str]:
        pieces = plates.trigrams(query.plate)
        if not pieces:
            return []
        where, params = _scope_sql(Scope(scope.store_ids, (SearchKind.VEHICLE,)))
        expression = " OR ".join(f"{{plate}} : {_fts_phrase(piece)}" for piece in pieces)
        sql = (
            "SELECT DISTINCT e.plate FROM search_entry_keys JOIN search_entry e "
            "ON e.id = search_entry_keys.rowid WHERE search_entry_keys MATCH %s "
            f"AND {where} LIMIT {NEAR_CANDIDATES}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression, *params])
            return _near_from([row[0] for row in cursor], query)


# --- PostgreSQL: tsvector and pg_trgm ---------------------------------------------------

# Each piece of the PostgreSQL machinery, and how to tell it is there already.
_POSTGRES_INSTALL = [
    (
        "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'",
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    ),
    (
        "SELECT 1 FROM pg_attribute WHERE attrelid = 'search_entry'::regclass "
        "AND attname = 'words_tsv' AND NOT attisdropped",
        # The words are folded and split in Python already (vigil.search.text): taken as
        # they are, lexeme by lexeme, they match exactly what SQLite's FTS5 matches.
        "ALTER TABLE search_entry ADD COLUMN words_tsv tsvector "
        "GENERATED ALWAYS AS (array_to_tsvector(string_to_array(words, ' '))) STORED",
    ),
    (
        "SELECT 1 FROM pg_indexes WHERE indexname = 'search_entry_words_tsv'",
        "CREATE INDEX search_entry_words_tsv ON search_entry USING gin (words_tsv)",
    ),
    (
        "SELECT 1 FROM pg_indexes WHERE indexname = 'search_entry_keys_trgm'",
        "CREATE INDEX search_entry_keys_trgm ON search_entry USING gin (keys gin_trgm_ops)",
    ),
    (
        "SELECT 1 FROM pg_indexes WHERE indexname = 'search_entry_plate_trgm'",
        "CREATE INDEX search_entry_plate_trgm ON search_entry USING gin (plate gin_trgm_ops)",
    ),
]
_POSTGRES_UNINSTALL = [
    "DROP INDEX IF EXISTS search_entry_plate_trgm",
    "DROP INDEX IF EXISTS search_entry_keys_trgm",
    "DROP INDEX IF EXISTS search_entry_words_tsv",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS words_tsv",
]


class PostgresBackend(_Statement):
    """Full-text search and trigram indexes, as PostgreSQL ships them."""

    position = "strpos({haystack}, {needle})"

    def install(self) -> None:
        """Add what is missing, and only that: altering a table that has just been written
        in the same transaction is refused (pending trigger events)."""
        with connection.cursor() as cursor:
            for present, create in _POSTGRES_INSTALL:
                cursor.execute(present)
                if cursor.fetchone() is None:
                    cursor.execute(create)

    def uninstall(self) -> None:
        _execute(_POSTGRES_UNINSTALL)

    def resync(self) -> None:
        """Nothing to do: the ``tsvector`` is a generated column, the indexes PostgreSQL's."""

    def words(self, query: Query) -> tuple[str, list[Any]]:
        # Lexemes as typed (already folded), never through a text-search parser.
        expression = " & ".join(
            f"'{term}'" + (":*" if len(term) >= text.MIN_PREFIX else "") for term in query.terms
        )
        return "e.words_tsv @@ %s::tsquery", [expression]

    def identifiers(self, query: Query, near: Sequence[str]) -> tuple[list[str], list[Any]]:
        parts: list[str] = []
        params: list[Any] = []
        if query.key:
            parts.append("SELECT id FROM search_entry WHERE keys LIKE %s")
            params.append(f"%{_like_escape(query.key)}%")
        if query.plate:
            parts.append("SELECT id FROM search_entry WHERE plate LIKE %s")
            params.append(f"%{_like_escape(query.plate)}%")
            exact = [query.plate, *near]
            parts.append(
                f"SELECT id FROM search_entry WHERE plate IN ({', '.join(['%s'] * len(exact))})"
            )
            params += exact
        if query.digest:
            # Django indexes a CharField with db_index for LIKE 'prefix%' too (varchar_pattern_ops).
            parts.append("SELECT id FROM search_entry WHERE digest LIKE %s")
            params.append(f"{query.digest}%")
        return parts, params

    def match(
        self, query: Query, near: Sequence[str], scope: Scope, limit: int, offset: int
    ) -> list[Row]:
        return self.run(query, near, scope, limit, offset)

    def near_plates(self, query: Query, scope: Scope) -> list[str]:
        pieces = plates.trigrams(query.plate)
        if not pieces:
            return []
        where, params = _scope_sql(Scope(scope.store_ids, (SearchKind.VEHICLE,)))
        likes = " OR ".join(["e.plate LIKE %s"] * len(pieces))
        sql = (
            f"SELECT DISTINCT e.plate FROM search_entry e WHERE ({likes}) AND {where} "
            f"LIMIT {NEAR_CANDIDATES}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*(f"%{piece}%" for piece in pieces), *params])
            return _near_from([row[0] for row in cursor], query)


def _execute(statements: Sequence[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
