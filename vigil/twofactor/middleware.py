"""Holds a signed-in session at the second-factor step until it is done.

Pages redirect to verification (or enrolment); the API answers 401 to a session that has not
finished signing in. API tokens are a separate credential and keep working: a request that
sends one is judged by the token alone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from vigil.twofactor.gate import Step, step_for

# What a session at the second-factor step may still reach.
OPEN_PREFIXES = ("/account/two-factor/", "/logout/", "/password-reset/")


class TwoFactorMiddleware:
    """Must come after django-otp's ``OTPMiddleware``, which says whether a session is verified."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith((*OPEN_PREFIXES, settings.STATIC_URL or "/static/")):
            return self.get_response(request)
        step = step_for(getattr(request, "user", None))
        if step is Step.NONE:
            return self.get_response(request)
        if path.startswith("/api/"):
            return self._api(request, step)
        return _redirect_to(step, request.get_full_path(), htmx="HX-Request" in request.headers)

    def _api(self, request: HttpRequest, step: Step) -> HttpResponse:
        if "Authorization" in request.headers:
            request.user = AnonymousUser()  # the token decides who this is
            return self.get_response(request)
        from vigil.api import error_response

        where = reverse("twofactor:verification" if step is Step.VERIFY else "twofactor:enrolment")
        return error_response(
            request, 401, f"Finish signing in with your second factor first ({where})."
        )


def _redirect_to(step: Step, next_path: str, *, htmx: bool) -> HttpResponse:
    name = "twofactor:verification" if step is Step.VERIFY else "twofactor:enrolment"
    url = f"{reverse(name)}?{urlencode({'next': next_path})}"
    if htmx:  # a fragment request: have htmx load the whole page instead of swapping it in
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)
