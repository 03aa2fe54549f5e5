"""The case-work lists as :mod:`vigil.core.lists` declares them: incidents, cases, subjects,
vehicles. Columns name what a reader expects (labels, not codes); every one sorts."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from django.utils.html import format_html
from django_tables2 import A

from vigil.cases.models import Case, Incident, Subject, Vehicle
from vigil.core.lists import (
    ChoiceColumn,
    Column,
    DateColumn,
    LinkColumn,
    ListTable,
    MoneyColumn,
    StatusColumn,
    StoreColumn,
    TimeColumn,
)


class IncidentTable(ListTable):
    list_key = "incidents"
    list_url = "cases:incident-list"
    export_name = "incidents"
    object_type = "cases.incident"

    number = LinkColumn(linkify=("cases:incident-detail", [A("number")]), order_by="number")
    occurred_at = TimeColumn(verbose_name="When", order_by="occurred_at")
    store = StoreColumn(order_by="store__code")
    kind = ChoiceColumn(verbose_name="Type", order_by="kind")
    summary = Column(order_by="summary")
    net_loss = MoneyColumn(verbose_name="Net loss", accessor="net_loss")
    status = StatusColumn(order_by="status")

    class Meta(ListTable.Meta):
        model = Incident
        fields = ()

    def order_net_loss(self, found: QuerySet[Incident], descending: bool) -> tuple[Any, bool]:
        loss = F("merchandise_value") - F("recovered_value")
        ordered = found.annotate(loss=loss).order_by(
            loss.desc() if descending else loss.asc(), "-pk" if descending else "pk"
        )
        return ordered, True


class CaseTable(ListTable):
    list_key = "cases"
    list_url = "cases:case-list"
    export_name = "cases"
    object_type = "cases.case"

    number = LinkColumn(linkify=("cases:case-detail", [A("number")]), order_by="number")
    title = Column(order_by="title")
    store = StoreColumn(order_by="store__code")
    kind = ChoiceColumn(verbose_name="Type", order_by="kind")
    priority = ChoiceColumn(order_by="priority")
    assignee = Column(verbose_name="Investigator", order_by="assignee__username", default="—")
    status = StatusColumn(order_by="status")
    opened_at = TimeColumn(verbose_name="Opened", order_by="opened_at")
    due_on = DateColumn(verbose_name="Due", order_by="due_on")

    class Meta(ListTable.Meta):
        model = Case
        fields = ()

    def render_due_on(self, record: Case) -> str:
        late = record.days_overdue()
        if not late:
            return str(record.due_on.isoformat()) if record.due_on else "—"
        return format_html(
            '{} <span class="badge status-overdue">{} day{} overdue</span>',
            record.due_on.isoformat() if record.due_on else "",
            f"{late:,}",
            "" if late == 1 else "s",
        )


class SubjectTable(ListTable):
    list_key = "subjects"
    list_url = "cases:subject-list"
    export_name = "subjects"
    object_type = "cases.subject"

    name = LinkColumn(
        verbose_name="Subject",
        accessor="pk",
        linkify=("cases:subject-detail", [A("pk")]),
        order_by="name",
    )
    aliases = Column(order_by="aliases", default="—")
    store = StoreColumn(order_by="store__code")
    description = Column(accessor="pk", orderable=False)
    bolo_status = StatusColumn(verbose_name="BOLO", order_by="bolo_status")
    trespass_expires_on = DateColumn(verbose_name="Trespass until", order_by="trespass_expires_on")

    class Meta(ListTable.Meta):
        model = Subject
        fields = ()

    def render_name(self, record: Subject) -> str:
        return str(record)

    value_name = render_name

    def render_description(self, record: Subject) -> str:
        described = " ".join(
            part for part in (record.height, record.build, record.identifying_marks) if part
        )
        return described[:80] + ("…" if len(described) > 80 else "") if described else "—"

    value_description = render_description


class VehicleTable(ListTable):
    list_key = "vehicles"
    list_url = "cases:vehicle-list"
    export_name = "vehicles"
    object_type = "cases.vehicle"

    plate = LinkColumn(
        linkify=("cases:vehicle-detail", [A("pk")]), order_by="plate", default="(no plate)"
    )
    plate_state = Column(verbose_name="State", order_by="plate_state", default="—")
    vehicle = Column(accessor="pk", verbose_name="Vehicle", order_by=("make", "model"))
    colour = Column(order_by="colour", default="—")
    store = StoreColumn(order_by="store__code")

    class Meta(ListTable.Meta):
        model = Vehicle
        fields = ()

    def render_vehicle(self, record: Vehicle) -> str:
        return " ".join(part for part in (record.year, record.make, record.model) if part) or "—"

    value_vehicle = render_vehicle
