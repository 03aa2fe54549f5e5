"""How text goes into the index and how a query is read: the same rules on both databases.

Words are folded here, in Python, before either database sees them: lower case, accents
dropped (``José`` is found by ``jose``), split into runs of letters and digits. SQLite's FTS5
and PostgreSQL's ``simple`` text search then only split on the spaces between them, so a
query finds the same records on both.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from vigil.search import plates

_WORD = re.compile(r"[^\W_]+")
_HEX = re.compile(r"[0-9a-f]{6,64}")
MAX_QUERY = 200
MAX_TERMS = 8
# A single letter as a prefix ("j*") matches nearly every record; it must match a whole word.
MIN_PREFIX = 2
# Trigram indexes (FTS5's and pg_trgm's) find substrings of three characters or more.
MIN_KEY = 3
# No one searches for a longer word, and PostgreSQL refuses lexemes past 2,047 bytes.
MAX_WORD = 64
# A record's words, at most: a long narrative is searchable by its first 50,000 characters.
MAX_WORDS = 50_000


def fold(text: str) -> str:
    """``text`` in lower case without accents: what both indexes compare."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def terms(text: str) -> list[str]:
    """The words of ``text``, folded: ``"O'Neil, J."`` → ``["o", "neil", "j"]``."""
    return _WORD.findall(fold(text))


def words(parts: Iterable[str]) -> str:
    """The indexed words of a record's texts, one space between each."""
    found = " ".join(
        term for part in parts if part for term in terms(part) if len(term) <= MAX_WORD
    )
    return found[:MAX_WORDS].rsplit(" ", 1)[0] if len(found) > MAX_WORDS else found


def keys(parts: Iterable[str]) -> str:
    """A record's identifiers (reference numbers, employee ids, plates as written), upper
    case, one space between each: matched whole, by their start, or by any part."""
    return " ".join("".join(part.split()).upper() for part in parts if part and part.strip())


@dataclass(frozen=True)
class Query:
    """What a search box's text asks for, each way the index can answer it.

    ``terms`` are words (every one must match, each may be a word's start); ``key`` an
    identifier or part of one; ``plate`` a plate in its confusion-class form
    (:mod:`vigil.search.plates`), with ``near_plates`` when a plate one character away
    should match too; ``digest`` the start of a SHA-256. Any may be empty.
    """

    text: str
    terms: tuple[str, ...]
    key: str
    plate: str
    near_plates: bool
    digest: str

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.key or self.plate or self.digest)


def parse(text: str) -> Query:
    """Read a search box's text."""
    # Control characters (a NUL, which no database keeps) are nobody's search.
    printable = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    text = " ".join(printable.split())[:MAX_QUERY]
    found = tuple(dict.fromkeys(terms(text)))[:MAX_TERMS]
    single = text if " " not in text else ""
    key = single.upper() if len(single) >= MIN_KEY else ""
    plate = plates.as_query(text)
    digest = single.lower() if _HEX.fullmatch(single.lower()) else ""
    near = bool(plate) and plates.could_be_near(text, plate)
    return Query(text=text, terms=found, key=key, plate=plate, near_plates=near, digest=digest)
