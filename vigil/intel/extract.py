"""Writing the app's incidents, subjects and vehicles as the linking engine reads them.

The folder has the shape of ``contracts/intel-link.md``: ``stores.csv``, ``incidents.csv``,
``subjects.csv`` (one row per subject per incident they are a party to) and ``vehicles.csv``
(one row per vehicle per incident). Record ids name the app's rows, so the engine's answer
can be read back: ``S<subject id>.I<incident id>`` and ``V<vehicle id>.I<incident id>``.

Nothing about race, ethnicity, religion or any other protected class is written (the app
holds none); nor are notes, clothing or employee links, which say nothing about identity.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db.models import QuerySet

from vigil.cases.models import Incident, IncidentParty, IncidentType, Subject, Vehicle
from vigil.core.models import Region, Store

STORE_COLUMNS = ("store_id", "name", "region", "timezone")
INCIDENT_COLUMNS = (
    "incident_id", "store_id", "occurred_at", "kind", "loss", "items", "method", "narrative",
)  # fmt: skip
SUBJECT_COLUMNS = (
    "subject_record_id", "incident_id", "first_name", "last_name", "aliases", "date_of_birth",
    "height_cm", "build", "hair", "marks",
)  # fmt: skip
VEHICLE_COLUMNS = (
    "vehicle_record_id", "incident_id", "plate", "plate_region", "make", "model", "colour",
)  # fmt: skip

# The contract's kinds; the app's other incident types are "other" to the engine.
KINDS = {
    IncidentType.SHOPLIFTING: "shoplifting",
    IncidentType.ORGANISED_RETAIL_CRIME: "orc",
    IncidentType.ROBBERY: "robbery",
    IncidentType.REFUND_FRAUD: "return_fraud",
    IncidentType.BURGLARY: "burglary",
}
# Incident types that never involve a person who took something: not linked.
NOT_THEFT = {
    IncidentType.SAFETY_HAZARD,
    IncidentType.MEDICAL_EMERGENCY,
    IncidentType.FIRE_ALARM,
}
RECORD_ID = re.compile(r"^(?P<kind>[SV])(?P<record>\d+)\.I(?P<incident>\d+)$")


@dataclass(frozen=True)
class Extract:
    """What was written: the folder and how many rows of each table."""

    folder: Path
    stores: int
    incidents: int
    subjects: int
    vehicles: int


def subject_record_id(subject_id: int, incident_id: int) -> str:
    return f"S{subject_id}.I{incident_id}"


def vehicle_record_id(vehicle_id: int, incident_id: int) -> str:
    return f"V{vehicle_id}.I{incident_id}"


def parse_record_id(record_id: str) -> tuple[str, int, int] | None:
    """``("S" or "V", subject or vehicle id, incident id)``, or None for a foreign id."""
    found = RECORD_ID.match(record_id)
    if found is None:
        return None
    return found["kind"], int(found["record"]), int(found["incident"])


def write_extract(folder: Path, region: Region | None = None) -> Extract:
    """Write the incidents of ``region`` (or of every region) and who and what was in them."""
    folder.mkdir(parents=True, exist_ok=True)
    stores = Store.objects.select_related("region").order_by("code")
    if region is not None:
        stores = stores.filter(region=region)
    incidents = (
        Incident.objects.filter(store__in=stores)
        .exclude(kind__in=NOT_THEFT)
        .select_related("store")
        .order_by("pk")
    )
    counts = (
        _write(folder / "stores.csv", STORE_COLUMNS, _store_rows(stores)),
        _write(folder / "incidents.csv", INCIDENT_COLUMNS, _incident_rows(incidents)),
        _write(folder / "subjects.csv", SUBJECT_COLUMNS, _subject_rows(incidents)),
        _write(folder / "vehicles.csv", VEHICLE_COLUMNS, _vehicle_rows(incidents)),
    )
    return Extract(folder, *counts)


def _write(path: Path, columns: tuple[str, ...], rows: Iterable[dict[str, str]]) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _store_rows(stores: QuerySet[Store]) -> Iterator[dict[str, str]]:
    for store in stores:
        yield {
            "store_id": store.code,
            "name": store.name,
            "region": store.region.name,
            "timezone": store.timezone,
        }


def _incident_rows(incidents: QuerySet[Incident]) -> Iterator[dict[str, str]]:
    for incident in incidents.iterator():
        yield {
            "incident_id": incident.number,
            "store_id": incident.store.code,
            "occurred_at": _local_iso(incident),
            "kind": KINDS.get(IncidentType(incident.kind), "other"),
            "loss": f"{incident.merchandise_value:.2f}",
            "items": "",
            "method": incident.summary,
            "narrative": incident.narrative,
        }


def _local_iso(incident: Incident) -> str:
    """The time with the store's own UTC offset, as the contract asks."""
    from zoneinfo import ZoneInfo

    return incident.occurred_at.astimezone(ZoneInfo(incident.store.timezone)).isoformat()


def _subject_rows(incidents: QuerySet[Incident]) -> Iterator[dict[str, str]]:
    parties = (
        IncidentParty.objects.filter(incident__in=incidents, subject__isnull=False)
        .select_related("subject", "incident")
        .order_by("subject_id", "incident_id")
    )
    seen: set[tuple[int, int]] = set()
    for party in parties.iterator():
        subject = party.subject
        assert subject is not None
        key = (subject.pk, party.incident_id)
        if key in seen:  # named twice on one incident (suspect and witness): one record
            continue
        seen.add(key)
        yield subject_row(subject, party.incident)


def subject_row(subject: Subject, incident: Incident) -> dict[str, str]:
    """One subject as recorded on one incident, in the contract's columns."""
    first, last = split_name(subject.name)
    return {
        "subject_record_id": subject_record_id(subject.pk, incident.pk),
        "incident_id": incident.number,
        "first_name": first,
        "last_name": last,
        "aliases": ";".join(a.strip() for a in subject.aliases.split(",") if a.strip()),
        "date_of_birth": subject.date_of_birth.isoformat() if subject.date_of_birth else "",
        "height_cm": str(height_cm(subject.height) or ""),
        "build": subject.build,
        "hair": subject.hair,
        "marks": subject.identifying_marks,
    }


def _vehicle_rows(incidents: QuerySet[Incident]) -> Iterator[dict[str, str]]:
    links = (
        Vehicle.incidents.through.objects.filter(incident__in=incidents)
        .select_related("vehicle", "incident")
        .order_by("vehicle_id", "incident_id")
    )
    for link in links.iterator():
        vehicle = link.vehicle
        yield {
            "vehicle_record_id": vehicle_record_id(vehicle.pk, link.incident_id),
            "incident_id": link.incident.number,
            "plate": vehicle.plate,
            "plate_region": vehicle.plate_state,
            "make": vehicle.make,
            "model": vehicle.model,
            "colour": vehicle.colour,
        }


def split_name(name: str) -> tuple[str, str]:
    """``(first, last)`` of a name as one box holds it: "Robert Kowalczyk", "Kowalczyk, Bob"."""
    name = " ".join(name.split())
    if "," in name:
        last, _, first = name.partition(",")
        return first.strip(), last.strip()
    parts = name.rsplit(" ", 1)
    if len(parts) == 1:
        return "", parts[0]
    return parts[0], parts[1]


FEET_INCHES = re.compile(r"^\s*(\d)\s*(?:'|ft|feet)\s*(\d{1,2})?\s*(?:\"|''|in|inches)?\s*$")
CENTIMETRES = re.compile(r"^\s*(\d{2,3})\s*(?:cm)?\s*$")


def height_cm(height: str) -> int | None:
    """A height as written ("5'10\\"", "5 ft 10", "178 cm", "178") in whole centimetres."""
    text = height.strip().lower()
    found = FEET_INCHES.match(text)
    if found:
        inches = int(found[1]) * 12 + int(found[2] or 0)
        return round(inches * 2.54)
    found = CENTIMETRES.match(text)
    if found and 100 <= int(found[1]) <= 230:
        return int(found[1])
    return None
