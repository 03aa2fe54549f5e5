"""Error pages: HTML for people, the API's JSON error shape under /api/."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from vigil.api import STATUS_CODES

_MESSAGES = {
    400: "The request could not be understood.",
    403: "You may not do this.",
    404: "Not found.",
    500: "Something went wrong on our side.",
}


def _respond(request: HttpRequest, status: int) -> HttpResponse:
    message = _MESSAGES[status]
    if request.path.startswith("/api/"):
        body = {"error": {"code": STATUS_CODES.get(status, "server_error"), "message": message}}
        return JsonResponse(body, status=status)
    context = {
        "status": status,
        "message": message,
        "request_id": getattr(request, "request_id", ""),
    }
    return render(request, "core/error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _respond(request, 400)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _respond(request, 403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _respond(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _respond(request, 500)


class ErrorPagesMiddleware:
    """Vigil's own 400, 403 and 404 pages with DEBUG on too.

    With DEBUG, Django answers a 404 with its technical page, which lists every URL
    pattern, and a 400 with a traceback; the demo runs with DEBUG on, so these would be
    what a visitor sees. Only a 500 keeps the debug page, and only in DEBUG. Without DEBUG
    Django already calls the handlers in ``vigil.urls``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # No view matched (or a middleware below raised Http404 before one could): the
        # 404 in hand is Django's technical page.
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            return not_found(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not settings.DEBUG:
            return None
        if isinstance(exception, Http404):
            return not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return forbidden(request, exception)
        if isinstance(exception, (BadRequest, SuspiciousOperation)):
            return bad_request(request, exception)
        return None
