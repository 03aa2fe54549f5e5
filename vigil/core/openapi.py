"""What the published OpenAPI schema says beyond what django-ninja derives from the handlers:
the error answers each operation can give, in the API's one error shape.

django-ninja documents only the successes a handler declares. Vigil's errors come from the
exception handlers every operation shares (:mod:`vigil.api`), so they are declared here once,
from what each operation can meet: any caller may be unsigned, refused or throttled (401, 403,
429); an operation that names anything may find it missing or out of scope (404); one that
takes input may find it invalid (422); one that reads a body may find it unreadable (400), and
an upload may come without a length or too large (411, 413). An upload's body and a download's
answer, which the handler streams itself, are declared with :func:`raw_body` and
:func:`file_answer`.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI, Schema
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema

ERROR_SCHEMA = "ErrorOut"
DESCRIPTIONS = {
    400: "The request body could not be read.",
    401: "Sign in, or send a valid API token.",
    403: "Your role may not do this.",
    404: "Not found, or outside your store scope.",
    411: "An upload needs a Content-Length.",
    413: "The upload is too large.",
    422: "A parameter or a field of the body is invalid; `details` says which.",
    429: "Too many requests; `Retry-After` says when to try again.",
}


class FieldError(Schema):
    loc: list[str]
    message: str


class ApiError(Schema):
    code: str
    message: str
    # A list for a request that failed the schema, a field -> messages map for a record that
    # failed the model's own validation.
    details: list[FieldError] | dict[str, list[str]] | None = None


class ErrorOut(Schema):
    """Every API error: ``{"error": {"code", "message", "details"?}}``, with a real status."""

    error: ApiError


class DocumentedAPI(NinjaAPI):
    """A NinjaAPI whose schema also declares every operation's error answers."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        declare_errors(schema)
        return schema


def declare_errors(schema: dict[str, Any]) -> None:
    """Add the error answers to every operation of ``schema`` and ``ErrorOut`` to its
    components (a status an operation already declares is left as it is)."""
    definitions = ErrorOut.model_json_schema(ref_template=REF_TEMPLATE)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(definitions.pop("$defs", {}))
    components[ERROR_SCHEMA] = definitions
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status in error_statuses(operation):
                responses.setdefault(status, _error_response(status))


def raw_body(media_type: str, description: str) -> dict[str, Any]:
    """``openapi_extra`` for an operation that reads its request body as a file, not JSON
    (django-ninja sees no body parameter, so it would publish none)."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "requestBody": {
            "description": description,
            "required": True,
            "content": {media_type: binary},
        }
    }


def file_answer(media_type: str, description: str) -> dict[str, Any]:
    """``openapi_extra`` for an operation that answers with a file, not JSON."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {"responses": {200: {"description": description, "content": {media_type: binary}}}}


def error_statuses(operation: dict[str, Any]) -> list[int]:
    """The error statuses ``operation`` (an OpenAPI operation object) can answer with."""
    statuses = [401, 403, 429]
    body = operation.get("requestBody", {}).get("content", {})
    if operation.get("parameters") or body:
        statuses += [404, 422]
    if body:
        statuses.append(400)
    if any(kind.get("schema", {}).get("format") == "binary" for kind in body.values()):
        statuses += [411, 413]
    return sorted(statuses)


def _error_response(status: int) -> dict[str, Any]:
    ref = REF_TEMPLATE.format(model=ERROR_SCHEMA)
    return {
        "description": DESCRIPTIONS[status],
        "content": {"application/json": {"schema": {"$ref": ref}}},
    }
