"""Forms of the retention page and the hold controls."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from vigil.retention import policies


class PolicyForm(forms.Form):
    """One period per kind, each within its bounds (checked here and again on save)."""

    def __init__(self, *args: Any, current: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, rule in policies.RULES.items():
            self.fields[kind] = forms.IntegerField(
                label=rule.label,
                initial=current[kind],
                min_value=rule.min_days,
                max_value=rule.max_days,
                help_text=f"{rule.min_days:,} to {rule.max_days:,} days",
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for kind, days in cleaned.items():
            try:
                policies.check_days(kind, days)
            except ValidationError as error:
                self.add_error(kind, error.message_dict["days"])
        return cleaned


class HoldForm(forms.Form):
    reason = forms.CharField(
        max_length=300, help_text="The court, matter or request it is held for"
    )
    until = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Last day of the hold; leave blank to hold until released",
    )


class ReleaseForm(forms.Form):
    release_reason = forms.CharField(max_length=300, label="Why it is released")
