"""What every /api/ answer needs around its view: CORS, HEAD, validators and
problem details for errors that never reached the API's own handlers (no
such route, method not allowed, Django's own refusals)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from clearinghouse.api import caching, cors
from clearinghouse.api.problems import as_problem, problem_response
from clearinghouse.ingest.sniff import format_size

API_PREFIX = "/api/"
# Room for the multipart boundaries and headers around one uploaded file.
MULTIPART_SLACK = 64 * 1024


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        answer = cors.preflight(request) or refuse_oversize(request)
        if answer is not None:
            return answer
        method = request.method
        # HEAD is GET without the body (RFC 9110 §9.3.2): the views know GET.
        if method == "HEAD":
            request.method = "GET"
        response = as_problem(request, self.get_response(request))
        if "GET" in response.get("Allow", "").replace(" ", "").split(","):
            response["Allow"] += ", HEAD"
        response = caching.conditional(request, response)
        cors.allow_reads(method, response)
        if method == "HEAD":
            request.method = method
            if not response.streaming:
                response["Content-Length"] = str(len(response.content))
                response.content = b""
        return response


def refuse_oversize(request: HttpRequest) -> HttpResponse | None:
    """413 before the body is read, when it says it is over the upload limit:
    Django would otherwise spool the whole of it to disk first."""
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return None
    limit = settings.INGEST_MAX_BYTES
    if length <= limit + MULTIPART_SLACK:
        return None
    return problem_response(
        request,
        413,
        f"The request is {format_size(length)}; files may be up to "
        f"{format_size(limit)}.",
        kind="refused-file",
    )
