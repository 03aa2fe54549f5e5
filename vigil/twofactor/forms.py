"""Forms of the account pages: a second-factor code, a new TOTP app, the policy, a reset."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm

from vigil.core.audit import record
from vigil.core.models import Role
from vigil.core.models.audit import AuditAction


class VerificationForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app, or a recovery code",
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class AuthenticatorAppForm(forms.Form):
    code = forms.CharField(
        label="The six-digit code the app shows now",
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )
    name = forms.CharField(
        label="Name (to tell your devices apart)",
        max_length=64,
        required=False,
        initial="Authenticator app",
    )


class PolicyForm(forms.Form):
    required_roles = forms.MultipleChoiceField(
        label="Roles that must sign in with a second factor",
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    demo_logins_exempt = forms.BooleanField(
        label="Demo logins sign in with the demo password alone",
        required=False,
        help_text="Set by the vigil demo command, so a newcomer can try every role. Clear it "
        "before real use; every other user follows the roles above either way.",
    )


class FactorResetForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150)


class AuditedPasswordResetForm(PasswordResetForm):
    """Django's reset form (no hint whether the address is known), with each link it
    e-mails written to the audit log."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        super().send_mail(
            subject_template_name,
            email_template_name,
            context,
            from_email,
            to_email,
            html_email_template_name,
        )
        record(AuditAction.PASSWORD_RESET, obj=context["user"], changes={"step": "link e-mailed"})
