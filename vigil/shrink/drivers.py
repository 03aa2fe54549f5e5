"""Why a hot spot loses: the other signals Vigil holds for its store and period.

The engine says how far a store x department stands above the chain; this module adds what
only the web app knows, each as numbers and a sentence, and marks the ones worth acting on:

- **POS exceptions** of the data set's latest scan at the store, against the median store;
- **tagging compliance**: the EAS walks' tagging item for the department (``tag-razors``…);
- **camera alerts** at the store, against the median store;
- **incidents** of theft recorded at the store: the *known* part of its shrink.

The period is the counted one: from the data set's first day to the last count.
"""

from __future__ import annotations

import datetime as dt
from statistics import median
from typing import Any

from django.db.models import Count, Q

from vigil.audits.models import Answer, WalkStatus
from vigil.pos.models import DataSet, PosException, ScanStatus
from vigil.shrink.figures import theft_losses
from vigil.shrink.models import Hotspot
from vigil.video.models import Alert

NOTABLE_RATIO = 1.25  # this far above the median store is worth saying
TAGGING_TARGET = 0.90  # tagging compliance below this is a finding
MIN_ALERTS = 3
# The EAS checklist's tagging item that covers each department.
TAGGING_ITEMS = {
    "razors": "tag-razors",
    "cosmetics": "tag-cosmetics",
    "fragrance": "tag-cosmetics",
    "electronics": "tag-electronics",
    "apparel": "tag-apparel",
}


def of(hotspot: Hotspot, data_set: DataSet, eas_ratio: float | None) -> dict[str, Any]:
    """Every signal's numbers for ``hotspot``, each with its sentence and whether it matters."""
    start, end = hotspot.analysis.period
    store_ids = list(hotspot.analysis.stores.values_list("pk", flat=True))
    found = {
        "pos": _pos(hotspot, data_set, store_ids),
        "tagging": _tagging(hotspot, start, end),
        "alerts": _alerts(hotspot, store_ids, start, end),
        "incidents": _incidents(hotspot, start, end),
    }
    if eas_ratio is not None:
        found["eas"] = {
            "ratio": eas_ratio,
            "notable": eas_ratio >= NOTABLE_RATIO,
            "text": f"EAS alarms at {hotspot.store.code} are {eas_ratio:.1f}x the chain's daily "
            "median",
        }
    return found


def _times_median(mine: int, everyone: list[int]) -> float | None:
    middle = median(everyone) if everyone else 0
    return mine / middle if middle else None


def _pos(hotspot: Hotspot, data_set: DataSet, store_ids: list[int]) -> dict[str, Any]:
    scan = data_set.scans.filter(status=ScanStatus.DONE).order_by("-finished_at").first()
    code = hotspot.store.code
    if scan is None:
        return {"notable": False, "text": f"no POS scan of the data set to compare {code} with"}
    # The leads at these stores in the data set's days, whichever export brought them: an
    # overlapping export's transactions are counted once.
    in_period = PosException.objects.raised().filter(
        business_date__range=(data_set.first_day, data_set.last_day)
    )
    per_store = dict(
        in_period.filter(store_id__in=store_ids)
        .values_list("store_id")
        .annotate(n=Count("pk"))
        .values_list("store_id", "n")
    )
    mine = per_store.get(hotspot.store_id, 0)
    ratio = _times_median(mine, [per_store.get(pk, 0) for pk in store_ids])
    top = (
        in_period.filter(store_id=hotspot.store_id)
        .values_list("rule_title")
        .annotate(n=Count("pk"))
        .order_by("-n", "rule_title")[:2]
    )
    most = ", ".join(f"{title} {n}" for title, n in top)
    text = f"{mine} POS exceptions at {code} in the period"
    if ratio is not None:
        text += f", {ratio:.1f}x the median store"
    if most:
        text += f" (most: {most})"
    return {
        "scan": scan.pk,
        "count": mine,
        "ratio": ratio,
        "notable": ratio is not None and ratio >= NOTABLE_RATIO,
        "text": text,
    }


def _tagging(hotspot: Hotspot, start: dt.date, end: dt.date) -> dict[str, Any]:
    item = TAGGING_ITEMS.get(hotspot.department)
    code = hotspot.store.code
    if item is None:
        return {"notable": False, "text": f"no EAS checklist item checks {hotspot.department}"}
    answers = Answer.objects.filter(
        item_key=item,
        value__in=("yes", "no"),
        walk__status=WalkStatus.COMPLETED,
        walk__completed_at__date__range=(start, end),
    )
    here = answers.filter(walk__store_id=hotspot.store_id).aggregate(
        walks=Count("pk"), tagged=Count("pk", filter=Q(value="yes"))
    )
    chain = answers.aggregate(walks=Count("pk"), tagged=Count("pk", filter=Q(value="yes")))
    if not here["walks"]:
        return {"notable": False, "item": item, "text": f"no EAS walks at {code} checked {item}"}
    compliance = here["tagged"] / here["walks"]
    chain_compliance = chain["tagged"] / chain["walks"]
    return {
        "item": item,
        "walks": here["walks"],
        "compliance": round(compliance, 4),
        "chain_compliance": round(chain_compliance, 4),
        "notable": compliance < TAGGING_TARGET,
        "text": f"tagging compliance for {hotspot.department} at {code} was "
        f"{compliance * 100:.0f} % in {here['walks']} EAS walks vs "
        f"{chain_compliance * 100:.0f} % chain-wide",
    }


def _alerts(hotspot: Hotspot, store_ids: list[int], start: dt.date, end: dt.date) -> dict[str, Any]:
    per_store = dict(
        Alert.objects.filter(store_id__in=store_ids, started_at__date__range=(start, end))
        .values_list("store_id")
        .annotate(n=Count("pk"))
        .values_list("store_id", "n")
    )
    mine = per_store.get(hotspot.store_id, 0)
    ratio = _times_median(mine, [per_store.get(pk, 0) for pk in store_ids])
    text = f"{mine} camera and EAS alerts at {hotspot.store.code} in the period"
    if ratio is not None:
        text += f", {ratio:.1f}x the median store"
    return {
        "count": mine,
        "ratio": ratio,
        "notable": mine >= MIN_ALERTS and (ratio is None or ratio >= NOTABLE_RATIO),
        "text": text,
    }


def _incidents(hotspot: Hotspot, start: dt.date, end: dt.date) -> dict[str, Any]:
    count, lost = theft_losses([hotspot.store_id], start, end)
    return {
        "count": count,
        "net_loss": str(lost),
        "notable": count > 0,
        "text": f"{count} theft incident{'' if count == 1 else 's'} at {hotspot.store.code} "
        "in the period, "
        f"{lost:,.2f} lost net of recoveries (known shrink)",
    }
