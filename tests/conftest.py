"""Test-wide settings: a throwaway data folder and a fast password hasher;
the headless Chromium the browser tests share."""

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings


def pytest_configure() -> None:
    data = tempfile.mkdtemp(prefix="clearinghouse-tests-")
    settings.MEDIA_ROOT = f"{data}/documents"
    settings.STATIC_ROOT = Path(data) / "static"
    settings.STATIC_ROOT.mkdir()
    # Hashing passwords properly costs seconds per persona; tests need no secrecy.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The test client and live servers speak plain http, as the demo does;
    # tests/test_security.py checks the production values.
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "documents"


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Debian's Chromium, headless; CI sets CLEARINGHOUSE_REQUIRE_BROWSER so
    that a missing browser fails instead of skipping."""
    if not CHROMIUM.exists():
        if os.environ.get("CLEARINGHOUSE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()
