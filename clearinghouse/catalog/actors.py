"""Who is acting right now: the account behind the current request or command.

Revisions and audit events name the person who made a change. Most write
paths pass their actor explicitly; a change seen only by a signal (a group
added to a user in the admin, a record changed by a path that records no
revision of its own) takes it from here. ``ActorMiddleware`` keeps the request
being served in a context variable; ``acting_as`` names an actor for code run
outside a request (commands, tests).

The request, not its user, is kept: the API replaces ``request.user`` once it
has checked a token, after the middleware has run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

_request: ContextVar[HttpRequest | None] = ContextVar("request", default=None)
_actor: ContextVar[AbstractBaseUser | None] = ContextVar("actor", default=None)

ADMIN, API, SITE, COMMAND = "admin", "api", "site", "command"
CHANNEL_LABELS = {
    ADMIN: "admin",
    API: "API",
    SITE: "web site",
    COMMAND: "command line",
}


class ActorMiddleware:
    """Keeps the request being served where revisions and audit can find it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


@contextmanager
def acting_as(user: AbstractBaseUser | None) -> Iterator[None]:
    """Name the actor of everything done inside the block."""
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> AbstractBaseUser | None:
    """The named actor, else the signed-in user of the current request."""
    if (actor := _actor.get()) is not None:
        return actor
    request = _request.get()
    user = getattr(request, "user", None) if request is not None else None
    if user is not None and user.is_authenticated:
        return user
    return None


def current_channel() -> str:
    """The door the current change comes through (see ``CHANNEL_LABELS``)."""
    request = _request.get()
    if request is None:
        return COMMAND
    if request.path.startswith("/admin/"):
        return ADMIN
    if request.path.startswith("/api/"):
        return API
    return SITE
