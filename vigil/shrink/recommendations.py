"""Recommendations: what to change at a hot spot, said with the evidence behind it.

Each hot spot gets one recommendation. Its measures follow from the drivers that stood out
(a locked fixture for a department losing three times the chain, an EAS check where alarms
run high, tagging retraining where walks found items untagged, a review of the registers
where POS exceptions run high) and always a cycle-count frequency for the department's
hot products. An LP manager accepts it, and it becomes a tracked corrective action at the
store, or rejects it; either way with a note that stays on the record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from vigil.audits.models import CorrectiveAction
from vigil.core.models import User
from vigil.core.numbering import next_number
from vigil.core.roles import Capability, require
from vigil.shrink import programme
from vigil.shrink.models import Hotspot, Recommendation, RecommendationStatus

LOCKED_FIXTURE_TIMES = 3.0  # a department losing this many times the chain's rate
MATERIAL_TIMES = 1.5  # a hot spot is acted on at this many times the chain's rate…
MATERIAL_POINTS = 0.01  # …and at least one percentage point above it; else it is watched
ACTION_DAYS = 30


def propose(hotspot: Hotspot, drivers: dict[str, Any]) -> Recommendation | None:
    """Keep the drivers on a fresh hot spot, and recommend what to change when it is
    material (a hot spot just above the chain is watched, not acted on)."""
    store, department = hotspot.store.code, hotspot.department
    notable = {name: found for name, found in drivers.items() if found.get("notable")}
    hotspot.drivers = drivers
    hotspot.reasons = [*hotspot.reasons, *(f["text"] for n, f in notable.items() if n != "eas")]
    hotspot.save(update_fields=["drivers", "reasons"])

    if not is_material(hotspot):
        return None
    times = hotspot.times_chain or 0.0
    loss_rate = float(hotspot.lost_units / hotspot.counted_units) if hotspot.counted_units else 0
    every = programme.frequency(loss_rate, in_hotspot=True)
    measures = []
    if times >= LOCKED_FIXTURE_TIMES:
        measures.append(f"move the most-lost {department} items to a locked fixture")
    else:
        measures.append(f"protect the most-lost {department} items with keepers or spider wraps")
    if "eas" in notable:
        measures.append(f"test the EAS pedestals at {store} and check deactivation at the tills")
    if "tagging" in notable:
        measures.append(f"retrain {department} tagging at receiving and audit it weekly")
    if "pos" in notable:
        measures.append(f"review {store}'s POS exceptions with the registers' video")
    if "incidents" in notable:
        measures.append(f"brief the {store} team on the recorded thefts' pattern")
    measures.append(f"count the department's hot products {every}")

    title = (
        f"{department} at {store}: shrink {hotspot.shrink_rate * 100:.1f} % vs "
        f"{hotspot.chain_rate * 100:.1f} % chain-wide"
    )
    return Recommendation.objects.create(
        number=next_number("SR"),
        hotspot=hotspot,
        store=hotspot.store,
        title=title,
        measures=measures,
        evidence=_evidence(hotspot, notable),
        count_frequency=every,
    )


def is_material(hotspot: Hotspot) -> bool:
    """At least ``MATERIAL_TIMES`` the chain's rate and ``MATERIAL_POINTS`` above it: a
    department losing 1.2 % against 0.8 % is not worth a new fixture."""
    times = hotspot.times_chain or 0.0
    excess = hotspot.shrink_rate - hotspot.chain_rate
    return times >= MATERIAL_TIMES and excess >= MATERIAL_POINTS


def _evidence(hotspot: Hotspot, notable: dict[str, Any]) -> list[dict[str, str]]:
    start, end = hotspot.analysis.period
    period = f"since={start.isoformat()}&until={end.isoformat()}"
    evidence = [
        {"text": hotspot.reasons[0], "link": reverse("shrink:hotspot-detail", args=[hotspot.pk])}
    ]
    links = {
        "eas": reverse("video:alerts") + f"?source=eas&{period}",
        "tagging": reverse("audits:history") + "?checklist=eas",
        "pos": reverse("pos:exception-list") + f"?{period}",
        "alerts": reverse("video:alerts") + f"?{period}",
        "incidents": reverse("cases:incident-list"),
    }
    for name, found in notable.items():
        evidence.append({"text": found["text"], "link": links[name]})
    return evidence


def decide(user: User, recommendation: Recommendation, accept: bool, note: str) -> Recommendation:
    """Accept (a tracked action at the store, due in 30 days) or reject, with a note."""
    require(user, Capability.INVESTIGATE)
    if recommendation.status != RecommendationStatus.PROPOSED:
        raise ValidationError(f"{recommendation.number} was already {recommendation.status}.")
    if not note.strip():
        raise ValidationError({"note": "Say why, in a note: it stays on the record."})
    with transaction.atomic():
        if accept:
            recommendation.action = CorrectiveAction.objects.create(
                number=next_number("CA"),
                store=recommendation.store,
                title=recommendation.title[:300],
                detail="Shrink recommendation {}: {}.\nEvidence: {}\nAccepted: {}".format(
                    recommendation.number,
                    "; ".join(recommendation.measures),
                    "; ".join(e["text"] for e in recommendation.evidence),
                    note.strip(),
                ),
                owner=user,
                due_on=timezone.localdate() + dt.timedelta(days=ACTION_DAYS),
            )
        recommendation.status = (
            RecommendationStatus.ACCEPTED if accept else RecommendationStatus.REJECTED
        )
        recommendation.decided_by = user
        recommendation.decided_at = timezone.now()
        recommendation.decision_note = note.strip()
        recommendation.save()
    return recommendation
