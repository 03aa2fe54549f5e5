"""The alert list as :mod:`vigil.core.lists` declares it, with its filters.

The same list is shown two ways. The **feed** (the default) is one card per alert with its
snapshot, unhandled and urgent ones first, refreshed while it is open: what an officer
watching the cameras needs is the picture, not a row. The **table** is the same rows, the
same filters, sortable by every column: what a manager reviewing a week of alerts needs.
Both page, export and save their views through the one list mechanism.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.urls import reverse
from django.utils.html import format_html
from django_tables2 import A

from vigil.core import clock
from vigil.core.forms import DATE_INPUT as DATE
from vigil.core.lists import (
    ChoiceColumn,
    Column,
    LinkColumn,
    ListTable,
    StatusColumn,
    StoreColumn,
    TimeColumn,
)
from vigil.video.models import Alert, AlertSource, AlertStatus, Camera

LAYOUTS = ("feed", "table")


class AlertFilterForm(forms.Form):
    camera = forms.ChoiceField(required=False, choices=[("", "Every camera")])
    rule = forms.CharField(
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": "Intrusion, loitering, EAS alarm…"}),
    )
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *AlertStatus.choices])
    source = forms.ChoiceField(required=False, choices=[("", "Any source"), *AlertSource.choices])
    since = forms.DateField(required=False, label="From", widget=DATE)
    until = forms.DateField(required=False, label="To", widget=DATE)

    def __init__(self, *args: Any, cameras: QuerySet[Camera], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stores_of: dict[str, list[str]] = {}
        for name, store in cameras.order_by("name", "store__name").values_list(
            "name", "store__name"
        ):
            stores_of.setdefault(name, []).append(store)
        self.fields["camera"].choices = [  # type: ignore[attr-defined]
            ("", "Every camera"),
            *((name, f"{name} · {', '.join(stores)}") for name, stores in stores_of.items()),
        ]


def rule_code(text: str) -> str:
    """The rule as stored, from what a person types: ``Line crossing`` → ``line_crossing``."""
    code = text.strip().lower().replace(" ", "_")
    return "eas" if code in ("eas_alarm", "eas_gate") else code


def filtered_alerts(found: QuerySet[Alert], filters: dict[str, Any]) -> QuerySet[Alert]:
    """``found`` (already scoped) narrowed by the filters, in the feed's order: unhandled
    first, then the most urgent, then the newest (a sorted column replaces it)."""
    conditions = {
        "camera__name": filters.get("camera"),
        "rule": rule_code(filters["rule"]) if filters.get("rule") else None,
        "status": filters.get("status"),
        "source": filters.get("source"),
        "started_at__date__gte": filters.get("since"),
        "started_at__date__lte": filters.get("until"),
    }
    found = found.filter(**{key: value for key, value in conditions.items() if value})
    waiting = Case(
        When(status=AlertStatus.NEW, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return found.order_by(waiting, "-priority", "-started_at", "-id")


class AlertTable(ListTable):
    list_key = "alerts"
    list_url = "video:alerts"
    export_name = "alerts"
    object_type = "video.alert"

    rule = LinkColumn(
        verbose_name="Alert",
        linkify=("video:alert-detail", [A("pk")]),
        order_by=("rule", "zone"),
    )
    started_at = TimeColumn(verbose_name="Started", order_by="started_at")
    where = Column(verbose_name="Camera", accessor="pk", order_by=("camera__name", "source"))
    store = StoreColumn(order_by="store__code")
    priority = ChoiceColumn(order_by="priority")
    status = StatusColumn(order_by="status")
    handled_by = Column(
        verbose_name="Handled by",
        order_by=("handled_by__last_name", "handled_by__first_name", "handled_by__username"),
        default="—",
    )
    incident = Column(order_by="incident__number", default="—", attrs={"td": {"class": "nowrap"}})

    class Meta(ListTable.Meta):
        model = Alert
        fields = ()

    def render_rule(self, record: Alert) -> str:
        return f"{record.rule_label} · {record.zone}" if record.zone else record.rule_label

    value_rule = render_rule

    def render_started_at(self, record: Alert) -> str:
        """To the second: an alert is matched against video, where a minute is too coarse."""
        return clock.at_store_seconds(record.started_at, record.store)

    value_started_at = render_started_at

    def render_where(self, record: Alert) -> str:
        return record.where

    value_where = render_where

    def render_incident(self, record: Alert) -> str:
        if record.incident is None:
            return "—"
        number = record.incident.number
        address = reverse("cases:incident-detail", args=[number])
        return format_html('<a href="{}">{}</a>', address, number)

    def value_incident(self, record: Alert) -> str:
        return record.incident.number if record.incident is not None else ""
