"""Investigators decide: a suggestion confirmed or rejected, a value ignored for matching.

Every decision is kept (rows are only added), written to the audit log, and handed to every
later linking run as the engine's ``Decisions``: a confirmed pair is always linked, a rejected
one never again, an ignored value no longer counts as evidence.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from vigil.cases.models import IncidentParty, Vehicle
from vigil.core import audit
from vigil.core.models import User
from vigil.core.models.audit import AuditAction
from vigil.core.roles import Capability, require
from vigil.intel.extract import subject_record_id, vehicle_record_id
from vigil.intel.models import (
    Decision,
    IgnoredField,
    IgnoredValue,
    RecordKind,
    Suggestion,
    Verdict,
)

DECISION_ACTION = AuditAction.INTEL_DECISION
IGNORE_ACTION = AuditAction.INTEL_IGNORE_VALUE


@dataclass
class DecisionSet:
    """The decisions as the engine takes them (``vigil.engines.intel.decisions.Decisions``)."""

    same: list[tuple[str, str]] = field(default_factory=list)
    different: list[tuple[str, str]] = field(default_factory=list)
    ignored_values: list[tuple[str, str]] = field(default_factory=list)

    def for_engine(self) -> Any:
        from vigil.engines.intel.decisions import Decisions

        return Decisions(
            same=list(self.same),
            different=list(self.different),
            ignored_values=list(self.ignored_values),
        )


def decide(user: User, suggestion: Suggestion, verdict: str) -> Decision:
    """Record ``user``'s verdict on ``suggestion``; the suggestion is answered and goes."""
    require(user, Capability.INVESTIGATE)
    verdict = Verdict(verdict)
    with transaction.atomic():
        decision = Decision.objects.create(
            kind=suggestion.kind,
            subject_a=suggestion.subject_a,
            subject_b=suggestion.subject_b,
            vehicle_a=suggestion.vehicle_a,
            vehicle_b=suggestion.vehicle_b,
            verdict=verdict,
            probability=suggestion.probability,
            decided_by=user,
        )
        first, second = suggestion.pair
        audit.record(
            DECISION_ACTION,
            obj=decision,
            object_repr=f"{decision.get_verdict_display()}: {first} ~ {second}"[:200],
            store_id=getattr(first, "store_id", None),
            changes={
                "verdict": verdict.value,
                "kind": suggestion.kind,
                "a": getattr(first, "pk", None),
                "b": getattr(second, "pk", None),
                "probability": suggestion.probability,
                "reasons": suggestion.reasons,
            },
        )
        answered_pairs(suggestion).delete()
    return decision


def answered_pairs(suggestion: Suggestion) -> Any:
    """Every stored suggestion of the same pair, whichever way round."""
    if suggestion.kind == RecordKind.PERSON:
        a, b = suggestion.subject_a_id, suggestion.subject_b_id
        pair = Q(subject_a_id=a, subject_b_id=b) | Q(subject_a_id=b, subject_b_id=a)
    else:
        a, b = suggestion.vehicle_a_id, suggestion.vehicle_b_id
        pair = Q(vehicle_a_id=a, vehicle_b_id=b) | Q(vehicle_a_id=b, vehicle_b_id=a)
    return Suggestion.objects.filter(pair, kind=suggestion.kind)


def ignore_value(user: User, field_name: str, value: str) -> IgnoredValue:
    """Take ``value`` of ``field_name`` out of matching for every later run."""
    require(user, Capability.INVESTIGATE)
    value = value.strip()
    if field_name not in IgnoredField.values:
        raise ValidationError({"field": "Choose a name, alias, date of birth or plate."})
    if not value:
        raise ValidationError({"value": "Say which value to ignore."})
    if field_name == IgnoredField.PLATE:
        value = value.upper().replace(" ", "")
    ignored, created = IgnoredValue.objects.get_or_create(
        field=field_name, value=value, defaults={"added_by": user}
    )
    if created:
        audit.record(
            IGNORE_ACTION,
            obj=ignored,
            changes={"field": field_name, "value": value},
        )
    return ignored


def latest_verdicts() -> dict[tuple[str, int, int], str]:
    """``(kind, a, b) -> verdict`` with the smaller id first; the latest decision counts."""
    verdicts: dict[tuple[str, int, int], str] = {}
    for decision in Decision.objects.order_by("decided_at", "pk"):
        a, b = decision.pair_ids
        verdicts[(decision.kind, min(a, b), max(a, b))] = decision.verdict
    return verdicts


def decided(kind: str, a: int, b: int, verdicts: dict[tuple[str, int, int], str]) -> bool:
    return (kind, min(a, b), max(a, b)) in verdicts


def decision_set() -> DecisionSet:
    """Every decision and ignored value, and the app's own certainties, in record ids.

    A subject (or vehicle) named on several incidents is one record per incident to the
    engine; the app knows they are one, so they go as confirmed pairs too."""
    found = DecisionSet()
    records = _records_by_subject(), _records_by_vehicle()
    for by_owner in records:
        for owned in by_owner.values():
            found.same.extend(itertools.pairwise(owned))
    subjects, vehicles = records
    for (kind, a, b), verdict in latest_verdicts().items():
        by_owner = subjects if kind == RecordKind.PERSON else vehicles
        left, right = by_owner.get(a, []), by_owner.get(b, [])
        if not left or not right:
            continue
        if verdict == Verdict.SAME:
            found.same.append((left[0], right[0]))
        else:
            found.different.extend((x, y) for x in left for y in right)
    found.ignored_values = list(IgnoredValue.objects.values_list("field", "value"))
    return found


def _records_by_subject() -> dict[int, list[str]]:
    owned: dict[int, list[str]] = {}
    pairs = IncidentParty.objects.filter(subject__isnull=False).values_list(
        "subject_id", "incident_id"
    )
    for subject_id, incident_id in pairs.order_by("subject_id", "incident_id").distinct():
        owned.setdefault(subject_id, []).append(subject_record_id(subject_id, incident_id))
    return owned


def _records_by_vehicle() -> dict[int, list[str]]:
    owned: dict[int, list[str]] = {}
    pairs = Vehicle.incidents.through.objects.values_list("vehicle_id", "incident_id")
    for vehicle_id, incident_id in pairs.order_by("vehicle_id", "incident_id"):
        owned.setdefault(vehicle_id, []).append(vehicle_record_id(vehicle_id, incident_id))
    return owned
