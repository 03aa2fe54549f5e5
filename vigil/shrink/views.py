"""Shrink pages: where the stores in view lose inventory (over an analysis or one month's
counts), each hot spot with its items and reasons, an item's count history, the high-risk
item programme, and the recommendations."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from vigil.core import charts
from vigil.core.models import Store
from vigil.core.pages import signed_in_user
from vigil.core.roles import Capability, can
from vigil.core.scoping import get_visible_or_404
from vigil.core.storeswitch import current_store, in_current_store
from vigil.core.writes import writes
from vigil.shrink import analyses, charting, figures, periods, programme, recommendations
from vigil.shrink.models import (
    CountLine,
    Hotspot,
    Recommendation,
    RecommendationStatus,
    ShrinkAnalysis,
)

TOP_DEPARTMENTS = 8


def _analysis(request: HttpRequest, newest: bool = True) -> ShrinkAnalysis | None:
    """The analysis ``?analysis=`` names, else (``newest``) the newest the user may see."""
    user = signed_in_user(request)
    chosen = request.GET.get("analysis", "")
    if chosen.isdigit():
        return get_visible_or_404(ShrinkAnalysis.objects.all(), user, pk=int(chosen))
    return analyses.latest(user) if newest else None


def _month(request: HttpRequest) -> tuple[dt.date, dt.date] | None:
    """The month ``?month=YYYY-MM`` names, or ``None`` for the whole counted period."""
    text = request.GET.get("month", "")
    if not text:
        return None
    try:
        return periods.month_of(text)
    except ValueError:
        raise Http404("Give the month as YYYY-MM.") from None


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Shrink of the stores in view, over an analysis's whole counted period or one month's
    counts (``?month=``, the figures the executive summary shows): totals, trend, stores,
    departments, hot spots."""
    user = signed_in_user(request)
    month = _month(request)
    analysis = _analysis(request, newest=month is None)
    if month is not None and analysis is None:
        analysis = analyses.covering(user, *month)
    context: dict[str, object] = {"analysis": analysis, "month": month}
    if analysis is not None:
        chosen = current_store(request)
        start, end = month or analysis.period
        shrunk = periods.of_period(user, start, end, analysis, chosen)
        hotspots = in_current_store(request, Hotspot.objects.visible_to(user)).filter(
            analysis=analysis
        )
        context |= {
            "total": shrunk.total,
            "split": shrunk.split,
            "stores": shrunk.stores,
            "departments": shrunk.departments,
            "hotspots": hotspots.select_related("store", "recommendation"),
            "chain_on_book": shrunk.chain_rate,
            "currency": charts.installation_currency(),
            "months": [(p.key, p.label) for p in figures.chain_by_period(analysis)],
            "trend_chart": charting.trend(
                analysis,
                in_current_store(request, figures.lines_of(analysis, user)),
                f"{chosen.code} {chosen.name}" if chosen else "Stores in view",
            ),
            "store_chart": charting.stores(shrunk.stores, shrunk.chain_rate or 0.0),
            "department_chart": charting.departments(
                shrunk.departments[:TOP_DEPARTMENTS], "Departments losing the most at cost"
            ),
            "analyses": ShrinkAnalysis.objects.visible_to(user).select_related("data_set")[:12],
        }
    return render(request, "shrink/overview.html", context)


@login_required
@require_GET
def hotspot_detail(request: HttpRequest, hotspot_id: int) -> HttpResponse:
    """A hot spot's reasons and drivers, its items, and its recommendation."""
    user = signed_in_user(request)
    hotspot = get_visible_or_404(
        Hotspot.objects.select_related("store", "analysis__data_set"), user, pk=hotspot_id
    )
    lines = CountLine.objects.visible_to(user).filter(
        analysis=hotspot.analysis, store=hotspot.store, department=hotspot.department
    )
    items = programme.hot_products(
        hotspot.analysis, hotspot.store, limit=200, department=hotspot.department
    )
    return render(
        request,
        "shrink/hotspot.html",
        {
            "hotspot": hotspot,
            "items": items,
            "periods": figures.by_period(lines),
            "recommendation": Recommendation.objects.filter(hotspot=hotspot)
            .select_related("action", "decided_by")
            .first(),
            "can_decide": can(user, Capability.INVESTIGATE),
        },
    )


@login_required
@require_GET
def item_detail(request: HttpRequest, store_code: str, sku: str) -> HttpResponse:
    """One item's cycle counts at one store over time: book, found, lost, accuracy."""
    user = signed_in_user(request)
    store = get_visible_or_404(Store.objects.all(), user, code=store_code)
    analysis = _analysis(request)
    if analysis is None:
        raise Http404("No shrink analysis yet.")
    counts = list(
        CountLine.objects.visible_to(user)
        .filter(analysis=analysis, store=store, sku=sku)
        .order_by("count_date")
    )
    if not counts:
        raise Http404("That item was not counted at that store.")
    lost = sum(c.shrink_units for c in counts)
    book = sum(c.book_qty for c in counts)
    return render(
        request,
        "shrink/item.html",
        {
            "store": store,
            "sku": sku,
            "department": counts[0].department,
            "counts": counts,
            "analysis": analysis,
            "frequency": programme.frequency(
                float(lost / book) if book else 0.0,
                analysis.hotspots.filter(store=store, department=counts[0].department).exists(),
            ),
            "chart": charting.item_counts(counts, sku, store.code),
        },
    )


@login_required
@require_GET
def item_programme(request: HttpRequest) -> HttpResponse:
    """Each store's hot-product list (by cost or by units) and how often to count it."""
    user = signed_in_user(request)
    analysis = _analysis(request)
    by = "units" if request.GET.get("by") == "units" else "cost"
    chosen = current_store(request)
    lists = []
    if analysis is not None:
        counted = analysis.stores.filter(pk__in=Store.objects.visible_to(user).values("pk"))
        if chosen is not None:
            counted = counted.filter(pk=chosen.pk)
        counted = counted.order_by("code")
        lists = [(store, programme.hot_products(analysis, store, by=by)) for store in counted]
    return render(
        request,
        "shrink/programme.html",
        {"analysis": analysis, "lists": lists, "by": by},
    )


@login_required
@require_GET
def recommendation_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    found = in_current_store(request, Recommendation.objects.visible_to(user))
    status = request.GET.get("status", RecommendationStatus.PROPOSED)
    if status in RecommendationStatus.values:
        found = found.filter(status=status)
    return render(
        request,
        "shrink/recommendations.html",
        {
            "recommendations": found.select_related("store", "hotspot", "action")[:200],
            "status": status,
            "statuses": RecommendationStatus.choices,
        },
    )


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def recommendation_decide(request: HttpRequest, recommendation_number: str) -> HttpResponse:
    user = signed_in_user(request)
    recommendation = get_visible_or_404(
        Recommendation.objects.all(), user, number=recommendation_number
    )
    accept = request.POST.get("decision") == "accept"
    try:
        recommendations.decide(user, recommendation, accept, request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if accept and recommendation.action is not None:
            messages.success(
                request, f"Accepted: corrective action {recommendation.action.number} opened."
            )
        else:
            messages.success(request, f"{recommendation.number} rejected; the note is kept.")
    return redirect("shrink:hotspot-detail", recommendation.hotspot_id)
