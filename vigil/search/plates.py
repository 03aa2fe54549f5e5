"""Plates as a reader sees them: characters that cameras and people confuse are one class.

An ALPR camera, a witness or an officer typing from a photo reads ``O`` for ``0``, ``B`` for
``8``, ``I`` for ``1``, ``S`` for ``5``, ``Z`` for ``2``, ``G`` for ``6`` (and ``Q`` for
``0``). A plate is indexed in its class form, each confusable character replaced by its
digit, so ``KDL447I`` and ``KDL4471`` are the same key however many such characters were
misread. Past that, a full plate one other character away (``KDL4478``) is a near match,
and three or more characters are a partial plate, matched anywhere in the plate.
"""

from __future__ import annotations

import re

CONFUSABLE = str.maketrans({"O": "0", "Q": "0", "I": "1", "B": "8", "S": "5", "Z": "2", "G": "6"})
_NOT_PLATE = re.compile(r"[^A-Z0-9]")
# Plates are short: US plates run to 7 or 8 characters, vanity and EU plates to 10.
MIN_PARTIAL, MIN_NEAR, MAX_PLATE = 3, 5, 10


def key(plate: str) -> str:
    """``"kdl 447i"`` → ``"KDL4471"``: letters and digits only, confusables as digits."""
    return _NOT_PLATE.sub("", plate.upper()).translate(CONFUSABLE)


def as_query(text: str) -> str:
    """The plate key a search box's text could be (one or two runs of letters and digits,
    as a plate is written: ``ABC 1234``), or "" for text that cannot be a plate."""
    parts = text.split()
    if not 1 <= len(parts) <= 2:
        return ""
    found = key(text)
    plain = "".join(parts).upper()
    if _NOT_PLATE.sub("", plain) != plain.replace("-", ""):
        return ""  # punctuation beyond a dash: a sentence, an e-mail, not a plate
    return found if MIN_PARTIAL <= len(found) <= MAX_PLATE else ""


def could_be_near(text: str, query_key: str) -> bool:
    """Whether a one-character misread is worth looking for: a whole plate, typed with a
    digit in it (a word such as "razor" has a class form with digits, but is no plate)."""
    return len(query_key) >= MIN_NEAR and any(ch.isdigit() for ch in text)


def trigrams(query_key: str) -> list[str]:
    """The three-character pieces of a plate key: a near match shares at least one."""
    return sorted({query_key[i : i + 3] for i in range(len(query_key) - 2)})


def one_apart(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with one character changed, added or dropped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
