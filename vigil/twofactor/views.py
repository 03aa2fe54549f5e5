"""Account pages: the second-factor step, enrolment, one's devices, the policy, passwords.

Each view parses, authorises, calls one function of ``devices`` or ``policy`` and renders.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from vigil.core import throttling
from vigil.core.audit import record
from vigil.core.middleware import client_ip
from vigil.core.models import Role, User
from vigil.core.models.audit import AuditAction
from vigil.core.pages import signed_in_user
from vigil.core.roles import Capability, require
from vigil.twofactor import devices, policy
from vigil.twofactor.forms import (
    AuditedPasswordResetForm,
    AuthenticatorAppForm,
    FactorResetForm,
    PolicyForm,
    VerificationForm,
)
from vigil.twofactor.gate import Step, is_verified, may_enrol, step_for

PENDING_KEY = "twofactor_pending_totp_key"


def _next_url(request: HttpRequest) -> str:
    """Where to go once this step is done: a local ``next``, or the dashboard."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe else reverse(settings.LOGIN_REDIRECT_URL)


def _zone_of(user: User) -> str:
    """Times on account pages are shown in the user's home store's zone (else UTC)."""
    person = user.person
    return person.home_store.timezone if person is not None else "UTC"


@login_required
@require_http_methods(["GET", "POST"])
def verification(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    step = step_for(request.user)
    if step is Step.NONE:
        return redirect(_next_url(request))
    if step is Step.ENROL:
        return redirect(f"{reverse('twofactor:enrolment')}?{request.GET.urlencode()}")
    form = VerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = _verify(request, user, form.cleaned_data["code"])
        if error is None:
            return redirect(_next_url(request))
        form.add_error("code", error)
    context = {
        **_without_shell(user),
        "form": form,
        "next": _next_url(request),
        "has_passkeys": devices.passkeys(user).exists(),
        "has_app": devices.authenticator_apps(user).exists(),
    }
    return render(request, "twofactor/verification.html", context)


def _without_shell(user: User) -> dict[str, Any]:
    """Context that hides the menu while signing in is unfinished (each link would only lead
    back here); ``account`` names the user instead."""
    return {"user": AnonymousUser(), "account": user}


def _verify(request: HttpRequest, user: User, code: str) -> str | None:
    """Check the code; ``None`` when it held, else what to tell the user."""
    verdict = throttling.check(user.username, client_ip(request))
    if not verdict.allowed:
        minutes = max(1, verdict.retry_after_seconds // 60)
        return f"Too many failed attempts. Try again in {minutes} minute(s)."
    outcome = devices.verify_code(user, code)
    if not outcome.ok:
        devices.record_verification(user, "code", ok=False)
        if outcome.locked_until is not None:
            return "Too many wrong codes in a row. Wait a few seconds and try again."
        return "That code is not right (or was already used). Try the next one."
    otp_login(request, outcome.device)
    method = devices.method_of(outcome.device)
    devices.record_verification(user, method, ok=True)
    if method == "recovery code":
        left = devices.recovery_codes_left(user)
        messages.warning(request, f"Recovery code used; {left} left. Make new ones if few remain.")
    return None


@login_required
@never_cache
@require_GET
def enrolment(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not may_enrol(request.user):
        return redirect(f"{reverse('twofactor:verification')}?{request.GET.urlencode()}")
    key = request.session.get(PENDING_KEY) or devices.new_totp_key()
    request.session[PENDING_KEY] = key
    return render(request, "twofactor/enrolment.html", _enrolment_context(request, user, key))


def _enrolment_context(
    request: HttpRequest, user: User, key: str, form: AuthenticatorAppForm | None = None
) -> dict[str, Any]:
    uri = devices.totp_uri(user, key)
    held = step_for(request.user) is not Step.NONE
    return {
        **(_without_shell(user) if held else {}),
        "form": form or AuthenticatorAppForm(),
        "qr_svg": devices.qr_svg(uri),
        "totp_uri": uri,
        "secret": devices.totp_secret(user, key),
        "next": _next_url(request),
        "first": not devices.has_primary_device(user),
        "required": policy.is_required(user),
    }


@login_required
@never_cache
@require_POST
def authenticator_apps(request: HttpRequest) -> HttpResponse:
    """Adds a TOTP app once the user has typed its current code."""
    user = signed_in_user(request)
    if not may_enrol(request.user):
        return redirect("twofactor:verification")
    key = request.session.get(PENDING_KEY)
    form = AuthenticatorAppForm(request.POST)
    if key is None:
        messages.error(request, "That set-up page expired; scan the new code below.")
        return redirect("twofactor:enrolment")
    device = None
    if form.is_valid():
        code = "".join(form.cleaned_data["code"].split())
        device = devices.add_authenticator_app(user, key, code, form.cleaned_data["name"])
        if device is None:
            form.add_error("code", "That code does not match. Check the app's clock and retry.")
    if device is None:
        context = _enrolment_context(request, user, key, form)
        return render(request, "twofactor/enrolment.html", context, status=422)
    del request.session[PENDING_KEY]
    return _after_enrolment(request, user, device)


def _after_enrolment(request: HttpRequest, user: User, device: Any) -> HttpResponse:
    if not is_verified(request.user):
        otp_login(request, device)  # the code just typed proves the device
    if devices.recovery_codes_left(user) == 0:
        return _show_recovery_codes(request, user)
    messages.success(request, "Authenticator app added.")
    return redirect(_next_url(request))


@login_required
@never_cache
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Replaces the user's recovery codes and shows the new ones, once."""
    user = signed_in_user(request)
    if not is_verified(request.user):
        return redirect("twofactor:verification")
    return _show_recovery_codes(request, user)


def _show_recovery_codes(request: HttpRequest, user: User) -> HttpResponse:
    codes = devices.issue_recovery_codes(user)
    context = {"codes": codes, "next": _next_url(request)}
    return render(request, "twofactor/recovery_codes.html", context)


@login_required
@require_GET
def security(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    context = {
        "apps": devices.authenticator_apps(user),
        "passkeys": devices.passkeys(user),
        "codes_left": devices.recovery_codes_left(user),
        "required": policy.is_required(user),
        "verified": is_verified(request.user),
        "zone": _zone_of(user),
    }
    return render(request, "twofactor/security.html", context)


@login_required
@require_POST
def authenticator_app_removal(request: HttpRequest, device_id: int) -> HttpResponse:
    device = get_object_or_404(devices.authenticator_apps(signed_in_user(request)), pk=device_id)
    devices.remove_device(device)
    messages.success(request, f"Removed {device.name}.")
    return redirect("twofactor:security")


@login_required
@require_POST
def passkey_removal(request: HttpRequest, device_id: int) -> HttpResponse:
    device = get_object_or_404(devices.passkeys(signed_in_user(request)), pk=device_id)
    devices.remove_device(device)
    messages.success(request, "Passkey removed.")
    return redirect("twofactor:security")


@login_required
@require_http_methods(["GET", "POST"])
def policy_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(user, Capability.MANAGE_USERS)
    current = policy.current_policy()
    initial = {
        "required_roles": current.required_roles,
        "demo_logins_exempt": current.demo_logins_exempt,
    }
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        policy.set_policy(
            form.cleaned_data["required_roles"],
            demo_logins_exempt=form.cleaned_data["demo_logins_exempt"],
        )
        messages.success(request, "Two-factor policy saved.")
        return redirect("twofactor:policy")
    context = {
        "form": form,
        "reset_form": FactorResetForm(),
        "policy": current,
        "roles": _role_counts(user, current),
    }
    return render(request, "twofactor/policy.html", context)


@login_required
@require_POST
def factor_reset(request: HttpRequest) -> HttpResponse:
    """Removes every second factor of a user who lost them (they enrol again)."""
    admin = signed_in_user(request)
    require(admin, Capability.MANAGE_USERS)
    form = FactorResetForm(request.POST)
    username = form.data.get("username", "")
    target = User.objects.visible_to(admin).filter(username=username).first()
    if not form.is_valid() or target is None:
        messages.error(request, f"No user {username!r} in your scope.")
        return redirect("twofactor:policy")
    removed = devices.remove_all(target)
    messages.success(request, f"Removed {removed} second factor(s) of {target.username}.")
    return redirect("twofactor:policy")


def _role_counts(viewer: User, current: Any) -> list[dict[str, Any]]:
    """Per role: active users the viewer may see, and how many of them have a factor."""
    enrolled = Q(totpdevice__confirmed=True) | Q(webauthncredential__confirmed=True)
    users = User.objects.visible_to(viewer).filter(is_active=True)
    counts = {
        row["role"]: row
        for row in users.values("role").annotate(
            total=Count("pk", distinct=True), enrolled=Count("pk", filter=enrolled, distinct=True)
        )
    }
    return [
        {
            "label": label,
            "required": current.requires(value),
            "total": counts.get(value, {}).get("total", 0),
            "enrolled": counts.get(value, {}).get("enrolled", 0),
        }
        for value, label in Role.choices
    ]


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's password; this session carries on, every other session of the user ends
    (Django signs out a session whose password hash no longer matches)."""

    http_method_names = ["get", "post"]
    template_name = "twofactor/password_change.html"
    success_url = reverse_lazy("twofactor:security")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(
            self.request, "Password changed. Your other sessions have been signed out."
        )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    http_method_names = ["get", "post"]
    form_class = AuditedPasswordResetForm
    template_name = "twofactor/password_reset.html"
    email_template_name = "twofactor/password_reset_email.txt"
    subject_template_name = "twofactor/password_reset_subject.txt"
    success_url = reverse_lazy("twofactor:password-reset-sent")


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    http_method_names = ["get"]
    template_name = "twofactor/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link from the e-mail: valid for ``PASSWORD_RESET_TIMEOUT`` and only until the
    password changes (the token is made from the password hash), so it works once."""

    http_method_names = ["get", "post"]
    template_name = "twofactor/password_reset_confirm.html"
    success_url = reverse_lazy("twofactor:password-reset-done")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Django's view checks the link before it looks at the method.
        if (request.method or "").lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        return response

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record(AuditAction.PASSWORD_RESET, obj=form.user, changes={"step": "new password set"})
        return response

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        # A link that names no valid reset is "not found", whoever follows it.
        if not context.get("validlink"):
            kwargs["status"] = 404
        response: HttpResponse = super().render_to_response(context, **kwargs)
        return response


class PasswordResetDoneView(auth_views.PasswordResetCompleteView):
    http_method_names = ["get"]
    template_name = "twofactor/password_reset_done.html"
