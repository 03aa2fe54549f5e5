"""Report pages: the LP manager's dashboard, the one-page executive summary (and its PDF),
and the store risk ranking."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from vigil.core.pages import signed_in_user
from vigil.core.storeswitch import current_store, in_current_store
from vigil.reports import charting, dashboards, mailing, risk
from vigil.reports.summary import Month, build
from vigil.shrink import analyses
from vigil.shrink.models import Hotspot, Recommendation, RecommendationStatus

TOP = 5


def _month(request: HttpRequest) -> Month:
    try:
        return Month.parse(request.GET.get("month"))
    except ValueError:
        raise Http404("Give the month as YYYY-MM.") from None


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """What needs an LP manager today: open queues, hot spots, decisions, risky stores and
    the trends behind them."""
    user = signed_in_user(request)
    store = current_store(request)
    analysis = analyses.latest(user)
    hotspots = (
        list(
            in_current_store(request, Hotspot.objects.visible_to(user))
            .filter(analysis=analysis)
            .select_related("store")[:TOP]
        )
        if analysis
        else []
    )
    proposed = in_current_store(request, Recommendation.objects.visible_to(user)).filter(
        status=RecommendationStatus.PROPOSED
    )
    ranking = [r for r in risk.ranking(user) if store is None or r.store.pk == store.pk]
    today = timezone.localdate()
    return render(
        request,
        "reports/dashboard.html",
        {
            "analysis": analysis,
            "queue": dashboards.queue(user, store, today),
            "hotspots": hotspots,
            "hotspot_chart": charting.hotspot_chart(hotspots),
            "proposed": proposed.select_related("store", "hotspot")[:10],
            "risk_chart": charting.risk_chart(ranking[:TOP], "Riskiest stores"),
            "charts": dashboards.trends(user, store, today).charts,
        },
    )


@login_required
@require_GET
def executive(request: HttpRequest) -> HttpResponse:
    """The month on one page: shrink, incidents, cases, audits, training, store risk."""
    user = signed_in_user(request)
    month = _month(request)
    return render(request, "reports/executive.html", {"summary": build(user, month)})


@login_required
@require_GET
def executive_pdf(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    month = _month(request)
    response = HttpResponse(mailing.executive_pdf(user, month), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="vigil-summary-{month.key}.pdf"'
    return response


@login_required
@require_GET
def store_risk(request: HttpRequest) -> HttpResponse:
    """Every store in view, riskiest first, with the signals behind its score."""
    user = signed_in_user(request)
    ranking = risk.ranking(user)
    return render(
        request,
        "reports/store_risk.html",
        {
            "ranking": [(row, charting.has_data(row)) for row in ranking],
            "chart": charting.risk_chart(ranking),
            "weights": {
                charting.SIGNAL_NAMES.get(name, name): weight
                for name, weight in risk.WEIGHTS.items()
            },
            "today": timezone.localdate(),
        },
    )
