"""What an investigator sees of a profile, a network and a suggestion: only their own stores.

A profile or network can span stores the viewer cannot see; every list here is narrowed to
the viewer's scope, and the page says how much was left out rather than showing it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from vigil.cases.models import CaseLink, Incident, IncidentParty, Subject, Vehicle
from vigil.core.models import Store, User
from vigil.core.scoping import scope_of
from vigil.intel import thresholds
from vigil.intel.models import Network, Profile, RecordKind, Suggestion

ZERO = Decimal("0.00")


@dataclass
class Reach:
    """Incidents seen, with their loss, stores and first and last time."""

    incidents: list[Incident]
    stores: list[Store]
    total_loss: Decimal
    first_seen: datetime | None
    last_seen: datetime | None


def reach(incidents: QuerySet[Incident]) -> Reach:
    found = list(incidents.select_related("store").order_by("occurred_at"))
    stores = {incident.store_id: incident.store for incident in found}
    return Reach(
        incidents=found,
        stores=sorted(stores.values(), key=lambda store: store.code),
        total_loss=_loss(found),
        first_seen=found[0].occurred_at if found else None,
        last_seen=found[-1].occurred_at if found else None,
    )


@dataclass
class ProfilePage:
    profile: Profile
    subjects: list[Subject]
    reach: Reach
    aliases: list[str]
    vehicles: list[Vehicle]
    photos: list[Any]
    cases: list[Any]
    hidden_subjects: int


def profile_page(user: User, profile: Profile) -> ProfilePage:
    """Everything known of one person of interest, in ``user``'s stores."""
    from vigil.evidence.models import EvidenceItem

    subjects = list(Subject.objects.visible_to(user).filter(intel_profiles=profile))
    incidents = Incident.objects.visible_to(user).filter(parties__subject__in=subjects).distinct()
    aliases = {alias for alias in profile.aliases if alias}
    for subject in subjects:
        aliases.update(a.strip() for a in subject.aliases.split(",") if a.strip())
    # Their own vehicles, and those seen at their incidents (the crew's car).
    vehicles = (
        Vehicle.objects.visible_to(user)
        .filter(Q(subjects__in=subjects) | Q(incidents__in=incidents))
        .distinct()
    )
    photos = EvidenceItem.objects.visible_to(user).filter(
        subject__in=subjects, deleted_at__isnull=True
    )
    links = CaseLink.objects.visible_to(user).filter(
        Q(subject__in=subjects) | Q(incident__in=incidents)
    )
    cases = {link.case_id: link.case for link in links.select_related("case")}
    return ProfilePage(
        profile=profile,
        subjects=subjects,
        reach=reach(incidents),
        aliases=sorted(aliases),
        vehicles=list(vehicles),
        photos=list(photos.select_related("store")),
        cases=sorted(cases.values(), key=lambda case: case.number),
        hidden_subjects=profile.subjects.count() - len(subjects),
    )


@dataclass
class Jurisdiction:
    """One state's share of a network's loss, against its felony threshold."""

    state: str
    total_loss: Decimal
    threshold: thresholds.Threshold | None

    @property
    def reaches_felony(self) -> bool:
        return self.threshold is not None and self.total_loss >= self.threshold.felony_threshold

    @property
    def share(self) -> int:
        """How far to the threshold, in percent (100 and more: reached)."""
        if self.threshold is None or not self.threshold.felony_threshold:
            return 0
        return int(100 * self.total_loss / self.threshold.felony_threshold)


@dataclass
class NetworkPage:
    network: Network
    reach: Reach
    profiles: list[Profile]
    vehicles: list[Any]
    loss_by_store: list[tuple[Store, Decimal, int]]
    jurisdictions: list[Jurisdiction]
    hidden_incidents: int
    people_at: dict[int, list[Profile]] = field(default_factory=dict)
    vehicles_at: dict[int, list[Any]] = field(default_factory=dict)


def network_page(user: User, network: Network) -> NetworkPage:
    """A crew's incidents, people, vehicles, stores and loss, in ``user``'s stores."""
    incidents = Incident.objects.visible_to(user).filter(intel_networks=network)
    seen = reach(incidents)
    by_store: dict[int, list[Incident]] = defaultdict(list)
    for incident in seen.incidents:
        by_store[incident.store_id].append(incident)
    loss_by_store = [
        (store, _loss(by_store[store.pk]), len(by_store[store.pk])) for store in seen.stores
    ]
    profiles = list(Profile.objects.visible_to(user).filter(networks=network))
    clusters = list(network.vehicle_clusters.filter(stores__in=_store_ids(user)).distinct())
    page = NetworkPage(
        network=network,
        reach=seen,
        profiles=profiles,
        vehicles=clusters,
        loss_by_store=loss_by_store,
        jurisdictions=_jurisdictions(loss_by_store),
        hidden_incidents=network.incidents.count() - len(seen.incidents),
    )
    _who_was_where(page)
    return page


def _loss(incidents: list[Incident]) -> Decimal:
    return sum((Decimal(incident.merchandise_value) for incident in incidents), ZERO)


def _store_ids(user: User) -> QuerySet[Store]:
    return Store.objects.visible_to(user)


def _jurisdictions(loss_by_store: list[tuple[Store, Decimal, int]]) -> list[Jurisdiction]:
    by_state: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for store, loss, _ in loss_by_store:
        by_state[store.state.strip() or "—"] += loss
    return [
        Jurisdiction(state, loss, thresholds.for_state(state))
        for state, loss in sorted(by_state.items())
    ]


def _who_was_where(page: NetworkPage) -> None:
    """Which people and vehicles of the network were at each incident (for the chart)."""
    ids = [incident.pk for incident in page.reach.incidents]
    owner: dict[int, Profile] = {}
    for profile in page.profiles:
        for subject_id in profile.subjects.values_list("pk", flat=True):
            owner[subject_id] = profile
    parties = IncidentParty.objects.filter(incident_id__in=ids, subject_id__in=list(owner))
    for incident_id, subject_id in parties.values_list("incident_id", "subject_id"):
        people = page.people_at.setdefault(incident_id, [])
        if owner[subject_id] not in people:
            people.append(owner[subject_id])
    carrier: dict[int, Any] = {}
    for cluster in page.vehicles:
        for vehicle_id in cluster.vehicles.values_list("pk", flat=True):
            carrier[vehicle_id] = cluster
    through = Vehicle.incidents.through.objects.filter(
        incident_id__in=ids, vehicle_id__in=list(carrier)
    )
    for incident_id, vehicle_id in through.values_list("incident_id", "vehicle_id"):
        cars = page.vehicles_at.setdefault(incident_id, [])
        if carrier[vehicle_id] not in cars:
            cars.append(carrier[vehicle_id])


@dataclass
class SuggestionLine:
    """One suggestion as a panel says it: who, how often, where, why, how sure."""

    suggestion: Suggestion
    other: Any
    incidents: int
    stores: int
    reasons: list[str]
    # Values of the other record an investigator may take out of matching: (field, label, value).
    ignorable: list[tuple[str, str, str]] = field(default_factory=list)


def suggestions_about(user: User, about: Any) -> list[SuggestionLine]:
    """Undecided suggestions about an incident's subjects, a subject or a vehicle."""
    from vigil.cases.models import Incident as IncidentModel

    # Subqueries, not lists: a page without suggestions pays one query for the panel.
    subject_ids: Any
    vehicle_ids: Any
    if isinstance(about, IncidentModel):
        named = IncidentParty.objects.filter(incident=about, subject__isnull=False)
        subject_ids = named.values_list("subject_id", flat=True)
        seen = Vehicle.incidents.through.objects.filter(incident=about)
        vehicle_ids = seen.values_list("vehicle_id", flat=True)
    elif isinstance(about, Subject):
        subject_ids, vehicle_ids = [about.pk], []
    else:
        subject_ids, vehicle_ids = [], [about.pk]
    about_them = (
        Q(subject_a_id__in=subject_ids)
        | Q(subject_b_id__in=subject_ids)
        | Q(vehicle_a_id__in=vehicle_ids)
        | Q(vehicle_b_id__in=vehicle_ids)
    )
    found = (
        Suggestion.objects.visible_to(user)
        .filter(about_them)
        .select_related("subject_a", "subject_b", "vehicle_a", "vehicle_b")
        .select_related("profile", "vehicle_cluster")
    )
    scope = scope_of(user)
    lines: list[SuggestionLine] = []
    mine_of: dict[str, set[int]] = {}
    for suggestion in found.distinct():
        first, second = suggestion.pair
        if first is None or second is None:
            continue
        if not (scope.allows(first.store_id) and scope.allows(second.store_id)):
            continue  # a record of a store the viewer cannot see is never shown
        if suggestion.kind not in mine_of:
            ids = subject_ids if suggestion.kind == RecordKind.PERSON else vehicle_ids
            mine_of[suggestion.kind] = {int(pk) for pk in ids}
        mine = mine_of[suggestion.kind]
        other = second if first.pk in mine else first
        lines.append(_line(user, suggestion, other))
    return lines


def _line(user: User, suggestion: Suggestion, other: Any) -> SuggestionLine:
    # "The same person as in 4 incidents at 3 stores": the whole profile the other is in.
    visible = Incident.objects.visible_to(user)
    if suggestion.kind == RecordKind.PERSON:
        people = suggestion.profile.subjects.all() if suggestion.profile else [other]
        incidents = visible.filter(parties__subject__in=people)
    else:
        cars = suggestion.vehicle_cluster.vehicles.all() if suggestion.vehicle_cluster else [other]
        incidents = visible.filter(vehicles__in=cars)
    incidents = incidents.distinct()
    return SuggestionLine(
        suggestion=suggestion,
        other=other,
        incidents=incidents.count(),
        stores=incidents.values("store_id").distinct().count(),
        reasons=[str(reason) for reason in suggestion.reasons],
        ignorable=_ignorable(suggestion.kind, other),
    )


def _ignorable(kind: str, other: Any) -> list[tuple[str, str, str]]:
    """A placeholder name or a courtesy car's plate: what the panel offers to ignore."""
    from vigil.intel.extract import split_name

    if kind == RecordKind.VEHICLE:
        return [("plate", "plate", other.plate)] if other.plate else []
    first, last = split_name(other.name)
    offered = [("last_name", "last name", last), ("first_name", "first name", first)]
    return [entry for entry in offered if entry[2]]
