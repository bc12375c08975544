"""Headers that keep pages from being abused or from telling on their readers.

``SecurityHeadersMiddleware`` adds, on top of Django's own SecurityMiddleware:

- A strict Content-Security-Policy on every HTML page: scripts, styles, fonts
  and images from this site only, no inline script or style, no plugins, no
  framing (``frame-ancestors 'none'``). JSON-LD blocks (``<script
  type="application/ld+json">``) are data that browsers never run, so
  ``script-src`` does not apply to them. Responses that already carry a policy
  keep theirs: documents go out with ``sandbox`` (web/downloads.py).
- ``Referrer-Policy: no-referrer`` wherever it can: readers' next sites learn
  nothing, not even that they came from this library. It cannot be sent with
  a page that posts a form back here: under ``no-referrer`` browsers send
  ``Origin: null`` with the post, and Django's CSRF check rightly refuses it.
  So a page that carries Django's CSRF cookie (it holds a form that posts
  back: sign-in, the admin, every page a signed-in user sees with its sign-out
  button) says ``same-origin``, which still tells other sites nothing.

Django 5.2 has no Content-Security-Policy of its own; the policy here is one
constant without nonces (no page has inline script), so a middleware of a
few lines does it without a dependency.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # data: for the icons Swagger UI's stylesheet (/api/docs) draws inline.
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# The admin's record page sets a few table widths in style attributes
# (catalog/templates/admin/.../includes): allowed there, and only there, until
# they move to a stylesheet. A style attribute runs no script, and what it
# could load is still held to img-src.
ADMIN_PREFIX = "/admin/"
ADMIN_POLICY = CONTENT_SECURITY_POLICY + "; style-src-attr 'unsafe-inline'"
NO_REFERRER = "no-referrer"
SAME_ORIGIN = "same-origin"


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Referrer-Policy (see the module's notes)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_html(response) and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy_for(request)
        response["Referrer-Policy"] = referrer_policy(response)
        return response


def policy_for(request: HttpRequest) -> str:
    admin = request.path.startswith(ADMIN_PREFIX)
    return ADMIN_POLICY if admin else CONTENT_SECURITY_POLICY


def referrer_policy(response: HttpResponse) -> str:
    """``same-origin`` for a page with a form that posts back, else none."""
    posts_back = settings.CSRF_COOKIE_NAME in response.cookies
    return SAME_ORIGIN if posts_back else NO_REFERRER


def is_html(response: HttpResponse) -> bool:
    media_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return media_type in ("text/html", "application/xhtml+xml")
