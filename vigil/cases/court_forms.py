"""Forms of the court and civil recovery pages. Times are entered on the store's clock."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from vigil.cases import civil
from vigil.cases.forms import LOCAL_DATETIME
from vigil.cases.models import CivilPayment, CourtOutcome, Hearing
from vigil.core.forms import DATE_INPUT as DATE
from vigil.core.limits import NOTE_CHARS, text_box


def _person_name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


class HearingForm(forms.ModelForm[Hearing]):
    """A court date: what, when (the store's clock), which court and docket, who attends."""

    class Meta:
        model = Hearing
        fields = [
            "kind",
            "starts_at",
            "court",
            "docket_number",
            "attendee",
            "remind_days_before",
            "notes",
        ]
        widgets = {"starts_at": LOCAL_DATETIME, "notes": text_box(NOTE_CHARS, rows=3)}

    def __init__(self, *args: Any, attendees: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendee"].queryset = attendees  # type: ignore[attr-defined]
        self.fields["attendee"].label_from_instance = _person_name  # type: ignore[attr-defined]
        self.fields["attendee"].empty_label = "No one yet"  # type: ignore[attr-defined]


class HearingEditForm(HearingForm):
    """The same, plus whether it was held or cancelled."""

    class Meta(HearingForm.Meta):
        fields = [*HearingForm.Meta.fields, "status"]


class OutcomeForm(forms.ModelForm[CourtOutcome]):
    class Meta:
        model = CourtOutcome
        fields = ["charges", "disposition", "disposed_on", "restitution_ordered", "notes"]
        labels = {"restitution_ordered": "Restitution ordered ($)"}
        widgets = {
            "charges": text_box(NOTE_CHARS, rows=3),
            "disposed_on": DATE,
            "notes": text_box(NOTE_CHARS, rows=3),
        }


class DemandForm(forms.Form):
    """A civil demand: under which state's statute, of whom, for goods of what value."""

    state = forms.ChoiceField(label="State statute")
    addressee = forms.CharField(
        max_length=200,
        label="Demand made of",
        help_text="The adult, or the parent or guardian of a minor",
    )
    address = forms.CharField(max_length=1_000, widget=forms.Textarea(attrs={"rows": 3}))
    retail_value = forms.DecimalField(
        label="Retail value taken ($)", min_value=Decimal("0"), max_digits=12, decimal_places=2
    )
    recovered_value = forms.DecimalField(
        label="Value recovered in sellable condition ($)",
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        initial=Decimal("0"),
    )
    penalty = forms.DecimalField(
        label="Civil penalty ($)",
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        help_text="Empty: the most the statute allows",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [  # type: ignore[attr-defined]
            (code, f"{law.name}: {law.citation}") for code, law in civil.statutes().items()
        ]


class PaymentForm(forms.ModelForm[CivilPayment]):
    class Meta:
        model = CivilPayment
        fields = ["amount", "received_on", "method", "reference"]
        labels = {"amount": "Amount ($)"}
        widgets = {"received_on": DATE}
