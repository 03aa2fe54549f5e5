"""Error pages: HTML for people, the API's JSON error shape under /api/."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
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
