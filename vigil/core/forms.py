"""Forms of the core pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from vigil.core import throttling
from vigil.core.audit import record
from vigil.core.context import Actor, current_actor
from vigil.core.middleware import client_ip
from vigil.core.models import EmployeeRole, Region, Role, ScopeKind, Store
from vigil.core.models.audit import AuditAction


class SignInForm(AuthenticationForm):
    """Django's sign-in form, refusing to check passwords while an account is throttled."""

    def clean(self) -> dict[str, Any]:
        username = (self.data.get("username") or "").strip()
        ip = client_ip(self.request) if self.request is not None else None
        verdict = throttling.check(username, ip)
        if not verdict.allowed:
            now = current_actor()
            tried = Actor(username=username[:150], via=now.via, request_id=now.request_id, ip=ip)
            record(
                AuditAction.LOGIN_THROTTLED,
                object_type="core.user",
                object_repr=username,
                actor=tried,
            )
            minutes = max(1, round(verdict.retry_after_seconds / 60))
            raise forms.ValidationError(
                f"Too many failed sign-ins. Try again in about {minutes} minute(s), "
                "or ask an administrator.",
                code="throttled",
            )
        return super().clean()


# A calendar day in a form: the browser's date picker, the ISO date it sends.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeopleFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        label="Search",
        widget=forms.SearchInput(attrs={"placeholder": "Name or employee id"}),
    )
    role = forms.ChoiceField(required=False, choices=[("", "Any role"), *EmployeeRole.choices])


class UserFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        label="Search",
        widget=forms.SearchInput(attrs={"placeholder": "Username or name"}),
    )
    role = forms.ChoiceField(required=False, choices=[("", "Any role"), *Role.choices])
    active = forms.ChoiceField(
        required=False,
        label="Status",
        choices=[("", "Any status"), ("yes", "Active"), ("no", "Suspended")],
    )


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(required=False, choices=[("", "Any action")])
    actor = forms.CharField(required=False, label="User")
    object_type = forms.CharField(required=False, label="Object type")
    object_id = forms.CharField(required=False, label="Object id")
    store = forms.CharField(required=False, label="Store code")
    since = forms.DateTimeField(
        required=False,
        label="From (UTC)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    until = forms.DateTimeField(
        required=False,
        label="Until (UTC)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from vigil.core.models.audit import AuditAction as Action

        super().__init__(*args, **kwargs)
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", "Any action"), *Action.choices]


class UserAccessForm(forms.Form):
    """Role and store scope of a user, as an administrator edits them."""

    role = forms.ChoiceField(choices=Role.choices)
    scope_kind = forms.ChoiceField(choices=ScopeKind.choices, label="Sees")
    stores = forms.ModelMultipleChoiceField(
        queryset=Store.objects.none(), required=False, to_field_name="code"
    )
    regions = forms.ModelMultipleChoiceField(
        queryset=Region.objects.none(), required=False, to_field_name="code"
    )
    is_active = forms.BooleanField(required=False, label="May sign in")

    def __init__(self, *args: Any, admin: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stores_field = self.fields["stores"]
        regions_field = self.fields["regions"]
        assert isinstance(stores_field, forms.ModelMultipleChoiceField)
        assert isinstance(regions_field, forms.ModelMultipleChoiceField)
        stores_field.queryset = Store.objects.visible_to(admin)
        regions_field.queryset = Region.objects.visible_to(admin)

    def access_changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "role": data["role"],
            "scope_kind": data["scope_kind"],
            "is_active": data["is_active"],
            "stores": [store.code for store in data["stores"]],
            "regions": [region.code for region in data["regions"]],
        }


class NewUserForm(UserAccessForm):
    username = forms.CharField(max_length=150)
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(required=False)
    password = forms.CharField(widget=forms.PasswordInput, help_text="At least 12 characters.")
    organisation_name = forms.CharField(required=False, label="Agency / firm (external users)")

    field_order = ["username", "first_name", "last_name", "email", "password", "role", "scope_kind"]


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What will use it, e.g. 'video worker S101'")
    days = forms.IntegerField(min_value=1, max_value=366, initial=90, label="Valid for (days)")
