"""The privacy page: what the library keeps about its readers, and what not."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def privacy(request: HttpRequest) -> HttpResponse:
    # Names and numbers come from the settings in force, so the page cannot
    # drift from what the site does.
    context = {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "session_days": settings.SESSION_COOKIE_AGE // 86_400,
        "failures_allowed": settings.SIGN_IN_FAILURES_ALLOWED,
        "lockout_minutes": settings.SIGN_IN_LOCKOUT_MINUTES,
        "https": settings.HTTPS,
    }
    return render(request, "web/privacy.html", context)
