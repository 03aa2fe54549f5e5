"""The Vigil REST API: one NinjaAPI under /api/v1/, one router per app.

Every error has one shape, ``{"error": {"code": ..., "message": ...}}``, with a real status
code; every list is paginated (:class:`Pagination`).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from vigil.core import tokens
from vigil.core.apiauth import BrowserSessionAuth, TokenAuth
from vigil.core.apiinput import refuse_unstorable
from vigil.core.middleware import client_ip
from vigil.core.openapi import DocumentedAPI
from vigil.core.ratelimits import PerAddress, PerClient

logger = logging.getLogger(__name__)

STATUS_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    411: "length_required",
    413: "too_large",
    422: "invalid",
    429: "throttled",
    500: "server_error",
}


def signed_in_or_token(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The API's docs and schema are for Vigil's users: a browser signed in, or a machine
    with a token. Anyone else is sent to sign in (the docs) or answered 401 (the schema)."""

    @functools.wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated and user.is_active
        header = request.headers.get("Authorization", "")
        bearer = header[7:].strip() if header.lower().startswith("bearer ") else ""
        if signed_in or (bearer and tokens.authenticate(bearer, client_ip(request))):
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return error_response(request, 401, "Sign in, or send an API token.")
        return redirect_to_login(request.get_full_path())

    return checked


# The schema declares each operation's error answers too (vigil.core.openapi).
api = DocumentedAPI(
    title="Vigil API",
    version="1",
    description="Loss-prevention platform API. Every list is paginated; every error is "
    '`{"error": {"code", "message"}}`. Objects outside your store scope are 404.',
    urls_namespace="api",
    auth=[TokenAuth(), BrowserSessionAuth(csrf=True)],
    docs_decorator=signed_in_or_token,
    throttle=[PerClient(), PerAddress()],
)
# Parsed input no database can keep is a 422 before any handler sees it (vigil.core.apiinput).
api.add_decorator(refuse_unstorable)


def error_response(
    request: HttpRequest, status: int, message: str, details: Any = None
) -> HttpResponse:
    body: dict[str, Any] = {"code": STATUS_CODES.get(status, "error"), "message": message}
    if details is not None:
        body["details"] = details
    return api.create_response(request, {"error": body}, status=status)


@api.exception_handler(ValidationError)
def _invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {"loc": [str(part) for part in err.get("loc", ())], "message": err.get("msg", "")}
        for err in exc.errors
    ]
    first = details[0] if details else {"loc": [], "message": "invalid request"}
    where = ".".join(first["loc"][1:] or first["loc"])
    return error_response(request, 422, f"{where}: {first['message']}", details)


@api.exception_handler(DjangoValidationError)
def _invalid_data(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        details = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
        message = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in details.items())
        return error_response(request, 422, message, details)
    return error_response(request, 422, " ".join(exc.messages))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "Not found.")


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, 403, str(exc) or "You may not do this.")


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = error_response(request, 429, "Too many requests; slow down.")
    if exc.wait:
        response["Retry-After"] = str(exc.wait)
    return response


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, "Sign in, or send a valid API token.")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(request, exc.status_code, str(exc))


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    request_id = getattr(request, "request_id", "")
    return error_response(request, 500, f"Internal error; quote request id {request_id}.")


def mount_routers() -> None:
    """Attach every app's router; each app adds its line here."""
    from vigil.audits.api import router as audits_router
    from vigil.cases.api import router as cases_router
    from vigil.core.api import router as core_router
    from vigil.evidence.api import router as evidence_router
    from vigil.pos.api import router as pos_router
    from vigil.reports.api import router as reports_router
    from vigil.retention.api import router as retention_router
    from vigil.safety.api import router as safety_router
    from vigil.search.api import router as search_router
    from vigil.sharing.api import router as sharing_router
    from vigil.shrink.api import router as shrink_router
    from vigil.training.api import router as training_router
    from vigil.video.api import router as video_router

    api.add_router("/", core_router)
    api.add_router("/", cases_router)
    api.add_router("/", evidence_router)
    api.add_router("/", pos_router)
    api.add_router("/", video_router)
    api.add_router("/", audits_router)
    api.add_router("/", safety_router)
    api.add_router("/", training_router)
    api.add_router("/", shrink_router)
    api.add_router("/", reports_router)
    api.add_router("/", retention_router)
    api.add_router("/", sharing_router)
    api.add_router("/", search_router)


mount_routers()
