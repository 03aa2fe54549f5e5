"""Forms of the investigation pages. Times are entered in the store's own time zone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy

from vigil.cases.models import (
    BoloStatus,
    Case,
    CasePriority,
    CaseStatus,
    ElementStatus,
    Incident,
    IncidentStatus,
    IncidentType,
    PartyRole,
    StopRecord,
    Subject,
    Vehicle,
)
from vigil.core import clock
from vigil.core.forms import DATE_INPUT as DATE
from vigil.core.limits import LONG_TEXT_CHARS, limited_text, text_box
from vigil.core.models import Store

LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class StoreChoiceField(forms.ModelChoiceField[Store]):
    def label_from_instance(self, obj: Store) -> str:
        return f"{obj.code} {obj.name}"


def store_field(stores: QuerySet[Store], label: str = "Store") -> StoreChoiceField:
    return StoreChoiceField(stores, to_field_name="code", label=label, empty_label=None)


class IncidentCaptureForm(forms.ModelForm[Incident]):
    """What an officer on the floor fills in within a minute; details can follow."""

    class Meta:
        model = Incident
        fields = ["store", "kind", "summary", "occurred_at", "location", "merchandise_value"]
        widgets = {"occurred_at": LOCAL_DATETIME}
        labels = {"summary": "What happened (one line)", "merchandise_value": "Value ($)"}

    def __init__(self, *args: Any, stores: QuerySet[Store], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["store"] = store_field(stores)
        self.fields["merchandise_value"].required = False


class IncidentForm(forms.ModelForm[Incident]):
    """Every fact of an incident, for the details that follow the first capture."""

    class Meta:
        model = Incident
        fields = [
            "kind",
            "summary",
            "occurred_at",
            "location",
            "narrative",
            "merchandise_value",
            "recovered_value",
            "police_involved",
            "police_agency",
            "police_report_number",
            "police_officer",
            "status",
            "disposition",
        ]
        widgets = {
            "occurred_at": LOCAL_DATETIME,
            "narrative": text_box(
                LONG_TEXT_CHARS,
                rows=10,
                **{
                    "hx-post": reverse_lazy("cases:narrative-check"),
                    "hx-trigger": "input changed delay:600ms, load",
                    "hx-target": "#narrative-findings",
                    "hx-swap": "innerHTML",
                    "aria-describedby": "narrative-findings",
                },
            ),
        }


class IncidentFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        label="Search",
        widget=forms.SearchInput(attrs={"placeholder": "Number, words, place"}),
    )
    kind = forms.ChoiceField(
        required=False, label="Type", choices=[("", "Any type"), *IncidentType.choices]
    )
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *IncidentStatus.choices]
    )
    since = forms.DateField(required=False, label="From", widget=DATE)
    until = forms.DateField(required=False, label="To", widget=DATE)


class PartyForm(forms.Form):
    role = forms.ChoiceField(choices=PartyRole.choices)
    name = forms.CharField(max_length=200, required=False)
    contact = forms.CharField(max_length=200, required=False)
    subject = forms.ModelChoiceField(Subject.objects.none(), required=False)

    def __init__(self, *args: Any, subjects: QuerySet[Subject], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = subjects  # type: ignore[attr-defined]


class StopForm(forms.ModelForm[StopRecord]):
    class Meta:
        model = StopRecord
        fields = [
            "subject",
            "started_at",
            "ended_at",
            "use_of_force",
            "force_description",
            "present",
            "outcome",
            "outcome_notes",
        ]
        widgets = {"started_at": LOCAL_DATETIME, "ended_at": LOCAL_DATETIME}

    def __init__(self, *args: Any, subjects: QuerySet[Subject], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = subjects  # type: ignore[attr-defined]


class ObservationForm(forms.Form):
    status = forms.ChoiceField(choices=ElementStatus.choices, widget=forms.RadioSelect)
    observed_by = forms.CharField(max_length=200, required=False)
    observed_at = forms.DateTimeField(required=False, widget=LOCAL_DATETIME)
    notes = forms.CharField(required=False, widget=forms.TextInput)


class SubjectForm(forms.ModelForm[Subject]):
    class Meta:
        model = Subject
        fields = [
            "store",
            "name",
            "aliases",
            "date_of_birth",
            "approximate_age",
            "height",
            "build",
            "hair",
            "eyes",
            "identifying_marks",
            "clothing",
            "description",
            "bolo_status",
            "bolo_instructions",
            "trespass_notice_on",
            "trespass_expires_on",
        ]
        widgets = {
            "date_of_birth": DATE,
            "trespass_notice_on": DATE,
            "trespass_expires_on": DATE,
            "identifying_marks": forms.Textarea(attrs={"rows": 2}),
            "clothing": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "bolo_instructions": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, stores: QuerySet[Store], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["store"] = store_field(stores, "Recorded at")


class VehicleForm(forms.ModelForm[Vehicle]):
    class Meta:
        model = Vehicle
        fields = [
            "store",
            "plate",
            "plate_state",
            "make",
            "model",
            "colour",
            "year",
            "description",
            "bolo_status",
            "bolo_instructions",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "bolo_instructions": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, stores: QuerySet[Store], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["store"] = store_field(stores)


class CaseSubjectForm(forms.ModelForm[Subject]):
    """A new subject recorded from the case page (at the case's store) and linked to it: what
    it takes to recognise them; the rest is on the subject's own page."""

    class Meta:
        model = Subject
        fields = [
            "name",
            "aliases",
            "approximate_age",
            "height",
            "build",
            "clothing",
            "description",
        ]
        widgets = {
            "clothing": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "new-subject-%s")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        described = ("name", "description", "clothing", "build", "height")
        if not any(str(cleaned.get(name) or "").strip() for name in described):
            raise forms.ValidationError(
                {"name": "Give a name, or describe them (clothing, build, height) if unknown."}
            )
        return cleaned


class CaseVehicleForm(forms.ModelForm[Vehicle]):
    """A new vehicle recorded from the case page (at the case's store) and linked to it."""

    class Meta:
        model = Vehicle
        fields = ["plate", "plate_state", "make", "model", "colour", "year", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "new-vehicle-%s")
        super().__init__(*args, **kwargs)

    def clean_year(self) -> str:
        year = str(self.cleaned_data.get("year") or "").strip()
        if year and not (year.isdigit() and len(year) == 4):
            raise forms.ValidationError("A year is four digits, e.g. 2019.")
        return year

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        described = ("plate", "make", "model", "colour", "description")
        if not any(str(cleaned.get(name) or "").strip() for name in described):
            raise forms.ValidationError(
                {"plate": "Give the plate, or describe the vehicle if it was not read."}
            )
        return cleaned


class SubjectFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        label="Search",
        widget=forms.SearchInput(attrs={"placeholder": "Name, alias, description or plate"}),
    )
    bolo_status = forms.ChoiceField(
        required=False, label="BOLO", choices=[("", "Any BOLO status"), *BoloStatus.choices]
    )


class VehicleFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        label="Search",
        widget=forms.SearchInput(attrs={"placeholder": "Plate, make, model, colour"}),
    )


class CaseForm(forms.ModelForm[Case]):
    class Meta:
        model = Case
        fields = ["store", "title", "kind", "priority", "summary", "assignee"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(
        self, *args: Any, stores: QuerySet[Store], assignees: QuerySet[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["store"] = store_field(stores, "Lead store")
        self.fields["assignee"].queryset = assignees  # type: ignore[attr-defined]


class CaseEditForm(forms.ModelForm[Case]):
    class Meta:
        model = Case
        fields = [
            "title",
            "priority",
            "due_on",
            "summary",
            "assignee",
            "team",
            "recovered_amount",
        ]
        labels = {"due_on": "Due to close"}
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "team": forms.CheckboxSelectMultiple,
            "due_on": DATE,
        }

    def __init__(
        self, *args: Any, assignees: QuerySet[Any], store: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.store = store  # whose calendar says what "today" is
        self.fields["assignee"].queryset = assignees  # type: ignore[attr-defined]
        self.fields["team"].queryset = assignees  # type: ignore[attr-defined]
        self.fields["team"].required = False
        template = self.instance.template
        for field in template.fields if template else []:
            self.fields[f"detail_{field['key']}"] = forms.CharField(
                label=str(field["label"]),
                help_text=str(field.get("help", "")) + " (required to close)",
                required=False,
                initial=self.instance.details.get(field["key"], ""),
                widget=forms.TextInput,
            )

    def detail_values(self) -> dict[str, str]:
        return {
            name.removeprefix("detail_"): str(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("detail_")
        }


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        label="Search",
        widget=forms.SearchInput(attrs={"placeholder": "Number or words"}),
    )
    kind = forms.ChoiceField(
        required=False, label="Type", choices=[("", "Any type"), *IncidentType.choices]
    )
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *CaseStatus.choices])
    priority = forms.ChoiceField(
        required=False, choices=[("", "Any priority"), *CasePriority.choices]
    )
    since = forms.DateField(required=False, label="Opened from", widget=DATE)
    until = forms.DateField(required=False, label="Opened to", widget=DATE)
    mine = forms.BooleanField(required=False, label="Only my cases")


class TaskForm(forms.Form):
    """A case task: what to do, by when, and who does it (the case's investigator if no one
    is chosen). Only people who can see the case's store are offered."""

    title = forms.CharField(max_length=200, label="Task")
    due_on = forms.DateField(required=False, widget=DATE, label="Due")
    assignee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,  # the case store's people, set per form
        required=False,
        label="Assign to",
        empty_label="The case's investigator",
    )

    def __init__(
        self, *args: Any, assignees: QuerySet[Any], store: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.store = store  # whose calendar says what "today" is
        self.fields["assignee"].queryset = assignees  # type: ignore[attr-defined]
        self.fields["assignee"].label_from_instance = _person_name  # type: ignore[attr-defined]

    def clean_due_on(self) -> Any:
        due_on = self.cleaned_data["due_on"]
        if due_on is not None and due_on < clock.today_at(self.store):
            raise forms.ValidationError("A task cannot be due before today.")
        return due_on


class TaskUpdateForm(TaskForm):
    """Reassigning a task or moving its date; its title stays as written."""

    title = None  # type: ignore[assignment]


def _person_name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


class NoteForm(forms.Form):
    title = forms.CharField(max_length=200, required=False)
    body = limited_text(LONG_TEXT_CHARS, rows=4)


class StatementForm(forms.Form):
    witness_name = forms.CharField(max_length=200)
    witness_contact = forms.CharField(max_length=200, required=False)
    place = forms.CharField(max_length=200, required=False)
    started_at = forms.DateTimeField(widget=LOCAL_DATETIME)
    language = forms.CharField(max_length=40, initial="English")
    body = limited_text(
        LONG_TEXT_CHARS, rows=10, required=False, label="Statement, in the witness's words"
    )
    scan: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,  # the incident's evidence, set per form
        required=False,
        to_field_name="number",
        label="…or a scan of the signed paper statement (upload it as evidence first)",
    )

    def __init__(self, *args: Any, scans: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scan"].queryset = scans  # type: ignore[attr-defined]


class SignForm(forms.Form):
    attested_name = forms.CharField(max_length=200, label="Witness types their full name")
    signature_png = forms.CharField(required=False, widget=forms.HiddenInput)
