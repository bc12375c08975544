"""Test-wide settings: a throwaway data folder and a fast password hasher."""

import tempfile
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
