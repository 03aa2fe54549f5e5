"""Report pages: the LP manager's dashboard, the one-page executive summary (and its PDF),
and the store risk ranking."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from vigil.audits.actions import overdue as overdue_actions
from vigil.audits.models import CorrectiveAction
from vigil.cases.models import Case, CaseStatus
from vigil.core.pages import signed_in_user
from vigil.core.storeswitch import in_current_store
from vigil.pos.models import PosException
from vigil.reports import mailing, risk
from vigil.reports.summary import Month, build
from vigil.shrink import analyses
from vigil.shrink.models import Hotspot, Recommendation, RecommendationStatus
from vigil.training.courses import overdue as overdue_training
from vigil.training.models import Assignment
from vigil.video.models import Alert, AlertStatus


def _month(request: HttpRequest) -> Month:
    try:
        return Month.parse(request.GET.get("month"))
    except ValueError:
        raise Http404("Give the month as YYYY-MM.") from None


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """What needs an LP manager today: hot spots, decisions, risky stores, open queues."""
    user = signed_in_user(request)
    analysis = analyses.latest(user)
    hotspots = in_current_store(request, Hotspot.objects.visible_to(user))
    proposed = in_current_store(request, Recommendation.objects.visible_to(user)).filter(
        status=RecommendationStatus.PROPOSED
    )
    actions = in_current_store(request, CorrectiveAction.objects.visible_to(user))
    queues = {
        "POS exceptions to review": in_current_store(
            request, PosException.objects.visible_to(user).to_review()
        ).count(),
        "Camera and EAS alerts not handled": in_current_store(
            request, Alert.objects.visible_to(user)
        )
        .filter(status=AlertStatus.NEW)
        .count(),
        "Open cases": in_current_store(request, Case.objects.visible_to(user))
        .exclude(status=CaseStatus.CLOSED)
        .count(),
        "Corrective actions overdue": overdue_actions(actions).count(),
        "Training assignments overdue": overdue_training(
            in_current_store(request, Assignment.objects.visible_to(user))
        ).count(),
    }
    return render(
        request,
        "reports/dashboard.html",
        {
            "analysis": analysis,
            "hotspots": hotspots.filter(analysis=analysis).select_related("store")[:5]
            if analysis
            else [],
            "proposed": proposed.select_related("store")[:10],
            "risky": risk.ranking(user)[:5],
            "queues": queues,
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
    return render(
        request,
        "reports/store_risk.html",
        {"ranking": risk.ranking(user), "weights": risk.WEIGHTS, "today": timezone.localdate()},
    )
