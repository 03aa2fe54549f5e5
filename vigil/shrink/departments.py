"""Departments as people say them: a data set names them with codes (``otc_medicine``,
``baby_formula``), a page, a chart and a PDF say "OTC medicine" and "Baby formula".

The code stays what is stored and filtered on; only what is shown changes. Codes Vigil does
not know read as words too: underscores and hyphens become spaces, the first letter is
capitalised, and the acronyms retail uses stay in capitals.
"""

from __future__ import annotations

import re

# The departments of the demo chain and of common POS exports, where plain words are not
# enough: an acronym, or a name a retailer writes another way.
KNOWN = {
    "otc_medicine": "OTC medicine",
    "hba": "Health and beauty",
    "health_beauty": "Health and beauty",
}
ACRONYMS = frozenset({"otc", "hba", "dvd", "tv", "eas", "pos", "gm", "diy", "led", "usb"})


def label(code: str) -> str:
    """The department's name for people: ``otc_medicine`` is "OTC medicine"."""
    if not code:
        return "No department"
    known = KNOWN.get(code.lower())
    if known:
        return known
    words = code.replace("_", " ").replace("-", " ").split()
    said = [word.upper() if word.lower() in ACRONYMS else word.lower() for word in words]
    text = " ".join(said)
    return text[:1].upper() + text[1:]


def in_words(text: str, code: str) -> str:
    """``text`` the shrink engine wrote with a department's code, with the code in words:
    "otc_medicine at S101 lost 4.0 %" is "OTC medicine at S101 lost 4.0 %"."""
    if not text or not code:
        return text
    name = label(code)
    first = name.split(" ", 1)[0]
    inside = name if first.isupper() and len(first) > 1 else name[:1].lower() + name[1:]
    said = re.sub(rf"(?<![\w-]){re.escape(code)}(?![\w-])", inside, text)
    return said[:1].upper() + said[1:]
