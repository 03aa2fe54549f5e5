"""Shrink API: the latest analysis's hot spots with their reasons, and the recommendations,
which an LP manager accepts (into a corrective action) or rejects, with a note."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from vigil.core.apiauth import may
from vigil.core.pages import api_user
from vigil.core.roles import Capability
from vigil.core.scoping import get_visible_or_404
from vigil.shrink import analyses, recommendations
from vigil.shrink.models import Hotspot, Recommendation
from vigil.shrink.schemas import DecisionIn, HotspotOut, RecommendationOut

router = Router(tags=["shrink"])


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
