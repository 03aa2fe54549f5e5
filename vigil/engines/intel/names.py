"""Names as people write them: nicknames, plate reader confusions, and how common a name is.

Nicknames come from the ``nicknames`` package (a hand-curated table of English given names
and their diminutives). How common a name is comes from the 1990 US census name tables
shipped in ``data/`` (see ``data/SOURCES.md``): a "Michael Johnson" seen once in an extract
is still a common name, so agreeing on it is weak evidence.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"

# Shares below the rarest name kept in the tables: a name not in them is rare.
RARE_SURNAME_SHARE = 0.000002
RARE_FIRST_NAME_SHARE = 0.000002

# Characters a person or a plate reader confuses on a plate, each mapped to one of its pair.
PLATE_CONFUSIONS = str.maketrans({"O": "0", "Q": "0", "D": "0", "B": "8", "I": "1",
                                  "S": "5", "Z": "2", "G": "6"})  # fmt: skip
_NOT_NAME = re.compile(r"[^a-z]")
_NOT_PLATE = re.compile(r"[^A-Z0-9]")


def clean_name(text: str) -> str:
    """A name for comparing: lower case letters only ("O'Brien" -> "obrien")."""
    return _NOT_NAME.sub("", text.lower())


def clean_plate(text: str) -> str:
    """A plate as read, upper case letters and digits only."""
    return _NOT_PLATE.sub("", text.upper())


def plate_key(text: str) -> str:
    """A plate with confusable characters folded together ("KXHI783" and "KXH1783" agree)."""
    return clean_plate(text).translate(PLATE_CONFUSIONS)


@cache
def _nicknamer():  # type: ignore[no-untyped-def]
    from nicknames import NickNamer

    return NickNamer()


@cache
def nicknames_of(name: str) -> frozenset[str]:
    """The usual nicknames of a given name ("robert" -> bob, rob, bobby…)."""
    return frozenset(_nicknamer().nicknames_of(clean_name(name)))


@cache
def name_forms(name: str) -> tuple[str, ...]:
    """The given names ``name`` may stand for: itself and the names it is a nickname of.

    Two first names agree as nicknames when their forms share a name ("bob" and "robert"
    share "robert"; "bob" and "rob" share "robert" too).
    """
    cleaned = clean_name(name)
    if not cleaned:
        return ()
    return tuple(sorted({cleaned} | set(_nicknamer().canonicals_of(cleaned))))


@cache
def _shares(file: str) -> dict[str, float]:
    with (DATA / file).open(newline="", encoding="utf-8") as handle:
        return {row["name"]: float(row["share"]) for row in csv.DictReader(handle)}


def surname_share(name: str) -> float:
    """Share of the population with this surname (rare names get a small floor)."""
    return _shares("surname_frequency.csv").get(clean_name(name), RARE_SURNAME_SHARE)


def first_name_share(name: str) -> float:
    return _shares("first_name_frequency.csv").get(clean_name(name), RARE_FIRST_NAME_SHARE)
