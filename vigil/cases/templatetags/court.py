"""Template helpers of the case page's court and civil recovery panel: ``{% load court %}``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce

from vigil.cases import civil
from vigil.cases.models import Case, CivilDemand, CourtOutcome, Hearing

register = template.Library()


@dataclass(frozen=True)
class CourtPanel:
    hearings: list[Hearing]
    outcome: CourtOutcome | None
    demands: Sequence[CivilDemand]
    totals: civil.Totals


@register.simple_tag
def court_panel(case: Case) -> CourtPanel:
    """``{% court_panel case as court %}``: the case's court dates, outcome and civil demands
    with their totals, in three queries however many there are."""
    money: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=2)
    demands = list(
        CivilDemand.objects.filter(case=case).annotate(
            paid=Coalesce(Sum("payments__amount"), Value(Decimal(0)), output_field=money)
        )
    )
    totals = civil.Totals(
        demands=len(demands),
        demanded=sum((demand.amount for demand in demands), civil.ZERO),
        paid=sum((demand.paid for demand in demands), civil.ZERO),
    )
    return CourtPanel(
        hearings=list(case.hearings.select_related("attendee")),
        outcome=CourtOutcome.objects.filter(case=case).first(),
        demands=demands,
        totals=totals,
    )
