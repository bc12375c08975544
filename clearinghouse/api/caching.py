"""Validators for reads: ETag and Last-Modified, and 304 for conditional GETs.

The ETag is a hash of the body, so it changes exactly when the answer does,
whoever asks; ``Vary: Authorization, Cookie`` keeps shared caches from
handing one viewer's answer to another. ``Cache-Control: no-cache`` lets
clients keep answers but makes them ask again (cheaply, with If-None-Match)
before each use: a record may be unpublished at any moment.

Views that know when their records last changed set Last-Modified, but only
If-None-Match earns a 304: a date cannot see every change to an answer (a
record unpublished drops out of a list and leaves it older; a renamed topic
or a document read by the worker changes a record's answer, not its date),
and a 200 is always a safe answer to If-Modified-Since (RFC 9110 §13.1.3).
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    quote_etag,
)


def conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Add validators to a successful GET and answer 304 when they match."""
    patch_vary_headers(response, ("Authorization", "Cookie"))
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return response
    if not response.has_header("ETag"):
        digest = hashlib.sha256(response.content).hexdigest()[:32]
        response["ETag"] = quote_etag(digest)
    if not response.has_header("Cache-Control"):
        user = getattr(request, "user", None)
        private = "Authorization" in request.headers or bool(
            user and user.is_authenticated
        )
        patch_cache_control(
            response, no_cache=True, **({"private": True} if private else {})
        )
    return get_conditional_response(request, etag=response["ETag"], response=response)
