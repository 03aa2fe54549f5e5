"""Shrink API: the shrink of a month (or of an analysis's whole counted period), the latest
analysis's hot spots with their reasons, and the recommendations, which an LP manager
accepts (into a corrective action) or rejects, with a note."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.pagination import paginate

from vigil.core.apiauth import may
from vigil.core.pages import api_user
from vigil.core.roles import Capability
from vigil.core.scoping import get_visible_or_404
from vigil.shrink import analyses, periods, recommendations
from vigil.shrink.models import Hotspot, Recommendation, ShrinkAnalysis
from vigil.shrink.schemas import DecisionIn, HotspotOut, PeriodShrinkOut, RecommendationOut

router = Router(tags=["shrink"])


@router.get("/shrink/figures", response=PeriodShrinkOut)
def shrink_figures(
    request: HttpRequest, month: str = "", analysis: int | None = None
) -> periods.PeriodShrink:
    """Shrink in the caller's stores: the counts of ``month`` (``YYYY-MM``), or of the
    analysis's whole counted period; the same figures as the shrink page and the executive
    summary. ``analysis`` picks one (the newest with counts in the month by default)."""
    user = api_user(request)
    chosen = (
        get_visible_or_404(ShrinkAnalysis.objects.all(), user, pk=analysis)
        if analysis is not None
        else None
    )
    if month:
        try:
            start, end = periods.month_of(month)
        except ValueError:
            raise ValidationError({"month": "Give the month as YYYY-MM."}) from None
        return periods.of_period(user, start, end, chosen)
    chosen = chosen or analyses.latest(user)
    if chosen is None:
        today = timezone.localdate()
        return periods.PeriodShrink(today, today)
    start, end = chosen.period
    return periods.of_period(user, start, end, chosen)


@router.get("/shrink/hotspots", response=list[HotspotOut])
def list_hotspots(request: HttpRequest) -> QuerySet[Hotspot]:
    """The latest analysis's hot spots in the caller's stores, highest rank first."""
    user = api_user(request)
    analysis = analyses.latest(user)
    found = Hotspot.objects.visible_to(user).filter(analysis=analysis)
    return found.select_related("store", "analysis")


@router.get("/shrink/recommendations", response=list[RecommendationOut])
@paginate
def list_recommendations(request: HttpRequest, status: str = "") -> QuerySet[Recommendation]:
    found = Recommendation.objects.visible_to(api_user(request))
    found = found.select_related("store", "hotspot", "action")
    return found.filter(status=status) if status else found


@router.post(
    "/shrink/recommendations/{recommendation_number}/decision",
    response=RecommendationOut,
    auth=may(Capability.INVESTIGATE),
)
def decide(request: HttpRequest, recommendation_number: str, payload: DecisionIn) -> Recommendation:
    user = api_user(request)
    found = Recommendation.objects.select_related("store", "hotspot", "action")
    recommendation = get_visible_or_404(found, user, number=recommendation_number)
    return recommendations.decide(user, recommendation, payload.decision == "accept", payload.note)
