"""Who is asking: an API token (``Authorization: Bearer <token>``), a signed-in
session, or nobody.

Reads accept all three; a token that is sent must be valid (a typo answers
401, never silently the anonymous view). Writes need a token or a session;
session writes must carry Django's CSRF token, token writes need none (a
browser never sends a bearer token by itself). Permissions are the admin's
own, checked with ``require``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from clearinghouse.api.problems import ApiProblem
from clearinghouse.api.tokens import user_for_token

BAD_HEADER = "The Authorization header must be 'Bearer <token>'."
BAD_TOKEN = (
    "The API token is not valid: it may be mistyped, revoked or its user disabled."
)


class BearerToken(HttpBearer):
    """An API token in the Authorization header; shown in the OpenAPI schema."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if not header:
            return None
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise AuthenticationError(message=BAD_HEADER)
        return self.authenticate(request, secret)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is None:
            raise AuthenticationError(message=BAD_TOKEN)
        # Everything downstream (visibility, workflow, ingest) asks request.user.
        request.user = user
        return user


class Session(APIKeyCookie):
    """Django's session cookie, with the CSRF check on unsafe methods."""

    def __init__(self) -> None:
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise AuthenticationError(
                403,
                "The CSRF check failed: a signed-in browser must send Django's "
                "CSRF token; programs should send an API token instead.",
            )
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return None  # __call__ decides


class Anyone:
    """The last resort for reads: whoever the request is, maybe anonymous."""

    def __call__(self, request: HttpRequest) -> Any:
        return getattr(request, "user", None) or AnonymousUser()


READ_AUTH = [BearerToken(), Anyone()]
WRITE_AUTH = [BearerToken(), Session()]


def require(request: HttpRequest, permission: str, doing: str) -> None:
    """403 unless the caller holds ``permission`` (e.g. ``catalog.add_resource``)."""
    user = request.user
    if not (user.is_active and user.has_perm(permission)):
        raise ApiProblem(
            403,
            f"{user.get_username() or 'This user'} may not {doing} "
            f"(the {permission} permission is needed).",
        )
