"""Floor walks and corrective actions as :mod:`vigil.core.lists` declares them, with their
filters.

A walk is read by its checklist, store, who walked it and how it scored; an action by what
must be fixed, by when and by whom, and whether it is late. People are named, stores too,
and statuses are words.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_tables2 import A

from vigil.audits.models import ActionStatus, CorrectiveAction, FloorWalk, WalkStatus
from vigil.audits.walks import current_versions
from vigil.core.forms import DATE_INPUT as DATE
from vigil.core.lists import (
    Column,
    DateColumn,
    LinkColumn,
    ListTable,
    NumberColumn,
    StatusColumn,
    StoreColumn,
    TimeColumn,
)

# A person's name sorts by surname, then first name; an account without one by its login.
BY_NAME = ("last_name", "first_name", "username")


def by_name(field: str) -> tuple[str, ...]:
    return tuple(f"{field}__{part}" for part in BY_NAME)


# --- floor walks ---------------------------------------------------------------------------

RESULTS = [
    ("", "Any result"),
    ("passed", "Passed"),
    ("failed", "Failed"),
    ("draft", "In progress"),
]


class WalkFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        label="Search",
        widget=forms.SearchInput(attrs={"placeholder": "Walk number or notes"}),
    )
    checklist = forms.ChoiceField(required=False, choices=[("", "Every checklist")])
    result = forms.ChoiceField(required=False, choices=RESULTS)
    since = forms.DateField(required=False, label="Started from", widget=DATE)
    until = forms.DateField(required=False, label="Started to", widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checklist"].choices = [  # type: ignore[attr-defined]
            ("", "Every checklist"),
            *((version.key, version.title) for version in current_versions()),
        ]


def filtered_walks(found: QuerySet[FloorWalk], filters: dict[str, Any]) -> QuerySet[FloorWalk]:
    """``found`` (already scoped) narrowed by the walk filters, newest first."""
    if q := str(filters.get("q", "")).strip():
        found = found.filter(Q(number__iexact=q) | Q(notes__icontains=q))
    if checklist := filters.get("checklist"):
        found = found.filter(checklist__key=checklist)
    result = filters.get("result")
    if result == "draft":
        found = found.filter(status=WalkStatus.DRAFT)
    elif result in ("passed", "failed"):
        found = found.filter(status=WalkStatus.COMPLETED, passed=result == "passed")
    if since := filters.get("since"):
        found = found.filter(started_at__date__gte=since)
    if until := filters.get("until"):
        found = found.filter(started_at__date__lte=until)
    return found.order_by("-started_at", "-pk")


class WalkTable(ListTable):
    list_key = "floor-walks"
    list_url = "audits:walk-list"
    export_name = "floor-walks"
    object_type = "audits.floorwalk"

    number = LinkColumn(
        verbose_name="Walk", linkify=("audits:walk-detail", [A("number")]), order_by="number"
    )
    checklist = Column(
        verbose_name="Checklist", accessor="checklist__title", order_by="checklist__title"
    )
    store = StoreColumn(order_by="store__code")
    walked_by = Column(verbose_name="Walked by", order_by=by_name("walked_by"))
    started_at = TimeColumn(verbose_name="Started", order_by="started_at")
    score = NumberColumn(order_by="score", default="—")
    result = Column(accessor="pk", order_by=("status", "passed"))
    critical_failures = NumberColumn(verbose_name="Critical failures", order_by="critical_failures")

    class Meta(ListTable.Meta):
        model = FloorWalk
        fields = ()

    def order_score(self, found: QuerySet[FloorWalk], descending: bool) -> tuple[Any, bool]:
        """Walks still in progress (no score yet) last either way, on every database."""
        score = F("score").desc(nulls_last=True) if descending else F("score").asc(nulls_last=True)
        return found.order_by(score, "-pk" if descending else "pk"), True

    def render_score(self, value: Any) -> str:
        return f"{value}%"

    def value_score(self, value: Any) -> Any:
        return None if value is None else str(value)

    def render_result(self, record: FloorWalk) -> str:
        code, label = _result(record)
        return format_html('<span class="badge status-{}">{}</span>', code, label)

    def value_result(self, record: FloorWalk) -> str:
        return _result(record)[1]


def _result(walk: FloorWalk) -> tuple[str, str]:
    if walk.status == WalkStatus.DRAFT:
        return "draft", "In progress"
    return ("passed", "Passed") if walk.passed else ("failed", "Failed")


# --- corrective actions --------------------------------------------------------------------

ACTION_STATUSES = [*ActionStatus.choices, ("all", "Any status")]
OPEN = ActionStatus.OPEN.value


class ActionFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        label="Search",
        widget=forms.SearchInput(attrs={"placeholder": "Number or what to fix"}),
    )
    status = forms.ChoiceField(required=False, choices=ACTION_STATUSES)
    overdue = forms.BooleanField(required=False, label="Overdue only")
    critical = forms.BooleanField(required=False, label="Critical only")
    mine = forms.BooleanField(required=False, label="Mine only")

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        """Open actions unless another status is asked for: what is still to be fixed."""
        if data is not None and not data.get("status"):
            data = data.copy()
            data["status"] = OPEN
        super().__init__(data, **kwargs)


def filtered_actions(
    found: QuerySet[CorrectiveAction], filters: dict[str, Any], user: Any
) -> QuerySet[CorrectiveAction]:
    """``found`` (already scoped) narrowed by the action filters, soonest due first."""
    if q := str(filters.get("q", "")).strip():
        found = found.filter(Q(number__iexact=q) | Q(title__icontains=q))
    status = filters.get("status", OPEN)
    if status in ActionStatus.values:
        found = found.filter(status=status)
    if filters.get("overdue"):
        found = found.filter(status=ActionStatus.OPEN, due_on__lt=timezone.localdate())
    if filters.get("critical"):
        found = found.filter(critical=True)
    if filters.get("mine"):
        found = found.filter(owner=user)
    return found.order_by("due_on", "pk")


class ActionTable(ListTable):
    list_key = "corrective-actions"
    list_url = "audits:action-list"
    export_name = "corrective-actions"
    object_type = "audits.correctiveaction"

    number = LinkColumn(
        verbose_name="Action",
        linkify=("audits:action-detail", [A("number")]),
        order_by="number",
    )
    title = Column(verbose_name="What to fix", order_by="title")
    store = StoreColumn(order_by="store__code")
    due_on = DateColumn(verbose_name="Due", order_by="due_on")
    critical = Column(order_by="critical")
    status = StatusColumn(order_by="status")
    owner = Column(verbose_name="Owner", order_by=by_name("owner"), default="—")
    raised_by = Column(
        verbose_name="From",
        accessor="pk",
        order_by=("walk__number",),
        attrs={"td": {"class": "nowrap"}},
    )

    class Meta(ListTable.Meta):
        model = CorrectiveAction
        fields = ()

    def render_due_on(self, record: CorrectiveAction) -> str:
        """The day, and "overdue" beside it while it is still open after that day."""
        day = record.due_on.isoformat()
        if _overdue(record):
            return format_html('{} <span class="badge status-overdue">Overdue</span>', day)
        return day

    def value_due_on(self, record: CorrectiveAction) -> str:
        return record.due_on.isoformat()

    def render_critical(self, value: bool) -> str:
        return mark_safe("<strong>Yes</strong>") if value else "—"  # a constant, no input

    def value_critical(self, value: bool) -> str:
        return "Yes" if value else "No"

    def render_raised_by(self, record: CorrectiveAction) -> str:
        """The walk (or the hazard report) that raised it, linked."""
        number, page = _raised_by(record)
        if not number:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse(page, args=[number]), number)

    def value_raised_by(self, record: CorrectiveAction) -> str:
        return _raised_by(record)[0]


def _overdue(action: CorrectiveAction) -> bool:
    return action.status == ActionStatus.OPEN and action.due_on < timezone.localdate()


def _raised_by(action: CorrectiveAction) -> tuple[str, str]:
    if action.walk is not None:
        return action.walk.number, "audits:walk-detail"
    hazard = getattr(action, "hazard", None)
    if hazard is not None:
        return hazard.number, "safety:hazard-detail"
    return "", ""
