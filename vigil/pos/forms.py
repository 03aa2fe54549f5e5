"""The lead report's filter form: the same filters :class:`~vigil.pos.filters.LeadFilters`
reads, as fields with labels and inline errors for the list's filter bar.

The form only shows and checks the filters; :class:`LeadFilters` still reads and applies
them (for the page, its exports, its saved views), so a bookmarked address means what it
meant before. A value the form refuses is named beside its field and left out.
"""

from __future__ import annotations

from typing import Any

from django import forms

from vigil.core.forms import DATE_INPUT as DATE
from vigil.core.models import Role, User
from vigil.pos.filters import RAISED
from vigil.pos.models import DataSet, ExplanationReason, ReviewStatus, Scan, ScanStatus

# The data sets offered in the filter: the newest, as the report always offered them.
DATA_SETS_OFFERED = 50


def rules_of(user: User) -> list[tuple[str, str]]:
    """The rules the recent scans ran, for the filter (read from the scans, not the leads)."""
    scans = Scan.objects.visible_to(user).filter(status=ScanStatus.DONE).order_by("-started_at")
    titles = {rule["id"]: rule["title"] for scan in scans[:20] for rule in scan.rules}
    return sorted(titles.items(), key=lambda item: item[1])


class LeadFilterForm(forms.Form):
    rule = forms.ChoiceField(required=False, label="Rule")
    employee = forms.CharField(
        required=False,
        max_length=64,
        label="Employee id",
        widget=forms.TextInput(attrs={"placeholder": "e.g. E1007"}),
    )
    status = forms.ChoiceField(
        required=False, label="Review", choices=[("", "Any"), *ReviewStatus.choices]
    )
    reason = forms.ChoiceField(required=False, label="Reason")
    raised = forms.ChoiceField(required=False, label="Raised", choices=list(RAISED.items()))
    data_set = forms.ChoiceField(required=False, label="Data set")
    since = forms.DateField(required=False, label="From", widget=DATE)
    until = forms.DateField(required=False, label="To", widget=DATE)
    min_severity = forms.FloatField(
        required=False,
        label="Severity at least",
        min_value=0,
        max_value=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "placeholder": "0 to 1"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = {name: str(self.data.get(name, "") or "") for name in ("rule", "data_set")}
        rules = rules_of(user)
        if chosen["rule"] and chosen["rule"] not in dict(rules):
            # A rule no recent scan ran (an old bookmark): still a filter, named by its id.
            rules.append((chosen["rule"], chosen["rule"]))
        self.fields["rule"].choices = [("", "Every rule"), *rules]  # type: ignore[attr-defined]
        self.fields["reason"].choices = [  # type: ignore[attr-defined]
            ("", "Any"),
            *((str(reason.pk), reason.label) for reason in ExplanationReason.objects.all()),
        ]
        visible = DataSet.objects.visible_to(user).order_by("-created_at")
        offered = [
            (str(pk), name) for pk, name in visible.values_list("pk", "name")[:DATA_SETS_OFFERED]
        ]
        wanted = chosen["data_set"]
        if wanted.isdigit() and wanted not in dict(offered):
            older = visible.filter(pk=int(wanted)).values_list("pk", "name").first()
            if older is not None:
                offered.append((str(older[0]), older[1]))
        self.fields["data_set"].choices = [  # type: ignore[attr-defined]
            ("", "All data sets"),
            *offered,
        ]


class RankingFilterForm(forms.Form):
    """Which scan's ranking to read (the newest unless one is chosen), and whom to find in it."""

    scan = forms.ChoiceField(required=False, label="Scan")
    employee = forms.CharField(
        required=False,
        max_length=64,
        label="Employee id",
        widget=forms.TextInput(attrs={"placeholder": "e.g. E1007"}),
    )

    def __init__(self, *args: Any, user: User, current: Scan | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scans = (
            Scan.objects.visible_to(user)
            .filter(status=ScanStatus.DONE)
            .select_related("data_set")
            .order_by("-started_at")[:DATA_SETS_OFFERED]
        )
        offered = list(scans)
        if current is not None and current not in offered:
            offered.append(current)  # an older scan, asked for by its address
        self.fields["scan"].choices = [  # type: ignore[attr-defined]
            ("", "The newest"),
            *((str(scan.pk), f"{scan.data_set.name} · scan {scan.pk:,}") for scan in offered),
        ]


class RankingAccessForm(forms.Form):
    """Which roles see individual employees' risk rankings (an administrator's setting)."""

    roles = forms.MultipleChoiceField(
        label="Roles that see individual employees' risk rankings",
        # External users see only what is shared with them, never a ranking.
        choices=[(value, label) for value, label in Role.choices if value != Role.EXTERNAL],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
