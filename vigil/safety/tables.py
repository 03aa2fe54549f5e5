"""Hazards and the OSHA Form 300 log as :mod:`vigil.core.lists` declares them.

The Form 300 keeps OSHA's column letters in its headers, so the page reads as the form a
safety manager posts and an inspector asks for. Column (B) never sorts: ordering the log by
employee name would place a privacy case (29 CFR 1904.29(b)(6)) among the names beside its
own, which is a way of reading the name the log withholds.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.html import format_html
from django_tables2 import A

from vigil.audits.models import ActionStatus
from vigil.audits.tables import by_name
from vigil.core.forms import DATE_INPUT as DATE
from vigil.core.lists import (
    ChoiceColumn,
    Column,
    DateColumn,
    LinkColumn,
    ListTable,
    NumberColumn,
    StoreColumn,
    TimeColumn,
)
from vigil.safety import osha
from vigil.safety.models import Hazard, InjuryCase, Severity

# --- hazards -------------------------------------------------------------------------------


def severity_word(code: str) -> str:
    """``High`` of "High (fix within two days)": the table's word; the form keeps the rest."""
    return str(Severity(code).label).split(" (", 1)[0] if code in Severity.values else code


class HazardFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        label="Search",
        widget=forms.SearchInput(attrs={"placeholder": "Number, where or what"}),
    )
    severity = forms.ChoiceField(
        required=False,
        choices=[("", "Any severity"), *((code, severity_word(code)) for code in Severity.values)],
    )
    status = forms.ChoiceField(
        required=False, label="Fix", choices=[("", "Any state"), *ActionStatus.choices]
    )
    since = forms.DateField(required=False, label="Reported from", widget=DATE)
    until = forms.DateField(required=False, label="Reported to", widget=DATE)


def filtered_hazards(found: QuerySet[Hazard], filters: dict[str, Any]) -> QuerySet[Hazard]:
    """``found`` (already scoped) narrowed by the hazard filters, newest first."""
    if q := str(filters.get("q", "")).strip():
        found = found.filter(
            Q(number__iexact=q) | Q(place__icontains=q) | Q(description__icontains=q)
        )
    if severity := filters.get("severity"):
        found = found.filter(severity=severity)
    if status := filters.get("status"):
        found = found.filter(action__status=status)
    if since := filters.get("since"):
        found = found.filter(reported_at__date__gte=since)
    if until := filters.get("until"):
        found = found.filter(reported_at__date__lte=until)
    return found.order_by("-reported_at", "-pk")


class HazardTable(ListTable):
    list_key = "hazards"
    list_url = "safety:hazard-list"
    export_name = "hazards"
    object_type = "safety.hazard"

    number = LinkColumn(
        verbose_name="Hazard", linkify=("safety:hazard-detail", [A("number")]), order_by="number"
    )
    reported_at = TimeColumn(verbose_name="Reported", order_by="reported_at")
    store = StoreColumn(order_by="store__code")
    place = Column(verbose_name="Where", order_by="place")
    description = Column(verbose_name="What", orderable=False, attrs={"td": {"class": "long-text"}})
    severity = Column(order_by="severity")
    fix = Column(verbose_name="Fix", accessor="action__status", order_by="action__status")
    reported_by = Column(verbose_name="Reporter", order_by=by_name("reported_by"))

    class Meta(ListTable.Meta):
        model = Hazard
        fields = ()

    def order_severity(self, found: QuerySet[Hazard], descending: bool) -> tuple[Any, bool]:
        """Worst first when descending: by rank, not by the words' alphabet."""
        rank = Case(
            *(When(severity=code, then=Value(i)) for i, code in enumerate(Severity.values)),
            output_field=IntegerField(),
        )
        ordered = found.annotate(severity_rank=rank).order_by(
            rank.desc() if descending else rank.asc(), "-pk" if descending else "pk"
        )
        return ordered, True

    def render_description(self, value: str) -> str:
        return value[:80] + ("…" if len(value) > 80 else "")

    def value_description(self, value: str) -> str:
        return value

    def render_severity(self, record: Hazard) -> str:
        return format_html(
            '<span class="badge severity-{}">{}</span>',
            record.severity,
            severity_word(record.severity),
        )

    def value_severity(self, record: Hazard) -> str:
        return severity_word(record.severity)

    def render_fix(self, record: Hazard) -> str:
        """The corrective action it raised, linked, with how far its fix has got."""
        action = record.action
        return format_html(
            '<a class="nowrap" href="{}">{}</a> <span class="badge status-{}">{}</span>',
            reverse("audits:action-detail", args=[action.number]),
            action.number,
            action.status,
            action.get_status_display(),
        )

    def value_fix(self, record: Hazard) -> str:
        return f"{record.action.number} {record.action.get_status_display()}"


# --- the OSHA Form 300 log -----------------------------------------------------------------


class InjuryLogTable(ListTable):
    """One establishment's Form 300 for one year: the page is addressed by store and year."""

    list_key = "osha-log"
    list_url = "safety:osha"
    export_name = "osha-300-log"
    object_type = "safety.injurycase"

    case_number = NumberColumn(
        verbose_name="(A) Case",
        order_by="case_number",
        attrs={"td": {"class": "num primary"}, "th": {"class": "num"}},
    )
    employee = Column(verbose_name="(B) Employee", accessor="pk", orderable=False)
    job_title = Column(verbose_name="(C) Job title", order_by="job_title")
    date_of_injury = DateColumn(
        verbose_name="(D) Date", order_by="date_of_injury", attrs={"td": {"class": "nowrap"}}
    )
    where_occurred = Column(verbose_name="(E) Where", order_by="where_occurred")
    description = Column(verbose_name="(F) Description", orderable=False)
    outcome = ChoiceColumn(verbose_name="(G-J) Outcome", order_by="outcome")
    days_away = NumberColumn(verbose_name="(K) Away", accessor="pk", order_by="days_away")
    days_restricted = NumberColumn(
        verbose_name="(L) Restricted", accessor="pk", order_by="days_restricted"
    )
    injury_type = ChoiceColumn(verbose_name="(M) Type", order_by="injury_type")

    class Meta(ListTable.Meta):
        model = InjuryCase
        fields = ()
        # Ten columns, as on OSHA's form: a smaller type keeps them on a desk's screen.
        attrs: ClassVar[dict[str, str]] = {"class": "striped cards list-table osha-300"}

    def render_employee(self, record: InjuryCase) -> str:
        """The name, or "privacy case" where the law withholds it."""
        return record.log_name

    value_employee = render_employee

    def render_days_away(self, record: InjuryCase) -> str:
        """Days counted on the log: 180 at most, away and restricted together."""
        return f"{osha.capped_days(record)[0]:,}"

    def value_days_away(self, record: InjuryCase) -> int:
        return osha.capped_days(record)[0]

    def render_days_restricted(self, record: InjuryCase) -> str:
        return f"{osha.capped_days(record)[1]:,}"

    def value_days_restricted(self, record: InjuryCase) -> int:
        return osha.capped_days(record)[1]
