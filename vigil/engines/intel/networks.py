"""The contract's JSON result: people, vehicles and networks, each with its reasons.

A network is a connected group of two or more incidents joined by a shared person or
vehicle, directly or through other incidents. A shared method alone joins nothing; it is
shown as a reason beside the links.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from vigil.engines.intel.contract import Extract, Row, parse_timestamp
from vigil.engines.intel.linking import Clusters, Link
from vigil.engines.intel.names import clean_name, clean_plate
from vigil.engines.intel.reasons import person_reasons, vehicle_reasons

# A cluster's reasons quote its strongest links, not all of them (the app gets all in links).
REASONS_SHOWN = 3


def result(extract: Extract, engine: str, people: Clusters, vehicles: Clusters) -> dict[str, Any]:
    subjects = {row["subject_record_id"]: row for row in extract.subjects}
    cars = {row["vehicle_record_id"]: row for row in extract.vehicles}
    incidents = {row["incident_id"]: row for row in extract.incidents}
    person_ids, person_entries = _people(people, subjects, incidents)
    vehicle_ids, vehicle_entries = _vehicles(vehicles, cars, incidents)
    networks = _networks(extract, people, vehicles, person_ids, vehicle_ids)
    return {
        "engine": engine,
        "people": person_entries,
        "vehicles": vehicle_entries,
        "networks": networks,
    }


def _ordered(clusters: Clusters) -> list[tuple[str, list[str]]]:
    groups = clusters.groups()
    return sorted(groups.items(), key=lambda item: (-len(item[1]), item[1][0]))


def _probability(links: list[Link]) -> float:
    """How sure the group is: its weakest joining link (a single record is sure of itself)."""
    return round(min((link.probability for link in links), default=1.0), 4)


def _reasons_of(link: Link, reasons: Any, rows: dict[str, Row]) -> list[str]:
    """A link's reasons, worded once (a cluster shows them twice: strongest and all)."""
    if link.worded is None:
        link.worded = reasons(link, rows[link.a], rows[link.b])
    return link.worded


def _link_entries(links: list[Link], reasons: Any, rows: dict[str, Row]) -> list[dict[str, Any]]:
    return [
        {"a": link.a, "b": link.b, "probability": round(link.probability, 4),
         "reasons": _reasons_of(link, reasons, rows)}
        for link in sorted(links, key=lambda item: (item.a, item.b))
    ]  # fmt: skip


def _strongest_reasons(links: list[Link], reasons: Any, rows: dict[str, Row]) -> list[str]:
    lines: list[str] = []
    for link in sorted(links, key=lambda item: -item.weight)[:REASONS_SHOWN]:
        for line in _reasons_of(link, reasons, rows):
            if line not in lines:
                lines.append(line)
    return lines


def _people(
    clusters: Clusters, subjects: dict[str, Row], incidents: dict[str, Row]
) -> tuple[dict[str, str], list[dict[str, Any]]]:
    ids: dict[str, str] = {}
    entries = []
    for number, (root, records) in enumerate(_ordered(clusters), start=1):
        person_id = f"P-{number:04d}"
        ids[root] = person_id
        rows = [subjects[record] for record in records]
        links = clusters.links.get(root, [])
        entries.append({
            "person_id": person_id,
            "subject_record_ids": records,
            "name": _name(rows),
            "aliases": sorted({alias.strip() for row in rows for alias in row["aliases"].split(";")
                               if alias.strip()}),
            "incidents": len({row["incident_id"] for row in rows}),
            "stores": sorted({incidents[row["incident_id"]]["store_id"] for row in rows}),
            "match_probability": _probability(links),
            "reasons": _strongest_reasons(links, person_reasons, subjects),
            "links": _link_entries(links, person_reasons, subjects),
        })  # fmt: skip
    return ids, entries


def _name(rows: list[Row]) -> str:
    """The name the records agree on: the commonest surname, and the fullest first name
    written with it (boxes put right where a record swapped them)."""
    lasts = Counter(clean_name(row["last_name"]) for row in rows if row["last_name"])
    if not lasts:
        written = [row["first_name"] for row in rows if row["first_name"]]
        return written[0] if written else ""
    surname = lasts.most_common(1)[0][0]
    written_last, firsts = "", Counter[str]()
    for row in rows:
        first, last = row["first_name"], row["last_name"]
        if clean_name(first) == surname and clean_name(last) != surname:
            first, last = last, first
        if clean_name(last) == surname:
            written_last = written_last or last
            if first:
                firsts[first.strip().title()] += 1
    first_name = max(firsts, key=lambda name: (firsts[name], len(name), name)) if firsts else ""
    return f"{first_name} {written_last.strip().title()}".strip()


def _vehicles(
    clusters: Clusters, cars: dict[str, Row], incidents: dict[str, Row]
) -> tuple[dict[str, str], list[dict[str, Any]]]:
    ids: dict[str, str] = {}
    entries = []
    for number, (root, records) in enumerate(_ordered(clusters), start=1):
        vehicle_id = f"V-{number:04d}"
        ids[root] = vehicle_id
        rows = [cars[record] for record in records]
        links = clusters.links.get(root, [])
        plates = Counter(clean_plate(row["plate"]) for row in rows if row["plate"])
        plate = max(plates, key=lambda p: (len(p) >= 6, plates[p], p)) if plates else ""
        entries.append({
            "vehicle_id": vehicle_id,
            "vehicle_record_ids": records,
            "plate": plate,
            "plate_region": _commonest(rows, "plate_region"),
            "make": _commonest(rows, "make"),
            "model": _commonest(rows, "model"),
            "colour": _commonest(rows, "colour"),
            "incidents": len({row["incident_id"] for row in rows}),
            "stores": sorted({incidents[row["incident_id"]]["store_id"] for row in rows}),
            "match_probability": _probability(links),
            "reasons": _strongest_reasons(links, vehicle_reasons, cars),
            "links": _link_entries(links, vehicle_reasons, cars),
        })  # fmt: skip
    return ids, entries


def _commonest(rows: list[Row], column: str) -> str:
    values = Counter(row[column] for row in rows if row[column])
    return max(values, key=lambda value: (values[value], value)) if values else ""


def _networks(
    extract: Extract,
    people: Clusters,
    vehicles: Clusters,
    person_ids: dict[str, str],
    vehicle_ids: dict[str, str],
) -> list[dict[str, Any]]:
    at: dict[str, set[str]] = {}  # incident -> entity ids (P-…, V-…)
    for record, incident in people.incident_of.items():
        at.setdefault(incident, set()).add(person_ids[people.of[record]])
    for record, incident in vehicles.incident_of.items():
        at.setdefault(incident, set()).add(vehicle_ids[vehicles.of[record]])
    groups = _components(at)
    rows = {row["incident_id"]: row for row in extract.incidents}
    entries = [_network(sorted(group), at, rows) for group in groups if len(group) > 1]
    entries.sort(key=lambda entry: (entry["_first"], entry["incident_ids"][0]))
    for number, entry in enumerate(entries, start=1):
        entry.pop("_first")
        entry["network_id"] = f"N-{number:03d}"
    return [{"network_id": e.pop("network_id"), **e} for e in entries]


def _components(at: dict[str, set[str]]) -> list[set[str]]:
    """Groups of incidents that share an entity, directly or through other incidents."""
    parent = {incident: incident for incident in at}

    def find(item: str) -> str:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    first_at: dict[str, str] = {}
    for incident in sorted(at):
        for entity in sorted(at[incident]):
            if entity in first_at:
                parent[find(incident)] = find(first_at[entity])
            else:
                first_at[entity] = incident
    grouped: dict[str, set[str]] = {}
    for incident in at:
        grouped.setdefault(find(incident), set()).add(incident)
    return list(grouped.values())


def _network(
    incident_ids: list[str], at: dict[str, set[str]], rows: dict[str, Row]
) -> dict[str, Any]:
    entities = Counter(entity for incident in incident_ids for entity in at[incident])
    people = sorted(e for e in entities if e.startswith("P-"))
    cars = sorted(e for e in entities if e.startswith("V-"))
    moments = sorted(incident_ids, key=lambda i: parse_timestamp(rows[i]["occurred_at"]))  # type: ignore[arg-type, return-value]
    reasons = [f"{e} in {entities[e]} incidents" for e in people if entities[e] > 1]
    reasons += [f"{e} at {entities[e]} incidents" for e in cars if entities[e] > 1]
    methods = Counter(rows[i]["method"].strip().lower() for i in incident_ids if rows[i]["method"])
    if methods:
        method, count = methods.most_common(1)[0]
        if count > 1:
            reasons.append(f"same method in {count} incidents: {method}")
    return {
        "incident_ids": incident_ids,
        "people": people,
        "vehicles": cars,
        "stores": sorted({rows[i]["store_id"] for i in incident_ids}),
        "total_loss": str(sum((Decimal(rows[i]["loss"]) for i in incident_ids), Decimal(0))),
        "first_seen": rows[moments[0]]["occurred_at"],
        "last_seen": rows[moments[-1]]["occurred_at"],
        "reasons": reasons,
        "_first": parse_timestamp(rows[moments[0]]["occurred_at"]),
    }
