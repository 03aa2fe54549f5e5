"""Why two records were linked, in words an investigator reads, with the match weights.

A match weight is the log2 Bayes factor of one comparison: +6 means that agreement is 64
times likelier between two records of one person than between two records of different
people; a negative weight counts against the link.
"""

from __future__ import annotations

from vigil.engines.intel.contract import Row
from vigil.engines.intel.linking import Link


def _weight(value: float) -> str:
    return f"{value:+.1f}"


def _overall(link: Link) -> str:
    return (
        f"match probability {link.probability:.3f} (match weight {link.weight:.1f} with the prior)"
    )


def person_reasons(link: Link, a: Row, b: Row) -> list[str]:
    """One line about names, date of birth and height; one about the crew, when it counts."""
    parts = []
    for name in ("last_name", "first_name", "date_of_birth", "height"):
        if name in link.levels:
            label, weight = link.levels[name]
            text = _person_text(name, label, a, b)
            if text:
                parts.append(f"{text} ({_weight(weight)})")
    lines = ["; ".join(parts)] if parts else []
    if "crew" in link.levels:
        label, weight = link.levels["crew"]
        crew = {
            "co_offender_and_vehicle": "seen with the same co-offenders and in the same vehicle",
            "co_offender": "seen with the same co-offenders",
            "vehicle": "arrived in the same vehicle",
            "neither": "no co-offender or vehicle in common",
        }.get(label)
        if crew:
            lines.append(f"{crew} ({_weight(weight)})")
    if "decision" in link.levels:
        lines.append("confirmed by an investigator")
    else:
        lines.append(_overall(link))
    return lines


def _person_text(name: str, label: str, a: Row, b: Row) -> str:
    first_a, first_b = a["first_name"], b["first_name"]
    last_a, last_b = a["last_name"], b["last_name"]
    texts = {
        ("last_name", "swapped"): f"first and last names in swapped boxes "
        f"({first_a} {last_a} / {first_b} {last_b})",
        ("last_name", "exact"): f"same last name {last_a}",
        ("last_name", "typo"): f"last names {last_a} / {last_b} differ by a typo",
        ("last_name", "different"): f"last names differ ({last_a} / {last_b})",
        ("first_name", "exact"): f"same first name {first_a}",
        ("first_name", "nickname"): f"first name {first_a} ~ {first_b} (nickname)",
        ("first_name", "typo"): f"first names {first_a} / {first_b} differ by a typo",
        ("first_name", "different"): f"first names differ ({first_a} / {first_b})",
        ("date_of_birth", "exact"): "date of birth matches",
        ("date_of_birth", "day_month_swapped"): "dates of birth differ by a day/month swap "
        f"({a['date_of_birth']} / {b['date_of_birth']})",
        ("date_of_birth", "year_slip"): "dates of birth differ only in the year "
        f"({a['date_of_birth']} / {b['date_of_birth']})",
        ("date_of_birth", "different"): "dates of birth differ",
        ("height", "within_5cm"): "heights within 5 cm",
        ("height", "within_10cm"): "heights within 10 cm",
        ("height", "different"): "heights more than 10 cm apart",
    }
    return texts.get((name, label), "")


def vehicle_reasons(link: Link, a: Row, b: Row) -> list[str]:
    parts = []
    for name in ("plate", "plate_region", "make_model", "colour", "people"):
        if name in link.levels:
            label, weight = link.levels[name]
            text = _vehicle_text(name, label, a, b)
            if text:
                parts.append(f"{text} ({_weight(weight)})")
    if "decision" in link.levels:
        parts.append("confirmed by an investigator")
    else:
        parts.append(_overall(link))
    return parts


def _vehicle_text(name: str, label: str, a: Row, b: Row) -> str:
    plates = f"{a['plate']} / {b['plate']}"
    texts = {
        ("plate", "exact"): f"same plate {a['plate']}",
        ("plate", "reader_confusion"): f"plates differ only by reader confusions ({plates})",
        ("plate", "partial"): f"one plate is a partial read of the other ({plates})",
        ("plate", "one_character"): f"plates differ by one character ({plates})",
        ("plate", "different"): f"plates differ ({plates})",
        ("plate_region", "exact"): f"same plate region {a['plate_region']}",
        ("plate_region", "different"): "plate regions differ",
        ("make_model", "exact"): f"same make and model ({a['make']} {a['model']})",
        ("make_model", "make"): f"same make ({a['make']})",
        ("make_model", "different"): "makes differ",
        ("colour", "exact"): f"same colour ({a['colour']})",
        ("colour", "different"): "colours differ",
        ("people", "same_person"): "used by the same person",
        ("people", "different_people"): "used by different people",
    }
    return texts.get((name, label), "")
