"""Hardened defaults: deploy checks, headers, cookies, passwords, sign-in
lockout, CSRF, and documents that never run on the site's origin.

Production settings are checked in a subprocess with a production environment
(`clearinghouse check --deploy`), and in-process through pytest-django's
``settings`` fixture set to the same values; pages through the test client.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import clearinghouse.settings as production
from clearinghouse.lib.throttle import Throttle
from clearinghouse.web.security import CONTENT_SECURITY_POLICY
from tests.test_downloads import attach_file, pdf_bytes
from tests.world import make_personas, make_resource

STRONG_KEY = "k3y-" + "x7Qp2vR9sT4wY6zA8bC1dE3fG5hJ0kL2mN4pQ6rS8tU" + "-for-tests"
LOCKED = "Too many failed sign-ins for this username"
INVALID = "The username and password did not match an active account"


def clearinghouse(
    tmp_path: Path, *args: str, **env: str
) -> subprocess.CompletedProcess:
    """`clearinghouse ARGS` in a clean environment plus ``env``."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CLEARINGHOUSE_") and k not in ("DATABASE_URL",)
    }
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean["CLEARINGHOUSE_DATA_DIR"] = str(tmp_path / "data")
    return subprocess.run(
        [sys.executable, "-m", "clearinghouse", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


# Production settings and `check --deploy` ----------------------------------


@pytest.mark.slow
def test_it_passes_djangos_deploy_checks_in_production(tmp_path):
    done = clearinghouse(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        CLEARINGHOUSE_SECRET_KEY=STRONG_KEY,
        CLEARINGHOUSE_ALLOWED_HOSTS="library.example.org",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.slow
def test_it_flags_a_missing_secret_key_in_the_deploy_checks(tmp_path):
    done = clearinghouse(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode != 0
    assert "security.W009" in done.stderr + done.stdout


@pytest.mark.slow
def test_it_refuses_a_short_secret_key_in_production(tmp_path):
    done = clearinghouse(tmp_path, "check", CLEARINGHOUSE_SECRET_KEY="letmein")
    assert done.returncode != 0
    assert (
        "CLEARINGHOUSE_SECRET_KEY must be at least 50 random characters (7 given)"
        in done.stderr
    )


@pytest.mark.slow
def test_it_refuses_to_serve_production_without_a_secret_key(tmp_path):
    done = clearinghouse(tmp_path, "serve", "--port", "9")
    assert done.returncode == 1
    assert "CommandError: CLEARINGHOUSE_SECRET_KEY is not set." in done.stderr


SHOW_SETTINGS = (
    "import sys; from clearinghouse import cli\n"
    "try:\n"
    "    cli.main(sys.argv[1:])\n"
    "except SystemExit:\n"
    "    pass\n"
    "from django.conf import settings as s\n"
    "print(s.DEMO, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
    "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)\n"
)


@pytest.mark.parametrize(
    "command, expected",
    [
        ("demo", "True False False False 0"),
        ("migrate", "False True True True 31536000"),
    ],
)
def test_it_serves_the_demo_on_plain_http_and_production_on_https(
    tmp_path, command, expected
):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLEARINGHOUSE_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS, "clearinghouse", command, "--help"],
        env={**env, "CLEARINGHOUSE_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.strip().splitlines()[-1] == expected, done.stderr


SHOW_KEY = SHOW_SETTINGS.replace(
    "print(s.DEMO, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
    "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)",
    "print(s.SECRET_KEY)",
)


def test_it_keeps_the_demos_key_across_restarts_and_from_other_accounts(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLEARINGHOUSE_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    keys = []
    for command in ("demo", "demo", "migrate"):
        done = subprocess.run(
            [sys.executable, "-c", SHOW_KEY, "clearinghouse", command, "--help"],
            env={**env, "CLEARINGHOUSE_DATA_DIR": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=60,
        )
        keys.append(done.stdout.strip().splitlines()[-1])
    demo, again, production_key = keys
    assert demo == again == (tmp_path / "demo-secret-key").read_text()
    assert len(demo) >= 50 and not demo.startswith("django-insecure-")
    assert (tmp_path / "demo-secret-key").stat().st_mode & 0o077 == 0
    # Outside the demo the file is never read: production needs its own key.
    assert production_key.startswith("django-insecure-")


@pytest.fixture
def https_settings(settings):
    """The production values conftest turns off for plain-http tests."""
    settings.SECURE_SSL_REDIRECT = production.SECURE_SSL_REDIRECT
    settings.SESSION_COOKIE_SECURE = production.SESSION_COOKIE_SECURE
    settings.CSRF_COOKIE_SECURE = production.CSRF_COOKIE_SECURE
    return settings


@pytest.mark.django_db
def test_it_redirects_to_https_except_for_health_probes(client, https_settings):
    redirect = client.get("/library/?q=grooming")
    assert (redirect.status_code, redirect["Location"]) == (
        301,
        "https://testserver/library/?q=grooming",
    )
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_it_sends_hsts_and_refuses_framing_over_https(client, https_settings):
    response = client.get("/", secure=True)
    assert (
        response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    )
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_it_sets_secure_httponly_samesite_cookies_on_sign_in(client, https_settings):
    make_personas()
    client.get("/accounts/login/", secure=True)
    response = client.post(
        "/accounts/login/",
        {"username": "member", "password": "member-pass-1234"},
        secure=True,
    )
    assert response.status_code == 302
    for name in ("sessionid", "csrftoken"):
        cookie = response.cookies[name]
        assert (cookie["secure"], cookie["httponly"], cookie["samesite"]) == (
            True,
            True,
            "Lax",
        ), name


# Content-Security-Policy and Referrer-Policy -------------------------------


def test_it_allows_only_the_site_itself_in_the_policy():
    assert CONTENT_SECURITY_POLICY == (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


@pytest.mark.django_db
def test_it_sends_the_strict_policy_on_every_html_page(client, admin_client):
    resource = make_resource("Referral pathways")
    pages = [
        client.get("/"),
        client.get(resource.get_absolute_url()),
        client.get("/resources/missing/"),
        client.get("/accounts/login/"),
        client.get("/api/docs"),
    ]
    assert [page["Content-Security-Policy"] for page in pages] == [
        CONTENT_SECURITY_POLICY
    ] * len(pages)


@pytest.mark.django_db
def test_it_allows_the_admin_style_attributes_and_nothing_more(admin_client):
    resource = make_resource("Referral pathways")
    pages = [
        admin_client.get("/admin/"),
        admin_client.get(f"/admin/catalog/resource/{resource.pk}/change/"),
    ]
    assert [page["Content-Security-Policy"] for page in pages] == [
        CONTENT_SECURITY_POLICY + "; style-src-attr 'unsafe-inline'"
    ] * 2


@pytest.mark.django_db
def test_it_leaves_documents_their_own_policy(client):
    resource = make_resource("Briefing")
    html = attach_file(
        resource,
        b"<!doctype html><script>alert(1)</script>",
        media_type="text/html",
        original_name="briefing.html",
        stored_as="briefing.html",
    )
    pdf = attach_file(resource, pdf_bytes(["Briefing"]))
    sent_html = client.get(html.get_absolute_url())
    sent_pdf = client.get(pdf.get_absolute_url())
    assert sent_html["Content-Security-Policy"] == "default-src 'none'; sandbox"
    # Browsers' PDF viewers go blank under a policy (web/downloads.py).
    assert "Content-Security-Policy" not in sent_pdf


@pytest.mark.django_db
def test_it_sends_no_referrer_where_no_form_posts_back(client):
    resource = make_resource("Referral pathways")
    urls = ["/", "/library/?q=x", resource.get_absolute_url(), "/privacy/"]
    urls += ["/api/search?q=x", "/feeds/latest.atom", "/resources/missing/"]
    urls += ["/api/docs"]
    policies = {url: client.get(url)["Referrer-Policy"] for url in urls}
    assert policies == dict.fromkeys(urls, "no-referrer")


@pytest.mark.django_db
def test_it_sends_same_origin_where_a_form_posts_back(client):
    personas = make_personas()
    sign_in = client.get("/accounts/login/")
    admin_sign_in = client.get("/admin/login/")
    client.force_login(personas["editor"])
    pages = [sign_in, admin_sign_in, client.get("/"), client.get("/admin/")]
    assert [page["Referrer-Policy"] for page in pages] == ["same-origin"] * 4


# Passwords --------------------------------------------------------------------


@pytest.mark.django_db
def test_it_hashes_passwords_with_argon2_and_upgrades_old_ones(settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    assert make_password("correct horse battery").startswith("argon2$argon2id$")
    old = make_password("correct horse battery", hasher="pbkdf2_sha256")
    user = User.objects.create(username="old-timer", password=old)
    assert user.check_password("correct horse battery")
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    assert check_password("correct horse battery", user.password)


# Sign-in lockout --------------------------------------------------------------


def sign_in(client: Client, username: str, password: str, page: str) -> str:
    response = client.post(page, {"username": username, "password": password})
    if response.status_code == 302:
        return "signed in"
    text = response.content.decode()
    if LOCKED in text:
        return "locked"
    assert INVALID in text or "Please enter the correct username" in text, text
    return "refused"


SITE, ADMIN = "/accounts/login/", "/admin/login/"


@pytest.mark.django_db
@pytest.mark.parametrize("page", [SITE, ADMIN])
def test_it_locks_a_username_out_after_five_failures(client, page):
    make_personas()
    tries = [sign_in(client, "editor", f"guess-{n}", page) for n in range(5)]
    assert tries == ["refused"] * 4 + ["locked"]
    # Even the right password is refused, on either sign-in page.
    assert sign_in(client, "editor", "editor-pass-1234", SITE) == "locked"
    assert sign_in(client, "editor", "editor-pass-1234", ADMIN) == "locked"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_says_for_how_long_sign_in_is_paused(client):
    make_personas()
    for n in range(5):
        response = client.post(SITE, {"username": "member", "password": str(n)})
    assert (
        "To protect the account, signing in to it is paused for 15 minutes: "
        "try again later." in response.content.decode()
    )


@pytest.mark.django_db
def test_it_clears_the_count_when_a_sign_in_succeeds(client):
    make_personas()
    tries = [sign_in(client, "member", "wrong", SITE) for _ in range(4)]
    tries.append(sign_in(client, "member", "member-pass-1234", SITE))
    client.logout()
    tries += [sign_in(client, "member", "wrong", SITE) for _ in range(4)]
    assert tries == ["refused"] * 4 + ["signed in"] + ["refused"] * 4


@pytest.mark.django_db
def test_it_counts_a_username_whatever_its_case_and_whether_it_exists(client):
    make_personas()
    names = ["Member", "MEMBER", "member", "mEmber", "member"]
    assert [sign_in(client, name, "wrong", SITE) for name in names][-1] == "locked"
    ghosts = [sign_in(client, "nobody-here", "wrong", SITE) for _ in range(5)]
    assert ghosts == ["refused"] * 4 + ["locked"]


@pytest.mark.django_db
def test_it_does_not_count_a_member_refused_by_the_admin(client):
    make_personas()
    tries = [sign_in(client, "member", "member-pass-1234", ADMIN) for _ in range(6)]
    assert tries == ["refused"] * 6
    assert sign_in(client, "member", "member-pass-1234", SITE) == "signed in"


@pytest.mark.django_db
def test_it_keeps_no_username_in_the_cache(client):
    make_personas()
    for _ in range(5):
        sign_in(client, "reviewer", "password-typed-as-a-guess", SITE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM clearinghouse_cache")
        rows = cursor.fetchall()
    assert rows and not [row for row in rows if "reviewer" in str(row)]


def test_it_forgets_a_lockout_when_it_expires(db):
    throttle = Throttle("test", limit=2, lockout=timedelta(seconds=1))
    assert [throttle.fail("alice"), throttle.fail("alice")] == [False, True]
    assert (throttle.is_locked("alice"), throttle.is_locked("bob")) == (True, False)
    time.sleep(1.2)
    assert throttle.is_locked("alice") is False
    assert throttle.fail("alice") is False


# CSRF everywhere --------------------------------------------------------------


@pytest.mark.django_db
def test_it_refuses_form_posts_without_the_csrf_token():
    personas = make_personas()
    resource = make_resource("Referral pathways")
    browser = Client(enforce_csrf_checks=True)
    refused = {
        "site sign-in": browser.post(SITE, {"username": "member", "password": "x"}),
        "admin sign-in": browser.post(ADMIN, {"username": "editor", "password": "x"}),
    }
    browser.force_login(personas["editor"])
    change = f"/admin/catalog/resource/{resource.pk}/change/"
    refused["admin change"] = browser.post(change, {"title": "Renamed"})
    refused["sign-out"] = browser.post("/accounts/logout/")
    refused["api write"] = browser.post(
        "/api/resources", {"title": "New"}, content_type="application/json"
    )
    assert {name: r.status_code for name, r in refused.items()} == dict.fromkeys(
        refused, 403
    )
    resource.refresh_from_db()
    assert resource.title == "Referral pathways"


def exempt_views(patterns=None, prefix="") -> set[str]:
    """Every routed view that skips Django's CSRF check, by module and name."""
    found = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            found |= exempt_views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and getattr(
            pattern.callback, "csrf_exempt", False
        ):
            module = pattern.callback.__module__.split(".")[0]
            found.add("ninja" if module == "ninja" else pattern.lookup_str)
    return found


def test_it_exempts_only_harvesting_and_the_api_from_the_csrf_middleware():
    # OAI-PMH only reads; the API checks CSRF itself for session writes
    # (api/auth.py), as the test above shows.
    assert exempt_views() == {"clearinghouse.web.oai.views.endpoint", "ninja"}


# Documents never run on the site's origin -------------------------------------

RUNNABLE = [
    ("text/html", "briefing.html"),
    ("application/xhtml+xml", "briefing.xhtml"),
    ("image/svg+xml", "figure.svg"),
    ("application/javascript", "tool.js"),
    ("text/javascript", "tool.js"),
    ("application/xml", "data.xml"),
    ("text/xml", "data.xml"),
    ("text/css", "style.css"),
    ("application/octet-stream", "unknown.bin"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("media_type, name", RUNNABLE)
def test_it_never_serves_a_document_inline_as_html_or_script(client, media_type, name):
    resource = make_resource("Uploaded file")
    document = attach_file(
        resource,
        b"<script>document.title = 'ran'</script>",
        media_type=media_type,
        original_name=name,
        stored_as=name,
    )
    response = client.get(document.get_absolute_url())
    assert (
        response["Content-Type"],
        response["Content-Disposition"].split(";")[0],
        response["X-Content-Type-Options"],
        response["Content-Security-Policy"],
    ) == (
        "application/octet-stream",
        "attachment",
        "nosniff",
        "default-src 'none'; sandbox",
    )
