"""Linking follows the incidents: a new incident, or a subject named on one, queues a run
for the store's region once the change is committed (``VIGIL_INTEL_LINK_ON_NEW_INCIDENT``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save

from vigil.cases.models import Incident, IncidentParty


def connect() -> None:
    post_save.connect(_incident_saved, sender=Incident, dispatch_uid="intel-incident-saved")
    post_save.connect(_party_saved, sender=IncidentParty, dispatch_uid="intel-party-saved")


def _incident_saved(
    sender: Any, instance: Incident, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        _link_later(instance)


def _party_saved(
    sender: Any, instance: IncidentParty, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw and instance.subject_id is not None:
        _link_later(instance.incident)


def _link_later(incident: Incident) -> None:
    if not getattr(settings, "INTEL_LINK_ON_NEW_INCIDENT", True):
        return
    region_id = incident.store.region_id
    transaction.on_commit(lambda: _start(region_id))


def _start(region_id: int) -> None:
    """Queue the region's run as the system's work, not the reporter's: an associate who
    filed the incident is not shown what linking found (suggestions are for LP roles)."""
    from vigil.core.models import Region
    from vigil.intel.tasks import start_linking

    start_linking(Region.objects.get(pk=region_id), requested_by=None)
