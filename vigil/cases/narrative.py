"""Objective-language checks for narratives, run while the officer types and before submit.

A report that will be read by a prosecutor, an employment tribunal or an insurer must say
what was seen and done, not what the writer concluded. This flags opinion and conclusion
words ("suspicious", "obviously", "thief") with a suggestion for each, and points out which of
who / what / when / where / how the narrative does not yet answer.

The word list is data: an organisation can replace or extend it (``Organisation.narrative_terms``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# phrase -> what to write instead. Phrases are matched as whole words, case-insensitively.
DEFAULT_TERMS: Mapping[str, str] = {
    "suspicious": "Describe the behaviour you saw (e.g. 'looked toward the exit four times').",
    "suspiciously": "Describe the behaviour you saw instead of judging it.",
    "suspect looked": "Say what the person did, not how it looked to you.",
    "looked like": "Say what you saw; if you are unsure, say exactly what was unclear.",
    "seemed": "Replace with what you observed that led you to think so.",
    "appeared to": "State what you observed directly, or what you could not see.",
    "obviously": "Remove it; state the observation and let it speak.",
    "clearly": "Remove it; state the observation and let it speak.",
    "guilty": "Guilt is for a court to decide; describe the acts observed.",
    "thief": "Use 'the subject' or the person's name; a report does not convict.",
    "criminal": "Use 'the subject'; describe the acts, not the person.",
    "shoplifter": "Use 'the subject'; describe the acts observed.",
    "stole": "Write what you saw: 'concealed the razors in a bag and passed all registers'.",
    "i think": "Write what you observed; leave out what you think.",
    "i believe": "Write what you observed; leave out what you believe.",
    "i feel": "Write what you observed; leave out feelings.",
    "probably": "State only what you know; say what was not seen.",
    "must have": "State what you saw; say what you did not see.",
    "nervous": "Describe the behaviour (e.g. 'hands shaking', 'checked the aisle ends 5 times').",
    "acting strange": "Describe the specific actions.",
    "sketchy": "Describe the specific actions.",
    "known shoplifter": "Cite the record instead (e.g. 'subject of incident INC-2026-000123').",
    "admitted guilt": "Quote the subject's exact words in quotation marks.",
}

ELEMENTS: Mapping[str, tuple[str, re.Pattern[str]]] = {
    "who": (
        "Name who was involved (subject, witnesses, staff, you).",
        re.compile(
            r"\b(subject|i|he|she|they|customer|associate|officer|manager|cashier|witness|"
            r"employee|mr|ms|mrs|person|male|female|man|woman)\b",
            re.I,
        ),
    ),
    "what": (
        "Say what was done: selected, concealed, passed the registers, left the store.",
        re.compile(
            r"\b(took|selected|concealed|placed|removed|passed|left|exited|entered|picked|"
            r"walked|ran|put|handed|paid|refused|returned|opened|damaged|fell|alarm(ed)?)\b",
            re.I,
        ),
    ),
    "when": (
        "Give the time of each step (e.g. 'at 14:32').",
        re.compile(
            r"\b(\d{1,2}[:.]\d{2}|\d{1,2}\s?(am|pm)|morning|afternoon|evening|"
            r"at about|approximately)\b",
            re.I,
        ),
    ),
    "where": (
        "Say where it happened: aisle, department, door, fitting room, parking lot.",
        re.compile(
            r"\b(aisle|department|door|exit|entrance|fitting room|register|checkout|"
            r"parking|lot|stockroom|back room|counter|display|vestibule|shelf|section)\b",
            re.I,
        ),
    ),
    "how": (
        "Say how: into what bag or clothing, by which door, with what tool.",
        re.compile(
            r"\b(into|inside|under|using|with|through|by|in (his|her|their|a) )\b",
            re.I,
        ),
    ),
}


@dataclass(frozen=True)
class Finding:
    """One thing to fix in a narrative: the words, where they are, and what to do instead."""

    kind: str  # "opinion" or "missing"
    text: str
    suggestion: str
    start: int = -1
    end: int = -1


def check(text: str, terms: Mapping[str, str] | None = None) -> list[Finding]:
    """Opinion words in ``text`` (in order of appearance), then the missing elements."""
    return [*opinion_words(text, terms or DEFAULT_TERMS), *missing_elements(text)]


def opinion_words(text: str, terms: Mapping[str, str]) -> list[Finding]:
    found = []
    for match in _pattern(tuple(sorted(terms, key=len, reverse=True))).finditer(text):
        phrase = match.group(0)
        found.append(
            Finding(
                kind="opinion",
                text=phrase,
                suggestion=terms[_normal(phrase)],
                start=match.start(),
                end=match.end(),
            )
        )
    return found


def missing_elements(text: str) -> list[Finding]:
    if not text.strip():
        return []
    return [
        Finding(kind="missing", text=element, suggestion=advice)
        for element, (advice, pattern) in ELEMENTS.items()
        if not pattern.search(text)
    ]


def merged_terms(
    overrides: Mapping[str, str] | None, removed: Iterable[str] = ()
) -> dict[str, str]:
    """The default list, with an organisation's additions and removals applied."""
    terms = dict(DEFAULT_TERMS)
    for phrase in removed:
        terms.pop(_normal(phrase), None)
    for phrase, suggestion in (overrides or {}).items():
        if phrase.strip():
            terms[_normal(phrase)] = suggestion.strip() or "Describe what you observed instead."
    return terms


_cache: dict[tuple[str, ...], re.Pattern[str]] = {}


def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    if phrases not in _cache:
        words = "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)
        _cache[phrases] = re.compile(rf"(?<![\w'])(?:{words})(?![\w'])", re.I)
    return _cache[phrases]


def _normal(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def terms_for(organisation_id: int | None = None) -> dict[str, str]:
    """The effective word list of an organisation (this instance's, when not given)."""
    from vigil.cases.models import NarrativeTerm
    from vigil.core.models import Organisation

    if organisation_id is None:
        organisation_id = Organisation.objects.order_by("pk").values_list("pk", flat=True).first()
    if organisation_id is None:
        return dict(DEFAULT_TERMS)
    rows = NarrativeTerm.objects.filter(organisation_id=organisation_id)
    added = {row.phrase: row.suggestion for row in rows if row.flag}
    removed = [row.phrase for row in rows if not row.flag]
    return merged_terms(added, removed)
