"""Explained risk scores for employees and stores, compared with the right peers.

For each employee and rule, the number of exceptions is compared with what the employee's
peer group would produce for the same amount of work:

- **Peers** are people doing the same job in the same place: same role and register type
  (lanes, self-checkout, service desk), in the same region; when that group is too small,
  the same role chain-wide, then the same family of roles (supervisors with managers).
  Supervisors are judged against supervisors (approving other people's post-voids and
  overrides is their job), service-desk staff against service-desk staff (returns are
  their job).
- **The peer rate is robust**: pooled over the peers, each peer's rate capped at the group's
  90th percentile, so one dishonest peer does not make everyone else look normal.
- **Small samples shrink**: the surprise of ``c`` exceptions where ``mu`` were expected is
  the Poisson tail's exponent, ``c ln(c/mu) - c + mu`` (in decimal digits). Three exceptions
  in twenty transactions is not proof of anything, and the measure says so, instead of a
  rate that explodes on a small denominator. A single exception never counts.
- **New hires** learn: exceptions of the kinds that mistakes make (line voids, cancelled
  transactions, keyed items) in an employee's first 30 days count a third.

Counts are weighted by each exception's severity (a void in a cash sale weighs more than one
in a card sale), on both sides of the comparison. The risk score maps the total surprise to
0-100, and the reasons
name the counts, the peer group and the peer median.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

MIN_PEERS = 5
MIN_EVENTS = 2
RISK_SCALE = 12.0
CAP_QUANTILE = 0.9
PROBATION_DAYS = 30
PROBATION_WEIGHT = 1 / 3
LEARNING_RULES = frozenset({"line_void_cash", "cancelled_after_items", "keyed_not_scanned"})
REASONS_SHOWN = 4
PeerKey = tuple[str, ...]


@dataclass
class Subject:
    """An employee or a store being scored."""

    id: str
    store_id: str
    role: str
    region: str
    workload: int
    hired_on: date | None = None
    peer_key: tuple[str, ...] = ()
    peer_label: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    surprise: dict[str, float] = field(default_factory=dict)
    risk: float = 0.0
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RuleInfo:
    id: str
    title: str


def surprise(observed: float, expected: float) -> float:
    """How unlikely ``observed`` events (or severity-weighted events) are when ``expected``
    were due, in decimal digits: the exponent of the Poisson upper tail."""
    if observed <= expected or observed <= 0:
        return 0.0
    expected = max(expected, 1e-6)
    return (observed * math.log(observed / expected) - observed + expected) / math.log(10)


def risk_from(total: float) -> float:
    return round(100.0 * (1.0 - math.exp(-total / RISK_SCALE)), 1)


def tally(
    subjects: Mapping[str, Subject], exceptions: Iterable[Mapping[str, Any]], key: str
) -> None:
    """Count each subject's exceptions per rule, and their severity-weighted sum."""
    for row in exceptions:
        subject = subjects.get(str(row[key]))
        if subject is None:
            continue
        weight = float(row["severity"])
        if row["rule"] in LEARNING_RULES:
            weight *= _probation_factor(subject.hired_on, row["business_date"])
        subject.counts[row["rule"]] = subject.counts.get(row["rule"], 0) + 1
        subject.weights[row["rule"]] = subject.weights.get(row["rule"], 0.0) + weight


def _probation_factor(hired_on: date | None, business_date: Any) -> float:
    if hired_on is None or not business_date:
        return 1.0
    day = date.fromisoformat(str(business_date)[:10])
    return PROBATION_WEIGHT if 0 <= (day - hired_on).days < PROBATION_DAYS else 1.0


def assign_peers(subjects: Iterable[Subject], describe: Callable[[PeerKey], str]) -> None:
    """Give each subject the narrowest peer group with enough members: same role in the same
    region, else the same role chain-wide, else everyone."""
    everyone = list(subjects)
    sizes: Counter[PeerKey] = Counter()
    for subject in everyone:
        sizes.update(_levels(subject))
    for subject in everyone:
        for key in _levels(subject):
            if sizes[key] >= MIN_PEERS or key == ("everyone",):
                subject.peer_key = key
                subject.peer_label = describe(key)
                break


# Roles close enough to stand in for each other when a role has too few people to compare.
ROLE_FAMILIES = {
    "cashier": "front_end",
    "self_checkout": "front_end",
    "service_desk": "service_desk",
    "supervisor": "management",
    "manager": "management",
    "store": "store",
}


def _levels(subject: Subject) -> tuple[PeerKey, ...]:
    family = ROLE_FAMILIES.get(subject.role, "other")
    return (
        (subject.role, subject.region),
        (subject.role,),
        (f"family:{family}",),
        ("everyone",),
    )


def score(subjects: Mapping[str, Subject], rules: Mapping[str, RuleInfo], unit: str) -> None:
    """Surprise per rule against the peer rate, total risk, and the reasons, for everyone."""
    groups: dict[tuple[str, ...], list[Subject]] = defaultdict(list)
    for subject in subjects.values():
        groups[subject.peer_key].append(subject)
    for subject in subjects.values():
        peers = [p for p in groups[subject.peer_key] if p.id != subject.id] or [subject]
        contributions: list[tuple[float, str]] = []
        for rule_id, observed in subject.counts.items():
            expected = peer_rate(peers, rule_id) * max(subject.workload, 1)
            expected_weight = peer_rate(peers, rule_id, weighted=True) * max(subject.workload, 1)
            value = (
                surprise(subject.weights[rule_id], expected_weight)
                if observed >= MIN_EVENTS
                else 0.0
            )
            subject.surprise[rule_id] = round(value, 3)
            if value > 0:
                median = _median_rate(peers, rule_id)
                contributions.append((value, _reason(subject, rules[rule_id], observed,
                                                     expected, median, unit)))  # fmt: skip
        subject.risk = risk_from(sum(subject.surprise.values()))
        contributions.sort(key=lambda item: -item[0])
        subject.reasons = [text for _, text in contributions[:REASONS_SHOWN]]
        if not subject.reasons:
            subject.reasons = [f"nothing out of line with {subject.peer_label}"]


def peer_rate(peers: list[Subject], rule_id: str, *, weighted: bool = False) -> float:
    """Exceptions (or their severity-weighted sum) per unit of work in the peer group, each
    peer capped at the group's 90th percentile."""

    def amount(peer: Subject) -> float:
        return peer.weights.get(rule_id, 0.0) if weighted else float(peer.counts.get(rule_id, 0))

    rates = sorted(amount(p) / max(p.workload, 1) for p in peers)
    cap = _quantile(rates, CAP_QUANTILE)
    work = sum(max(p.workload, 1) for p in peers)
    events = sum(min(amount(p), cap * max(p.workload, 1)) for p in peers)
    # Half an event over the whole group: a rule no peer ever trips is rare, not impossible.
    return max(events, 0.5 if not weighted else 0.25) / work


def _median_rate(peers: list[Subject], rule_id: str) -> float:
    return statistics.median(p.counts.get(rule_id, 0) / max(p.workload, 1) for p in peers)


def _quantile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, math.ceil(q * len(sorted_values)) - 1)
    return sorted_values[max(index, 0)]


def _reason(
    subject: Subject, rule: RuleInfo, observed: int, expected: float, median: float, unit: str
) -> str:
    per = 1000
    return (
        f"{rule.title.lower()}: {observed} in {subject.workload:,} {unit} "
        f"({_per(observed, subject.workload, per)} per {per:,}; peer median "
        f"{_per(median * per, per, per)} among {subject.peer_label}; about {expected:.1f} expected)"
    )


def _per(count: float, workload: int, per: int) -> str:
    value = count / max(workload, 1) * per
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def ranked(subjects: Mapping[str, Subject]) -> list[Subject]:
    """Most in need of review first; ties by the larger workload, then id."""
    return sorted(subjects.values(), key=lambda s: (-s.risk, -sum(s.surprise.values()), s.id))
