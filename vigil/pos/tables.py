"""The POS lists as :mod:`vigil.core.lists` declares them: the lead report and the ranking.

The lead report's page columns are what a reviewer reads (the rule's title, when on the
store's clock, the employee by name, the review as a badge); its export keeps the columns the
report has always exported, under the same headers and in the same order (``store``,
``business_date``, ``at``, ... ``review_note``), because LP analysts' spreadsheets read them by
name and position; the words a person reads (store and employee names, the review's label,
the reason) follow after them. Page columns sort on indexed fields only (see the model's
indexes), so a sorted page of a million leads is an index scan, not a sort of the table.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any, ClassVar

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django_tables2 import A

from vigil.core import clock
from vigil.core.lists import (
    Column,
    LinkColumn,
    ListTable,
    MoneyColumn,
    NumberColumn,
    StatusColumn,
)
from vigil.core.models import EmployeeRole
from vigil.core.roles import Capability, can
from vigil.pos.amounts import COLUMN_NOTE
from vigil.pos.models import EmployeeRisk, PosException


def lead_time(lead: PosException) -> str:
    """When the transaction rang, on the store's clock with its zone (``2026-03-02 10:00 CST``).

    The data writes the time with its offset; one without an offset is the store's wall clock.
    """
    try:
        moment = datetime.fromisoformat(lead.at_text)
    except ValueError:
        return lead.at_text or clock.NOTHING
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=clock.zone_of(lead.store))
    return clock.at_store(moment, lead.store)


# A clock time in a rule's words ("sale at 22:16, outside store hours"), with no zone after it.
_BARE_TIME = re.compile(
    r"\b(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?\b(?!\s*(?:[A-Z]{2,5}\b|[+-]\d|UTC))"
)


def lead_detail(lead: PosException) -> str:
    """What the rule found, its clock times named with the store's zone: the rules quote the
    transaction's own time, which is the store's wall clock."""
    if not _BARE_TIME.search(lead.detail):
        return lead.detail
    try:
        moment = datetime.fromisoformat(lead.at_text)
    except ValueError:
        moment = datetime.combine(lead.business_date, time(12))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=clock.zone_of(lead.store))
    zone = clock.local(moment, lead.store).tzname()
    return _BARE_TIME.sub(lambda found: f"{found.group(0)} {zone}", lead.detail)


def _export(header: str, **kwargs: Any) -> Column:
    """A column of the export only: its header is the export's, as it has always been."""
    return Column(verbose_name=header, accessor="pk", visible=False, orderable=False, **kwargs)


def _page_only(column: Column) -> Column:
    column.exclude_from_export = True
    return column


class LeadTable(ListTable):
    """The lead report: tick, severity, rule, when, store, employee, amount, what, review."""

    list_key = "leads"
    list_url = "pos:exception-list"
    export_name = "pos-leads"
    object_type = "pos.posexception"

    tick = _page_only(
        Column(
            verbose_name="Tick",
            accessor="pk",
            orderable=False,
            attrs={"td": {"class": "tick"}, "th": {"class": "tick"}},
        )
    )
    # Not called "severity" or "amount": before its columns sorted, the report's own
    # ``?sort=severity`` and ``?sort=amount`` meant most severe and largest first, and old
    # bookmarks still mean that (vigil/pos/filters.py's SORTS).
    # Descending is the report's default order (most severe first, then oldest): one index
    # ("-severity", "business_date", "id") serves both directions.
    score = _page_only(
        NumberColumn(
            verbose_name="Severity",
            accessor="severity",
            order_by=("severity", "-business_date", "-pk"),
            initial_sort_descending=True,
        )
    )
    rule_title = _page_only(
        LinkColumn(
            verbose_name="Rule",
            linkify=("pos:exception-detail", [A("pk")]),
            order_by="rule_title",
            attrs={"td": {"class": "primary lead-rule"}},
        )
    )
    when = _page_only(
        Column(
            verbose_name="When",
            accessor="at_text",
            order_by=("business_date", "at_text"),
            attrs={"td": {"class": "when"}},
        )
    )
    shop = _page_only(Column(verbose_name="Store", accessor="store", orderable=False))
    employee = _page_only(
        Column(verbose_name="Employee", accessor="employee_id", order_by="employee_id")
    )
    # What the amount is depends on the rule (the voided lines, the refund, ...): the header
    # says so, and a label under each amount says which (vigil/pos/amounts.py).
    value = _page_only(
        MoneyColumn(
            verbose_name="Amount",
            accessor="amount",
            order_by="amount",
            initial_sort_descending=True,
            attrs={"td": {"class": "num"}, "th": {"class": "num", "title": COLUMN_NOTE}},
        )
    )
    detail = _page_only(
        Column(verbose_name="What", orderable=False, attrs={"td": {"class": "small lead-detail"}})
    )
    status = _page_only(StatusColumn(verbose_name="Review", order_by="status"))

    # --- the export, column for column as it has always been ---------------------------------
    x_store = _export("store")
    x_business_date = _export("business_date")
    x_at = _export("at")
    x_rule = _export("rule")
    x_rule_title = _export("rule_title")
    x_transaction_id = _export("transaction_id")
    x_register_id = _export("register_id")
    x_employee_id = _export("employee_id")
    x_amount = _export("amount")
    x_severity = _export("severity")
    x_detail = _export("detail")
    x_review = _export("review")
    x_review_note = _export("review_note")
    # ... and after them, in words.
    x_store_name = _export("store_name")
    x_employee_name = _export("employee_name")
    x_review_status = _export("review_status")
    x_reason = _export("reason")
    x_case = _export("case")
    x_raised = _export("raised")

    class Meta(ListTable.Meta):
        model = PosException
        fields = ()
        attrs: ClassVar[dict[str, str]] = {"class": "striped cards list-table leads"}
        row_attrs: ClassVar[dict[str, Any]] = {
            "class": lambda record: "" if record.is_raised else "muted"
        }

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        # The tick box is for bulk review: only those who review leads get one.
        if not can(getattr(request, "user", None), Capability.INVESTIGATE):
            self.columns.hide("tick")
        # The employee links to their ranking only for those who may see rankings.
        self.links_rankings = can(getattr(request, "user", None), Capability.VIEW_EMPLOYEE_RANKINGS)

    # --- the page ----------------------------------------------------------------------------

    def render_tick(self, record: PosException) -> SafeString:
        if record.status == "escalated":
            # An escalated lead is reviewed in its case; the box says so instead of failing.
            return format_html(
                '<input type="checkbox" name="lead" value="{}" form="bulk" disabled'
                ' aria-label="{} is escalated to a case">',
                record.pk,
                record.transaction_id,
            )
        return format_html(
            '<input type="checkbox" name="lead" value="{}" form="bulk" aria-label="Tick {}">',
            record.pk,
            record.transaction_id,
        )

    def render_score(self, value: float) -> str:
        return f"{value:.2f}"

    def render_when(self, record: PosException) -> str:
        return lead_time(record)

    def render_detail(self, record: PosException) -> str:
        return lead_detail(record)

    def render_shop(self, record: PosException) -> SafeString:
        if not record.register_id:
            return format_html("{}", record.store.name)
        return format_html(
            '{} <span class="muted small">· {}</span>', record.store.name, record.register_id
        )

    def render_employee(self, record: PosException) -> SafeString:
        shown = record.person.name if record.person else record.employee_id
        if not self.links_rankings:
            return format_html("{}", shown)
        address = reverse("pos:employee-detail", args=[record.employee_id])
        return format_html('<a href="{}">{}</a>', address, shown)

    def render_value(self, record: PosException) -> SafeString:
        """The amount with what it is under it ("voided lines", "refund")."""
        meaning = record.amount_is
        return format_html(
            '{}<br><span class="muted small" title="{}">{}</span>',
            f"{record.amount:,.2f}",
            meaning.explained,
            meaning.label,
        )

    def render_status(self, record: PosException) -> SafeString:
        badge = format_html(
            '<span class="badge status-{}">{}</span>', record.status, record.get_status_display()
        )
        lines = [badge]
        if record.reason:
            lines.append(format_html('<span class="small">{}</span>', record.reason.label))
        if record.case:
            address = reverse("cases:case-detail", args=[record.case.number])
            lines.append(
                format_html('<a class="small" href="{}">{}</a>', address, record.case.number)
            )
        if not record.is_raised:
            lines.append(format_html('<span class="small">{}</span>', "no longer raised"))
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))

    # --- the export ----------------------------------------------------------------------------

    def value_x_store(self, record: PosException) -> str:
        return record.store.code

    def value_x_business_date(self, record: PosException) -> str:
        return record.business_date.isoformat()

    def value_x_at(self, record: PosException) -> str:
        return record.at_text

    def value_x_rule(self, record: PosException) -> str:
        return record.rule

    def value_x_rule_title(self, record: PosException) -> str:
        return record.rule_title

    def value_x_transaction_id(self, record: PosException) -> str:
        return record.transaction_id

    def value_x_register_id(self, record: PosException) -> str:
        return record.register_id

    def value_x_employee_id(self, record: PosException) -> str:
        return record.employee_id

    def value_x_amount(self, record: PosException) -> str:
        return "" if record.amount is None else str(record.amount)

    def value_x_severity(self, record: PosException) -> str:
        return f"{record.severity:.3f}"

    def value_x_detail(self, record: PosException) -> str:
        return record.detail

    def value_x_review(self, record: PosException) -> str:
        return record.status

    def value_x_review_note(self, record: PosException) -> str:
        return record.review_note

    def value_x_store_name(self, record: PosException) -> str:
        return record.store.name

    def value_x_employee_name(self, record: PosException) -> str:
        return record.person.name if record.person else ""

    def value_x_review_status(self, record: PosException) -> str:
        return str(record.get_status_display())

    def value_x_reason(self, record: PosException) -> str:
        return record.reason.label if record.reason else ""

    def value_x_case(self, record: PosException) -> str:
        return record.case.number if record.case else ""

    def value_x_raised(self, record: PosException) -> str:
        return "yes" if record.is_raised else "no"


class EmployeeRiskTable(ListTable):
    """One scan's ranking of employees: who to review first, and why, in words."""

    list_key = "employee-risks"
    list_url = "pos:employee-list"
    export_name = "pos-rankings"
    object_type = "pos.employeerisk"

    # The place among the rows the user sees (vigil.pos.rankings.placed), in the scan's order:
    # 1, 2, 3 … with no gap where another store's employee stands.
    rank = NumberColumn(
        verbose_name="#",
        accessor="place",
        order_by="rank",
        attrs={
            "td": {"class": "num"},
            "th": {"class": "num", "title": "Place among the employees shown, 1 first to review"},
        },
    )
    employee = LinkColumn(
        verbose_name="Employee", accessor="employee_id", linkify=False, order_by="employee_id"
    )
    store = Column(order_by="store__code")
    role = Column(verbose_name="Job", order_by="role")
    risk_score = NumberColumn(verbose_name="Risk", order_by="risk_score")
    transactions = NumberColumn(order_by="transactions")
    why = Column(
        verbose_name="Why", accessor="reasons", orderable=False, attrs={"td": {"class": "small"}}
    )

    class Meta(ListTable.Meta):
        model = EmployeeRisk
        fields = ()
        attrs: ClassVar[dict[str, str]] = {"class": "striped cards list-table ranking"}

    def render_employee(self, record: EmployeeRisk) -> SafeString:
        address = reverse("pos:employee-detail", args=[record.employee_id])
        address = f"{address}?scan={record.scan_id}"
        if record.person:
            return format_html(
                '<a href="{}">{}</a> <span class="muted small">{}</span>',
                address,
                record.person.name,
                record.employee_id,
            )
        return format_html('<a href="{}">{}</a>', address, record.employee_id)

    def value_employee(self, record: EmployeeRisk) -> str:
        name = record.person.name if record.person else ""
        return f"{record.employee_id} {name}".strip()

    def render_store(self, record: EmployeeRisk) -> SafeString:
        return format_html(
            '{} <span class="muted small">{}</span>', record.store.name, record.store.code
        )

    def value_store(self, record: EmployeeRisk) -> str:
        return f"{record.store.code} {record.store.name}"

    def render_role(self, value: str) -> str:
        """The job in words (``Service desk``); a role the contract does not name, as written."""
        return str(EmployeeRole(value).label) if value in EmployeeRole.values else value

    value_role = render_role

    def render_risk_score(self, value: float) -> str:
        return f"{value:,.0f}"

    def value_risk_score(self, value: float) -> str:
        return f"{value:.1f}"

    def render_why(self, record: EmployeeRisk) -> str:
        return str(record.reasons[0]) if record.reasons else clock.NOTHING

    def value_why(self, record: EmployeeRisk) -> str:
        return "; ".join(str(reason) for reason in record.reasons)
