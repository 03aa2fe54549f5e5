"""The data set's region codes as the organisation's regions.

A POS export writes its own region codes in ``stores.csv`` (``EAST``, ``CENTRAL``), which
need not be the organisation's regions in Vigil (North, South). The engine compares each
employee with peers "in region EAST", in the data's terms, as its contract says; Vigil's
pages must speak the organisation's. So on import each code is mapped through its stores:
a POS store id is a Vigil store, and that store's region is the organisation's. The mapping
is kept with the data set, and a scan's peer groups and reasons are stored with the
organisation's region names. A code none of whose stores is in a Vigil region is named as
what it is, the export's code, and said to be unmatched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from vigil.core.models import Region, Store

RegionMap = dict[str, list[str]]  # the data's region code -> Vigil region codes
# A name that already says what it is ("North region", "Lake district") needs no "region".
_REGION_WORDS = frozenset({"region", "district", "area", "division", "territory", "zone"})


def region_map(connection: Any, stores: Iterable[Store]) -> RegionMap:
    """Each region code of the data's ``stores`` table, with the Vigil regions its stores are
    in (by store id, as the import matched them)."""
    region_of = {store.code: store.region.code for store in stores if store.region_id}
    rows = connection.execute(
        "SELECT DISTINCT store_id, region FROM stores WHERE region IS NOT NULL AND region <> ''"
    ).fetchall()
    found: dict[str, set[str]] = {}
    for store_id, code in rows:
        mapped = found.setdefault(str(code), set())
        if str(store_id) in region_of:
            mapped.add(region_of[str(store_id)])
    return {code: sorted(mapped) for code, mapped in sorted(found.items())}


def region_map_of_copy(path: str, stores: Iterable[Store]) -> RegionMap:
    """The mapping read from a data set's copy (``stores.parquet``), for data sets imported
    before the mapping was kept."""
    import duckdb

    connection = duckdb.connect()
    try:
        quoted = path.replace("'", "''")
        # The path is the data set's own copy, quoted: not input.
        connection.execute(f"CREATE VIEW stores AS SELECT * FROM read_parquet('{quoted}')")  # noqa: S608
        return region_map(connection, stores)
    finally:
        connection.close()


def region_names() -> dict[str, str]:
    """The organisation's regions, code to name."""
    return dict(Region.objects.values_list("code", "name"))


def phrases(mapping: RegionMap, names: dict[str, str] | None = None) -> dict[str, str]:
    """How each of the data's region codes is said: "in North region", "in regions North and
    South", or, unmatched, "in the export's region EAST (not a Vigil region)"."""
    names = region_names() if names is None else names
    return {code: _phrase(code, _named(mapped, names)) for code, mapped in mapping.items()}


def described(mapping: RegionMap, names: dict[str, str]) -> list[str]:
    """The mapping as the data sets page shows it: "EAST: North region", "X: not matched"."""
    return [
        f"{code}: {_and(_named(mapped, names)) or 'not matched to a Vigil region'}"
        for code, mapped in sorted(mapping.items())
    ]


def _named(mapped: list[str], names: dict[str, str]) -> list[str]:
    return [names[code] for code in mapped if code in names]


def _phrase(code: str, names: list[str]) -> str:
    if not names:
        return f"in the export's region {code} (not a Vigil region)"
    if all(_says_region(name) for name in names):
        words = {name.split()[-1] for name in names}
        if len(names) > 1 and len(words) == 1:
            # "North region", "South region": "in North and South regions".
            word = words.pop()
            return f"in {_and([name.rsplit(None, 1)[0] for name in names])} {word}s"
        return f"in {_and(names)}"
    return f"in region {names[0]}" if len(names) == 1 else f"in regions {_and(names)}"


def _says_region(name: str) -> bool:
    words = name.lower().split()
    return bool(words) and words[-1] in _REGION_WORDS


def _and(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def renamer(mapping: RegionMap) -> Renamer:
    """What turns the engine's "in region EAST" into the organisation's words."""
    return Renamer(phrases(mapping))


class Renamer:
    """Rewrites the engine's region phrases (``... in region EAST``) in peer groups and
    reasons; anything else in the text is left as the engine wrote it."""

    def __init__(self, said: dict[str, str]) -> None:
        self._said = said
        codes = sorted(said, key=len, reverse=True)  # "EAST2" before "EAST"
        alternatives = "|".join(re.escape(code) for code in codes)
        # The engine writes "in region " + the code (vigil/engines/pos/scanning.py).
        self._pattern = (
            re.compile(rf"\bin region ({alternatives})(?![A-Za-z0-9_.-])") if codes else None
        )

    def __call__(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda found: self._said[found.group(1)], text)

    def all(self, texts: Iterable[str]) -> list[str]:
        return [self(str(text)) for text in texts]
