"""Cross-origin reads (CORS): any web page may read the API, none may write.

Reads answer ``Access-Control-Allow-Origin: *`` and never allow credentials,
so a page elsewhere reads only what an anonymous visitor, or the API token it
sends itself, may see: never what the browser's session cookie would show.
Preflights for anything but GET and HEAD get no CORS headers, so browsers
refuse cross-origin writes. https://fetch.spec.whatwg.org/#http-cors-protocol
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

READ_METHODS = {"GET", "HEAD"}
ALLOWED_HEADERS = "Authorization, If-None-Match, If-Modified-Since"
EXPOSED_HEADERS = (
    "ETag, Last-Modified, Link, Content-Disposition, X-Result-Count, X-Exported-Count"
)
PREFLIGHT_MAX_AGE = "86400"


def preflight(request: HttpRequest) -> HttpResponse | None:
    """The answer to a CORS preflight, or None when this is not one."""
    wanted = request.headers.get("Access-Control-Request-Method")
    if request.method != "OPTIONS" or not wanted or "Origin" not in request.headers:
        return None
    response = HttpResponse(status=204)
    if wanted.upper() in READ_METHODS:
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "GET, HEAD"
        response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response


def allow_reads(method: str, response: HttpResponse) -> None:
    """Let any origin read the answer to a GET or HEAD."""
    if method in READ_METHODS:
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
