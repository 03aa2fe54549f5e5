"""How the reports draw their figures, the same on every page, dashboard and PDF: incident
types in groups with a colour each, store risk scores in bands, hot spots in words."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.safestring import SafeString

from vigil.cases.models import IncidentType
from vigil.core import charts
from vigil.core.charts import Key, Point, Reference, Tone
from vigil.core.models import Store
from vigil.reports import risk
from vigil.shrink import departments, figures
from vigil.shrink.models import Hotspot

# The store risk signals as people name them (vigil.reports.risk keys them in code).
SIGNAL_NAMES = {
    "shrink": "Shrink",
    "pos": "POS exceptions",
    "incidents": "Theft incidents",
    "audits": "Floor walks",
    "training": "Training",
}
# How the store risk score reads: a typical store scores about 33 (see vigil.reports.risk).
TYPICAL_SCORE, HIGH_SCORE, RAISED_SCORE = 33.0, 50.0, 40.0


# Incident types in four groups, each a colour: what was stolen, what was defrauded, who
# was hurt or put at risk, and the rest.
GROUPS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("Theft", Tone.COLOURS[Tone.BAD], frozenset(figures.THEFT)),
    (
        "Fraud",
        Tone.COLOURS[Tone.WARN],
        frozenset(
            {IncidentType.REFUND_FRAUD, IncidentType.GIFT_CARD_FRAUD, IncidentType.CREDIT_FRAUD}
        ),
    ),
    (
        "Safety",
        "#0c8599",
        frozenset(
            {IncidentType.SAFETY_HAZARD, IncidentType.MEDICAL_EMERGENCY, IncidentType.FIRE_ALARM}
        ),
    ),
)
OTHER = ("Other", Tone.COLOURS[Tone.MUTED])


def group_of(kind: str) -> str:
    return next((name for name, _, kinds in GROUPS if kind in kinds), OTHER[0])


def score_tone(score: float | None) -> str:
    if score is None:
        return Tone.MUTED
    if score >= HIGH_SCORE:
        return Tone.BAD
    return Tone.WARN if score >= RAISED_SCORE else Tone.GOOD


def risk_bars(title: str, scored: Sequence[tuple[Store, float | None, str]]) -> SafeString:
    """Risk scores as bars coloured by band, against the typical store's score."""
    return charts.bars(
        title,
        [
            Point(
                f"{store.code} {store.name}",
                score or 0,
                score_tone(score),
                reason,
                reverse("core:store-detail", args=[store.code]),
            )
            for store, score, reason in scored
        ],
        charts.score("0 to 100, a typical store about 33"),
        reference=Reference(TYPICAL_SCORE, "Typical store"),
        legend=[
            Key(Tone.BAD, f"High ({HIGH_SCORE:.0f}+)"),
            Key(Tone.WARN, f"Raised ({RAISED_SCORE:.0f} to {HIGH_SCORE:.0f})"),
            Key(Tone.GOOD, f"Typical (under {RAISED_SCORE:.0f})"),
        ],
    )


# --- hot spots, in words ---------------------------------------------------------------------


def hotspot_chart(spots: Sequence[Hotspot]) -> SafeString:
    """The hot spots in rank order, each bar its shrink rate with a tick at the chain's rate
    for the same department: how far above the chain it stands."""
    return charts.bars(
        "Hot spots: shrink against the chain's rate for the department",
        [
            Point(
                f"{departments.label(spot.department)} at {spot.store.code}",
                spot.shrink_rate,
                Tone.BAD if (spot.times_chain or 0) >= 1.5 else Tone.WARN,
                f"chain {spot.chain_rate * 100:.1f} %, {spot.times_chain or 0:.1f}x",
                reverse("shrink:hotspot-detail", args=[spot.pk]),
                mark=spot.chain_rate,
            )
            for spot in spots
        ],
        charts.share("% of counted book value"),
        legend=[
            Key(Tone.BAD, "1.5x the chain or more"),
            Key(Tone.WARN, "Above the chain"),
            Key(Tone.TEXT, "The chain's rate for the department"),
        ],
    )


def has_data(ranked: risk.StoreScore) -> bool:
    """Whether any signal of the store's score had data: a store nobody counted, walked or
    scanned has no score, which is not the same as a low one."""
    return ranked.has_data


def risk_chart(ranking: Sequence[risk.StoreScore], title: str = "Store risk score") -> SafeString:
    """The store risk ranking as bars (see ``vigil.reports.risk`` for the score)."""
    return risk_bars(
        title,
        [(r.store, r.score, _main_reason(r)) for r in ranking if has_data(r)],
    )


def _main_reason(ranked: risk.StoreScore) -> str:
    return ranked.reasons[0] if ranked.reasons else "nothing above the median store"
