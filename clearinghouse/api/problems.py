"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error the API answers has the same shape::

    {"type": "about:blank", "title": "Not Found", "status": 404,
     "detail": "There is no resource 'x'.", "instance": "/api/resources/x"}

``type`` is ``about:blank`` when the status says it all, or one of the
``PROBLEM_TYPES`` below when a client may want to tell the case apart.
Validation problems add ``errors``: ``[{"location", "field", "message"}]``;
a refused duplicate upload adds ``existing``, the record that holds the file.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from clearinghouse.api.schemas import PATTERN_MESSAGES
from clearinghouse.api.serialise import resource_ref
from clearinghouse.catalog.models import Resource

logger = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPES = {
    "validation": "urn:clearinghouse:problem:validation",
    "duplicate": "urn:clearinghouse:problem:duplicate",
    "refused-file": "urn:clearinghouse:problem:refused-file",
    "workflow": "urn:clearinghouse:problem:workflow",
}
# Where a parameter came from: errors in these are a malformed request (400);
# errors in a body that parsed are content the API cannot accept (422).
REQUEST_LOCATIONS = {"query", "path", "header", "cookie"}


class FieldError(Schema):
    location: str
    field: str
    message: str


class ExistingRecord(Schema):
    id: str
    slug: str
    title: str
    url: str
    api_url: str


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldError] | None = None
    existing: ExistingRecord | None = None


class ApiProblem(Exception):
    """Raised by an endpoint to answer with a problem."""

    def __init__(
        self, status: int, detail: str, *, kind: str = "", **extensions: Any
    ) -> None:
        super().__init__(detail)
        self.status, self.detail, self.kind = status, detail, kind
        self.extensions = extensions


def problem_response(
    request: HttpRequest,
    status: int,
    detail: str,
    *,
    kind: str = "",
    **extensions: Any,
) -> HttpResponse:
    """A problem details response for ``request``."""
    body = {
        "type": PROBLEM_TYPES.get(kind, "about:blank"),
        "title": status_phrase(status),
        "status": status,
        "detail": detail,
        "instance": request.get_full_path(),
        **{name: value for name, value in extensions.items() if value is not None},
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=MEDIA_TYPE
    )


def status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def is_problem(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith(MEDIA_TYPE)


def field_errors(errors: list[dict]) -> list[dict]:
    """Ninja's (pydantic's) errors as ``{"location", "field", "message"}``."""
    found = []
    for error in errors:
        location, *path = [str(part) for part in error.get("loc", ())] or ["request"]
        # A body read into one parameter is located under that parameter's name.
        if location == "body" and len(path) > 1 and path[0] == "payload":
            path = path[1:]
        message = str(error.get("msg", "is not valid"))
        pattern = (error.get("ctx") or {}).get("pattern")
        message = PATTERN_MESSAGES.get(pattern, message)
        found.append(
            {"location": location, "field": ".".join(path), "message": message}
        )
    return found


def validation_problem(request: HttpRequest, errors: list[dict]) -> HttpResponse:
    fields = field_errors(errors)
    status = 400 if all(e["location"] in REQUEST_LOCATIONS for e in fields) else 422
    named = "; ".join(
        f"{e['field'] or e['location']}: {e['message']}" for e in fields[:5]
    )
    return problem_response(
        request,
        status,
        f"The request is not valid. {named}.",
        kind="validation",
        errors=fields,
    )


def on_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
    extensions = {
        name: resource_ref(value, request) if isinstance(value, Resource) else value
        for name, value in exc.extensions.items()
    }
    return problem_response(
        request, exc.status, exc.detail, kind=exc.kind, **extensions
    )


def on_authentication(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = exc.message
    if detail == "Unauthorized":  # ninja's word when no credentials came
        detail = "Sign in, or send an API token: Authorization: Bearer <token>."
    response = problem_response(request, exc.status_code, detail)
    if exc.status_code == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(request, exc.status_code, exc.message)


def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return validation_problem(request, exc.errors)


def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(request, 404, str(exc) or "Nothing is here.")


def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem_response(request, 403, str(exc) or "Not allowed.")


def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return problem_response(request, 413, "The request body is too large.")


def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s", request.path, exc_info=exc)
    return problem_response(
        request, 500, "Something went wrong on the server; it has been logged."
    )


# Ninja picks the handler of the nearest class in an exception's MRO.
HANDLERS = [
    (ApiProblem, on_problem),
    (AuthenticationError, on_authentication),
    (HttpError, on_http_error),
    (ValidationError, on_validation),
    (Http404, on_not_found),
    (PermissionDenied, on_forbidden),
    (RequestDataTooBig, on_too_big),
    (Exception, on_unexpected),
]


def install_handlers(api: NinjaAPI) -> None:
    """Answer every error ninja meets with problem details."""
    for exception_class, handler in HANDLERS:
        api.add_exception_handler(exception_class, handler)


def as_problem(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Any other error answered under /api/ (no route, method not allowed,
    a refusal by Django itself) rewritten as problem details."""
    if response.status_code < 400 or is_problem(response):
        return response
    details = {
        404: f"There is nothing at {request.path}; see /api/docs for the endpoints.",
        405: f"{request.method} is not allowed here.",
    }
    status = response.status_code
    rewritten = problem_response(
        request, status, details.get(status, status_phrase(status) + ".")
    )
    for header in ("Allow", "WWW-Authenticate", "Retry-After"):
        if header in response:
            rewritten[header] = response[header]
    return rewritten


def answers(ok: dict, *errors: int) -> dict:
    """A route's ``response=``: its success schemas, then Problem for each
    error status it may answer (400 and 401 are possible everywhere)."""
    return {**ok, tuple(sorted({400, 401, *errors})): Problem}
