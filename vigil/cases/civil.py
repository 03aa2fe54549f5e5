"""Civil recovery: a demand under the store's state statute, its letters and its payments.

The statutes are data (``data/civil_recovery.yaml``): each names its citation and source and
the rule that gives the amount (the retail value not recovered, capped or multiplied, plus a
civil penalty within the statute's range, never under its minimum). :func:`compute` applies
the rule and says how, line by line; the letter prints those lines. :func:`totals` is what the
case page and any report call for what was demanded, paid and is still outstanding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from pydantic import BaseModel, ConfigDict, Field

from vigil.cases.models import Case, CivilDemand, CivilLetter, CivilPayment, DemandStatus
from vigil.core import clock
from vigil.core.models import Store, User
from vigil.core.pdf import render_pdf
from vigil.core.roles import Capability, require

DATA = Path(__file__).with_name("data") / "civil_recovery.yaml"
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class Penalty(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min: Decimal = Field(ge=0)
    max: Decimal = Field(ge=0)
    max_times_retail: Decimal | None = Field(default=None, ge=0)
    max_at_least: Decimal | None = Field(default=None, ge=0)

    def most(self, retail_value: Decimal) -> Decimal:
        """The largest penalty the statute allows for goods of ``retail_value``."""
        if self.max_times_retail is None:
            return self.max
        scaled = max(self.max_at_least or ZERO, self.max_times_retail * retail_value)
        return min(self.max, scaled)


class AmountRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    value: Literal["unrecovered"]
    value_cap: Decimal | None = Field(default=None, ge=0)
    multiplier: Decimal = Field(default=Decimal(1), ge=1)
    penalty: Penalty | None = None
    minimum: Decimal = Field(default=ZERO, ge=0)


class Statute(BaseModel):
    """One state's civil recovery statute, as shipped."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    state: str = Field(pattern=r"^[A-Z]{2}$")
    name: str
    citation: str
    title: str
    source: str = Field(pattern=r"^https?://")
    summary: str
    amount: AmountRule
    deadline_days: int = Field(ge=1, le=365)
    deadline_basis: Literal["statute", "practice"]


class StatuteBook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    reviewed: dt.date
    statutes: list[Statute] = Field(min_length=1)


@cache
def book() -> StatuteBook:
    """The shipped statutes, read and checked once."""
    return StatuteBook.model_validate(yaml.safe_load(DATA.read_text(encoding="utf-8")))


def statutes() -> dict[str, Statute]:
    """Every shipped statute by state code, in the file's order."""
    return {statute.state: statute for statute in book().statutes}


def statute(state: str) -> Statute:
    """The statute of ``state`` (its postal code); a field error when none is shipped."""
    found = statutes().get(state.strip().upper())
    if found is None:
        known = ", ".join(statutes())
        message = f"No civil recovery statute is shipped for {state!r}; choose one of {known}."
        raise ValidationError({"state": message})
    return found


def state_of(store: Store) -> str:
    """The store's state as a postal code, when it is one Vigil ships a statute for."""
    given = (store.state or "").strip()
    for code, known in statutes().items():
        if given.upper() == code or given.lower() == known.name.lower():
            return code
    return ""


@dataclass(frozen=True)
class Computation:
    """An amount and how it was reached, as ``(what, amount)`` lines."""

    lines: list[tuple[str, Decimal]]
    penalty: Decimal
    total: Decimal


def compute(
    rule_of: Statute,
    retail_value: Decimal,
    recovered_value: Decimal = ZERO,
    penalty: Decimal | None = None,
) -> Computation:
    """The amount ``rule_of`` allows for goods of ``retail_value`` (``recovered_value`` of
    them back in sellable condition). ``penalty`` defaults to the most the statute allows;
    one outside its range is a field error."""
    rule = rule_of.amount
    if recovered_value > retail_value:
        raise ValidationError(
            {"recovered_value": "The value recovered cannot be more than the value taken."}
        )
    unrecovered = retail_value - recovered_value
    lines = [("Retail value not recovered in sellable condition", _money(unrecovered))]
    damages = unrecovered
    if rule.value_cap is not None and damages > rule.value_cap:
        damages = rule.value_cap
        lines.append((f"Capped by the statute at ${rule.value_cap:,.2f}", _money(damages)))
    if rule.multiplier != 1:
        damages = damages * rule.multiplier
        lines.append((f"Damages times {rule.multiplier:g}", _money(damages)))
    chosen = _penalty(rule.penalty, retail_value, penalty)
    if rule.penalty is not None:
        most = rule.penalty.most(retail_value)
        lines.append((f"Civil penalty (${rule.penalty.min:,.2f} to ${most:,.2f})", chosen))
    total = damages + chosen
    if total < rule.minimum:
        lines.append((f"Raised to the statute's minimum of ${rule.minimum:,.2f}", rule.minimum))
        total = rule.minimum
    return Computation(lines=lines, penalty=chosen, total=_money(total))


def _penalty(rule: Penalty | None, retail_value: Decimal, asked: Decimal | None) -> Decimal:
    if rule is None:
        if asked:
            raise ValidationError({"penalty": "This statute allows no civil penalty."})
        return ZERO
    most = rule.most(retail_value)
    if asked is None:
        return _money(most)
    if not rule.min <= asked <= most:
        raise ValidationError(
            {"penalty": f"The statute allows a penalty of ${rule.min:,.2f} to ${most:,.2f}."}
        )
    return _money(asked)


def _money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def make_demand(user: User, case: Case, fields: Mapping[str, Any]) -> CivilDemand:
    """A civil demand of the case under ``fields["state"]``'s statute, amount computed."""
    require(user, Capability.INVESTIGATE)
    law = statute(str(fields.get("state", "")))
    retail = Decimal(fields["retail_value"])
    recovered = Decimal(fields.get("recovered_value") or ZERO)
    result = compute(law, retail, recovered, fields.get("penalty"))
    demand = CivilDemand(
        case=case,
        state=law.state,
        citation=law.citation,
        addressee=str(fields.get("addressee", "")).strip(),
        address=str(fields.get("address", "")).strip(),
        retail_value=retail,
        recovered_value=recovered,
        penalty=result.penalty,
        amount=result.total,
        computation=[[what, str(amount)] for what, amount in result.lines],
        deadline_days=law.deadline_days,
        created_by=user,
    )
    demand.full_clean()
    demand.save()
    return demand


def suggested_values(case: Case) -> dict[str, Any]:
    """What a new demand starts from: the state of the lead store, the linked incidents'
    merchandise taken and recovered, the first linked subject's name."""
    from vigil.cases.models import Incident

    incidents = Incident.objects.filter(case_links__case=case)
    sums = incidents.aggregate(taken=Sum("merchandise_value"), back=Sum("recovered_value"))
    subject = case.links.filter(subject__isnull=False).select_related("subject").first()
    return {
        "state": state_of(case.store),
        # SQLite sums decimals as floats: back to cents for the form.
        "retail_value": _money(Decimal(str(sums["taken"] or ZERO))),
        "recovered_value": _money(Decimal(str(sums["back"] or ZERO))),
        "addressee": subject.subject.name if subject and subject.subject else "",
    }


def letter_pdf(demand: CivilDemand, sent_on: dt.date | None = None, draft: bool = True) -> bytes:
    """The demand letter as it reads on ``sent_on`` (today on the store's calendar)."""
    store = demand.case.store
    sent_on = sent_on or clock.today_at(store)
    incident_links = demand.case.links.filter(incident__isnull=False).select_related("incident")
    context = {
        "demand": demand,
        "case": demand.case,
        "statute": statute(demand.state),
        "lines": [(what, Decimal(amount)) for what, amount in demand.computation],
        "sent_on": sent_on,
        "due_on": sent_on + dt.timedelta(days=demand.deadline_days),
        "draft": draft,
        "paid": paid(demand),
        "balance": outstanding(demand),
        "incidents": [link.incident for link in incident_links],
    }
    return render_pdf("cases/civil_letter.html", context, store)


def send_letter(user: User, demand: CivilDemand) -> CivilLetter:
    """Record a letter sent today (the store's calendar), keeping the very PDF that went."""
    require(user, Capability.INVESTIGATE)
    if demand.status != DemandStatus.OPEN:
        raise ValidationError("This demand is paid in full; no further letter is needed.")
    sent_on = clock.today_at(demand.case.store)
    with transaction.atomic():
        number = demand.letters.count() + 1
        pdf = letter_pdf(demand, sent_on, draft=False)
        return CivilLetter.objects.create(
            demand=demand,
            number=number,
            sent_on=sent_on,
            due_on=sent_on + dt.timedelta(days=demand.deadline_days),
            amount=outstanding(demand),
            pdf=pdf,
            sent_by=user,
        )


def record_payment(user: User, demand: CivilDemand, fields: Mapping[str, Any]) -> CivilPayment:
    """Money received against the demand; paid in full closes it as paid."""
    require(user, Capability.INVESTIGATE)
    received_on = fields.get("received_on")
    today = clock.today_at(demand.case.store)
    if isinstance(received_on, dt.date) and received_on > today:
        raise ValidationError({"received_on": "A payment cannot be received after today."})
    with transaction.atomic():
        payment = CivilPayment(demand=demand, recorded_by=user, **dict(fields))
        payment.full_clean()
        payment.save()
        if outstanding(demand) <= ZERO and demand.status != DemandStatus.PAID:
            demand.status = DemandStatus.PAID
            demand.save()
    return payment


def paid(demand: CivilDemand) -> Decimal:
    return _money(demand.payments.aggregate(s=Sum("amount"))["s"] or ZERO)


def outstanding(demand: CivilDemand) -> Decimal:
    return max(ZERO, demand.amount - paid(demand))


@dataclass(frozen=True)
class Totals:
    """Civil recovery figures: demands made, what they demanded, what was paid, what is not."""

    demands: int
    demanded: Decimal
    paid: Decimal

    @property
    def outstanding(self) -> Decimal:
        return max(ZERO, self.demanded - self.paid)


def totals_of(demands: QuerySet[CivilDemand]) -> Totals:
    """The totals of these demands (payments to date on each)."""
    made = demands.aggregate(n=Count("pk"), s=Sum("amount"))
    received = CivilPayment.objects.filter(demand__in=demands).aggregate(s=Sum("amount"))["s"]
    return Totals(
        demands=made["n"], demanded=_money(made["s"] or ZERO), paid=_money(received or ZERO)
    )


def case_totals(case: Case) -> Totals:
    return totals_of(CivilDemand.objects.filter(case=case))


def totals(
    stores: Iterable[Store] | QuerySet[Store],
    period: tuple[dt.date, dt.date] | None = None,
) -> Totals:
    """Civil recovery of demands made at ``stores``' cases (in ``period``, first and last
    day inclusive, when given), with every payment received on them to date."""
    # A queryset of stores stays a subquery: the totals are two queries however many stores.
    chosen = stores if isinstance(stores, QuerySet) else list(stores)
    demands = CivilDemand.objects.filter(case__store__in=chosen)
    if period is not None:
        demands = demands.filter(created_at__date__range=period)
    return totals_of(demands)
