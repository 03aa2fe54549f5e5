"""Recording a stop (apprehension) and its observed elements."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from vigil.cases.models import ElementStatus, Incident, StopElement, StopObservation, StopRecord
from vigil.core.models import User
from vigil.core.records import apply_changes
from vigil.core.roles import Capability, require


def record_stop(user: User, incident: Incident, fields: Mapping[str, Any]) -> StopRecord:
    """A stop with one row per element, all 'not recorded' until the officer says."""
    require(user, Capability.RECORD)
    with transaction.atomic():
        stop = apply_changes(StopRecord(incident=incident, recorded_by=user), fields)
        for element in StopElement:
            StopObservation.objects.create(stop=stop, element=element)
    return stop


def observe(
    user: User, stop: StopRecord, element: str, fields: Mapping[str, Any]
) -> StopObservation:
    """Record one element as observed / not observed / not applicable, by whom and when."""
    require(user, Capability.RECORD)
    observation = stop.observations.get(element=StopElement(element))
    values = dict(fields)
    if values.get("status") == ElementStatus.OBSERVED and not (
        values.get("observed_by") or observation.observed_by
    ):
        values["observed_by"] = user.get_full_name() or user.get_username()
    return apply_changes(observation, values)


def update_stop(user: User, stop: StopRecord, changes: Mapping[str, Any]) -> StopRecord:
    require(user, Capability.RECORD)
    return apply_changes(stop, changes)
