"""Forms for sharing, agencies and information requests."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from vigil.core.models import Agency, Store, User
from vigil.sharing.grants import max_days, recipients
from vigil.sharing.models import RequestKind
from vigil.sharing.requests import RequestDetails


def end_of_day(day: date, store: Store | None) -> datetime:
    """Sharing ``until`` a date means through that whole day, on the store's clock."""
    zone = zoneinfo.ZoneInfo(store.timezone if store is not None else "UTC")
    return datetime.combine(day, time(23, 59, 59), tzinfo=zone)


class ShareForm(forms.Form):
    recipient = forms.ChoiceField(label="Share with")
    until = forms.DateField(
        label="Until", widget=forms.DateInput(attrs={"type": "date"}), help_text="Through this day"
    )
    reason = forms.CharField(
        label="Why",
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "Police report no., subpoena, claim no."}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users, agencies = recipients()
        choices: list[tuple[str, Any]] = [("", "Choose…")]
        if agencies:
            choices.append(
                ("Agencies (every member)", [(f"agency:{a.pk}", str(a)) for a in agencies])
            )
        if users:
            choices.append(("People", [(f"user:{u.pk}", _person(u)) for u in users]))
        self.fields["recipient"].choices = choices  # type: ignore[attr-defined]
        self.fields["until"].initial = timezone.localdate() + timedelta(days=30)
        self.fields["until"].widget.attrs["max"] = (
            timezone.localdate() + timedelta(days=max_days())
        ).isoformat()

    def chosen(self) -> tuple[User | None, Agency | None]:
        kind, _, raw = self.cleaned_data["recipient"].partition(":")
        if kind == "agency":
            return None, Agency.objects.get(pk=int(raw))
        return User.objects.get(pk=int(raw)), None


def _person(user: User) -> str:
    name = user.get_full_name() or user.username
    where = user.agency.name if user.agency else user.organisation_name
    return f"{name} · {where}" if where else name


class RevokeForm(forms.Form):
    reason = forms.CharField(label="Why sharing ends", max_length=300)


class AgencyForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Agency
        fields = ["name", "kind", "contact_email"]


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Add an external user",
        queryset=User.objects.none(),
        empty_label="Choose…",
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users, _ = recipients()
        self.fields["user"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=[u.pk for u in users if u.agency_id != agency.pk]
        )
        self.fields["user"].label_from_instance = _person  # type: ignore[attr-defined]


class RequestForm(forms.Form):
    store = forms.ModelChoiceField(queryset=Store.objects.none(), empty_label="Choose…")
    kind = forms.ChoiceField(label="Type", choices=RequestKind.choices)
    their_reference = forms.CharField(
        label="Your reference", max_length=100, help_text="Report, subpoena or claim number"
    )
    sought = forms.CharField(
        label="What you need",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Which footage (camera, place, time), receipts or reports",
    )
    period_start = forms.DateTimeField(
        label="From", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    period_end = forms.DateTimeField(
        label="To", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    due_on = forms.DateField(label="Due", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, stores: Any, agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = stores  # type: ignore[attr-defined]
        self.fields["store"].label_from_instance = lambda s: f"{s.name} ({s.code})"  # type: ignore[attr-defined]
        self.fields["due_on"].initial = timezone.localdate() + timedelta(days=14)
        if agencies is not None:
            self.fields["agency"] = forms.ModelChoiceField(
                queryset=agencies, required=False, empty_label="No agency", label="From agency"
            )

    def details(self) -> RequestDetails:
        names = ("store", "kind", "their_reference", "sought", "due_on")
        return RequestDetails(
            **{name: self.cleaned_data[name] for name in names},
            period_start=self.cleaned_data.get("period_start"),
            period_end=self.cleaned_data.get("period_end"),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        store = data.get("store")
        # The period is the store's clock: the time the footage shows.
        if store is not None:
            zone = zoneinfo.ZoneInfo(store.timezone)
            for name in ("period_start", "period_end"):
                value = data.get(name)
                if value is not None:
                    data[name] = timezone.make_aware(timezone.make_naive(value), zone)
        return data


class AnswerShareForm(forms.Form):
    kind = forms.ChoiceField(
        label="Record",
        choices=[
            ("package", "Police package"),
            ("evidence", "Evidence item"),
            ("incident", "Incident"),
            ("case", "Case"),
            ("subject", "Subject (id)"),
            ("vehicle", "Vehicle (id)"),
        ],
    )
    reference = forms.CharField(label="Number", max_length=64)
    until = forms.DateField(label="Until", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["until"].initial = timezone.localdate() + timedelta(days=90)


class CloseRequestForm(forms.Form):
    response = forms.CharField(
        label="Answer", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    outcome = forms.ChoiceField(
        choices=[("answered", "Answered: records shared"), ("declined", "Declined")],
        widget=forms.RadioSelect,
        initial="answered",
    )
