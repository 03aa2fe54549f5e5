"""A linking run: extract, ask the engine, store profiles, vehicles, networks and suggestions.

A run for a region replaces everything the previous runs said about that region's stores (a
profile, vehicle or network touching one of them); the nightly run of everything replaces it
all, and is the one that links across regions. Pairs an investigator decided are never
suggested again, whichever run finds them.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from vigil.cases.models import Incident, Subject, Vehicle
from vigil.core.models import Region
from vigil.intel import decisions, extract
from vigil.intel.models import (
    IntelRun,
    Network,
    Profile,
    RecordKind,
    Suggestion,
    VehicleCluster,
)

logger = logging.getLogger(__name__)
Step = Callable[[str], None]


class EngineMissing(Exception):
    """The linking engine (``vigil.engines.intel``) is not installed in this build."""


class LinkingRefused(Exception):
    """The engine refused the extract (a file, row and column named): nothing was stored."""


def link_region(
    region: Region | None, *, engine: str = "duckdb", step: Step | None = None
) -> IntelRun:
    """Link ``region``'s incidents (or everyone's) and store what the engine found."""
    say = step or (lambda text: None)
    with tempfile.TemporaryDirectory(prefix="vigil-intel-") as scratch:
        folder = Path(scratch)
        say("Writing the incidents, subjects and vehicles")
        written = extract.write_extract(folder, region)
        say(f"Linking {written.subjects:,} subject and {written.vehicles:,} vehicle records")
        result = call_engine(folder, engine)
    say("Storing profiles, networks and suggestions")
    run = IntelRun.objects.create(region=region, engine=str(result.get("engine", engine)))
    import_result(run, result)
    return run


def call_engine(folder: Path, engine: str = "duckdb") -> dict[str, Any]:
    """The engine's answer for the extract in ``folder``, with every decision honoured."""
    try:
        from vigil.engines.intel import link
    except ImportError as missing:
        raise EngineMissing(
            "The linking engine (vigil.engines.intel) is not installed; nothing was linked."
        ) from missing
    from vigil.engines.intel.contract import ContractError

    try:
        found = link(folder, engine=engine, decisions=decisions.decision_set().for_engine())
    except ContractError as refused:  # the app wrote something the contract does not allow
        raise LinkingRefused(f"The linking engine refused the extract: {refused}") from refused
    return dict(found)


def import_result(run: IntelRun, result: dict[str, Any]) -> IntelRun:
    """Replace what earlier runs said about the run's stores with ``result`` (the contract's)."""
    with transaction.atomic():
        _forget_earlier(run.region)
        records = _Records()
        networks_said = list(result.get("networks", []))
        people_in = {key for network in networks_said for key in network.get("people", [])}
        vehicles_in = {key for network in networks_said for key in network.get("vehicles", [])}
        profiles = _store_people(run, result.get("people", []), records, people_in)
        clusters = _store_vehicles(run, result.get("vehicles", []), records, vehicles_in)
        networks = _store_networks(run, result.get("networks", []), profiles, clusters)
        suggestions = _store_suggestions(run, result, profiles, clusters, records)
        run.counts = {
            "profiles": len(profiles),
            "vehicles": len(clusters),
            "networks": networks,
            "suggestions": suggestions,
        }
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "finished_at"])
    return run


def _forget_earlier(region: Region | None) -> None:
    for model in (Suggestion, Network, Profile, VehicleCluster):
        stale = model.objects.all()
        if region is not None:
            stale = stale.filter(stores__region=region)
        ids = list(stale.values_list("pk", flat=True).distinct())
        model.objects.filter(pk__in=ids).delete()


class _Records:
    """Record ids of the extract, read back to the app's subjects, vehicles and incidents."""

    def __init__(self) -> None:
        self.subjects: dict[int, Subject] = {}
        self.vehicles: dict[int, Vehicle] = {}
        self.incidents: dict[int, Incident] = {}

    def load(self, record_ids: Iterable[str]) -> None:
        wanted: dict[str, set[int]] = {"S": set(), "V": set(), "I": set()}
        for record_id in record_ids:
            parsed = extract.parse_record_id(record_id)
            if parsed is not None:
                wanted[parsed[0]].add(parsed[1])
                wanted["I"].add(parsed[2])
        self.subjects.update(Subject.objects.in_bulk(wanted["S"] - set(self.subjects)))
        self.vehicles.update(Vehicle.objects.in_bulk(wanted["V"] - set(self.vehicles)))
        more = Incident.objects.select_related("store").in_bulk(wanted["I"] - set(self.incidents))
        self.incidents.update(more)

    def owners(self, record_ids: Iterable[str]) -> list[Any]:
        """The distinct subjects or vehicles the record ids name, in order."""
        found: dict[tuple[str, int], Any] = {}
        for record_id in record_ids:
            parsed = extract.parse_record_id(record_id)
            if parsed is None:
                continue
            pool: dict[int, Any] = self.subjects if parsed[0] == "S" else self.vehicles
            owner = pool.get(parsed[1])
            if owner is not None:
                found.setdefault((parsed[0], parsed[1]), owner)
        return list(found.values())

    def stores(self, record_ids: Iterable[str]) -> set[int]:
        ids = set()
        for record_id in record_ids:
            parsed = extract.parse_record_id(record_id)
            incident = self.incidents.get(parsed[2]) if parsed else None
            if incident is not None:
                ids.add(incident.store_id)
        return ids


def _worth_keeping(entry: dict[str, Any], ids_key: str, in_networks: set[str]) -> bool:
    """A profile is a person seen more than once; one record alone is not a profile."""
    return len(entry.get(ids_key, [])) > 1 or entry.get(_key_name(ids_key)) in in_networks


def _key_name(ids_key: str) -> str:
    return "person_id" if ids_key == "subject_record_ids" else "vehicle_id"


def _store_people(
    run: IntelRun, people: list[dict[str, Any]], records: _Records, in_networks: set[str]
) -> dict[str, Profile]:
    kept = [p for p in people if _worth_keeping(p, "subject_record_ids", in_networks)]
    records.load(r for p in kept for r in p["subject_record_ids"])
    profiles: dict[str, Profile] = {}
    for entry in kept:
        subjects = records.owners(entry["subject_record_ids"])
        if not subjects:
            continue
        profile = Profile.objects.create(
            run=run,
            key=str(entry["person_id"]),
            name=str(entry.get("name") or subjects[0].name)[:200],
            aliases=list(entry.get("aliases", [])),
            match_probability=float(entry.get("match_probability") or 0.0),
            reasons=list(entry.get("reasons", [])),
            records=list(entry["subject_record_ids"]),
        )
        profile.subjects.set(subjects)
        profile.stores.set(records.stores(entry["subject_record_ids"]))
        profiles[profile.key] = profile
    return profiles


def _store_vehicles(
    run: IntelRun, vehicles: list[dict[str, Any]], records: _Records, in_networks: set[str]
) -> dict[str, VehicleCluster]:
    kept = [v for v in vehicles if _worth_keeping(v, "vehicle_record_ids", in_networks)]
    records.load(r for v in kept for r in v["vehicle_record_ids"])
    clusters: dict[str, VehicleCluster] = {}
    for entry in kept:
        owned = records.owners(entry["vehicle_record_ids"])
        if not owned:
            continue
        cluster = VehicleCluster.objects.create(
            run=run,
            key=str(entry["vehicle_id"]),
            plate=str(entry.get("plate") or owned[0].plate)[:20],
            make=str(entry.get("make") or "")[:60],
            model=str(entry.get("model") or "")[:60],
            colour=str(entry.get("colour") or "")[:40],
            match_probability=float(entry.get("match_probability") or 0.0),
            reasons=list(entry.get("reasons", [])),
            records=list(entry["vehicle_record_ids"]),
        )
        cluster.vehicles.set(owned)
        cluster.stores.set(records.stores(entry["vehicle_record_ids"]))
        clusters[cluster.key] = cluster
    return clusters


def _store_networks(
    run: IntelRun,
    networks: list[dict[str, Any]],
    profiles: dict[str, Profile],
    clusters: dict[str, VehicleCluster],
) -> int:
    stored = 0
    for entry in networks:
        incidents = list(Incident.objects.filter(number__in=entry.get("incident_ids", [])))
        if len(incidents) < 2:
            continue
        network = Network.objects.create(
            run=run,
            key=str(entry["network_id"]),
            total_loss=_amount(entry.get("total_loss")),
            first_seen=_when(entry.get("first_seen")),
            last_seen=_when(entry.get("last_seen")),
            reasons=list(entry.get("reasons", [])),
        )
        network.incidents.set(incidents)
        network.profiles.set([profiles[k] for k in entry.get("people", []) if k in profiles])
        network.vehicle_clusters.set(
            [clusters[k] for k in entry.get("vehicles", []) if k in clusters]
        )
        network.stores.set({incident.store_id for incident in incidents})
        stored += 1
    return stored


def _amount(raw: Any) -> Decimal:
    try:
        return Decimal(str(raw or "0")).quantize(Decimal("0.01"))
    except InvalidOperation:
        logger.warning("linking result: total loss %r is not an amount", raw)
        return Decimal("0.00")


def _when(raw: Any) -> datetime | None:
    if not raw:
        return None
    try:
        return datetime.fromisoformat(str(raw))
    except ValueError:
        logger.warning("linking result: %r is not a timestamp", raw)
        return None


def _store_suggestions(
    run: IntelRun,
    result: dict[str, Any],
    profiles: dict[str, Profile],
    clusters: dict[str, VehicleCluster],
    records: _Records,
) -> int:
    verdicts = decisions.latest_verdicts()
    made = 0
    for entry in result.get("people", []):
        profile = profiles.get(str(entry.get("person_id")))
        if profile is not None:
            made += _suggest(run, RecordKind.PERSON, entry, profile, records, verdicts)
    for entry in result.get("vehicles", []):
        cluster = clusters.get(str(entry.get("vehicle_id")))
        if cluster is not None:
            made += _suggest(run, RecordKind.VEHICLE, entry, cluster, records, verdicts)
    return made


def _pair_links(entry: dict[str, Any], ids_key: str) -> list[dict[str, Any]]:
    """The pairwise links that joined the cluster; without them, each record to the first."""
    if entry.get("links"):
        return list(entry["links"])
    ids = list(entry.get(ids_key, []))
    return [
        {
            "a": ids[0],
            "b": other,
            "probability": entry.get("match_probability") or 0.0,
            "reasons": entry.get("reasons", []),
        }
        for other in ids[1:]
    ]


def _suggest(
    run: IntelRun,
    kind: str,
    entry: dict[str, Any],
    cluster: Profile | VehicleCluster,
    records: _Records,
    verdicts: dict[tuple[str, int, int], str],
) -> int:
    ids_key = "subject_record_ids" if kind == RecordKind.PERSON else "vehicle_record_ids"
    best: dict[tuple[int, int], tuple[Any, Any, dict[str, Any]]] = {}
    for pair in _pair_links(entry, ids_key):
        owners = records.owners([str(pair["a"])]) + records.owners([str(pair["b"])])
        if len(owners) != 2 or owners[0].pk == owners[1].pk:
            continue  # one subject on two incidents: the app knows that already
        a, b = sorted(owners, key=lambda owner: owner.pk)
        if decisions.decided(kind, a.pk, b.pk, verdicts):
            continue
        known = best.get((a.pk, b.pk))
        if known is None or float(pair["probability"]) > float(known[2]["probability"]):
            best[(a.pk, b.pk)] = (a, b, pair)
    for a, b, pair in best.values():
        suggestion = Suggestion.objects.create(
            run=run,
            kind=kind,
            probability=float(pair["probability"]),
            reasons=list(pair.get("reasons", [])),
            **_pair_fields(kind, a, b, cluster),
        )
        suggestion.stores.set({a.store_id, b.store_id})
    return len(best)


def _pair_fields(kind: str, a: Any, b: Any, cluster: Any) -> dict[str, Any]:
    if kind == RecordKind.PERSON:
        return {"subject_a": a, "subject_b": b, "profile": cluster}
    return {"vehicle_a": a, "vehicle_b": b, "vehicle_cluster": cluster}
