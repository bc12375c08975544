"""Signing in, with a lockout: after five failed tries for one username, signing
in to it is paused for fifteen minutes (both numbers are settings), on the
site's sign-in page and the admin's alike. A success clears the count.

The count is kept per username, never per client address: the library keeps
no addresses (docs/operating.md, "Security and privacy"), and behind a reverse
proxy every reader would share the proxy's address, so a per-address limit
would be one limit for everyone that anyone could trip. Guessing one account's
password is what the lockout stops; spraying one common password across many
names meets the password validators, which refuse common passwords. The price:
anyone who knows a username can pause its sign-in for fifteen minutes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from clearinghouse.lib.throttle import Throttle

LOCKED = (
    "Too many failed sign-ins for this username. To protect the account, "
    "signing in to it is paused for %(minutes)s minutes: try again later."
)
INVALID = (
    "The username and password did not match an active account. "
    "Both are case-sensitive."
)


def sign_in_throttle() -> Throttle:
    minutes = settings.SIGN_IN_LOCKOUT_MINUTES
    return Throttle(
        "sign-in", settings.SIGN_IN_FAILURES_ALLOWED, timedelta(minutes=minutes)
    )


class LockoutMixin:
    """For an AuthenticationForm: refuse a locked username before its password
    is even checked, count failures, clear the count on success."""

    def clean(self) -> dict[str, Any]:
        username = (self.cleaned_data.get("username") or "").casefold()
        throttle = sign_in_throttle()
        if username and throttle.is_locked(username):
            raise self.locked_error()
        try:
            cleaned = super().clean()
        except ValidationError:
            # A staff-only page refusing a right password is no failed guess.
            if username and self.user_cache is None and throttle.fail(username):
                raise self.locked_error() from None
            raise
        if username:
            throttle.reset(username)
        return cleaned

    def locked_error(self) -> ValidationError:
        minutes = settings.SIGN_IN_LOCKOUT_MINUTES
        return ValidationError(LOCKED, code="locked", params={"minutes": minutes})


class SignInForm(LockoutMixin, AuthenticationForm):
    error_messages = {**AuthenticationForm.error_messages, "invalid_login": INVALID}


class AdminSignInForm(LockoutMixin, AdminAuthenticationForm):
    pass
