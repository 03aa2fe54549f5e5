"""External users live in the portal: every other page and API call is closed to them.

Store scope already hides what was not shared; this makes the boundary a wall rather than a
filter, so a page built for colleagues (with a case's linked incidents, or a menu of areas)
can never show its insides to police, legal or an insurer.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse

from vigil.core.models import Role

# Pages an external user may open besides the portal: signing in and out, their own password
# and second factor. Named by URL namespace or by full URL name.
OPEN_NAMESPACES = frozenset({"twofactor", "otp_webauthn"})
OPEN_VIEWS = frozenset({"core:login", "core:logout"})
PORTAL_API_PREFIX = "/api/v1/shared-with-me"


class ExternalPortalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or getattr(user, "role", "") != Role.EXTERNAL:
            return self.get_response(request)
        path = request.path_info
        if path == "/":
            return HttpResponseRedirect(reverse("sharing:portal"))
        if not _open_to_external(path):
            if path.startswith("/api/"):
                # The same answer for every operation, whatever exists: nothing to learn.
                message = f"External users read what is shared with them at {PORTAL_API_PREFIX}."
                return JsonResponse(
                    {"error": {"code": "forbidden", "message": message}}, status=403
                )
            raise Http404("Not shared with you.")
        return self.get_response(request)


def _open_to_external(path: str) -> bool:
    if path.startswith("/api/"):
        return path.startswith(PORTAL_API_PREFIX)
    try:
        match = resolve(path)
    except Resolver404:
        return True  # static files and unknown paths answer 404 by themselves
    if match.namespace in OPEN_NAMESPACES or match.view_name in OPEN_VIEWS:
        return True
    if "password" in (match.url_name or ""):
        return True
    return match.namespace == "sharing" and (match.url_name or "").startswith("portal")
