"""Privacy by default: no cookies for anonymous readers, nothing stored about
who asked (no addresses, no user agents, not in models nor in logs), use kept
as daily counts per resource only, and a privacy page that says so."""

from __future__ import annotations

import datetime
import io
import logging
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models
from gunicorn.config import Config
from PIL import Image

from clearinghouse.web.counts import add_one
from clearinghouse.web.models import DailyCount
from clearinghouse.web.server import PrivateLogger
from tests.test_downloads import attach_file, pdf_bytes
from tests.world import make_personas, make_resource

READER = {"REMOTE_ADDR": "203.0.113.77", "HTTP_USER_AGENT": "ReaderBrowser/7.7"}


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 28), "white").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def library(db) -> dict:
    """A public record with a document and thumbnail, a draft, a members-only
    record, a withdrawn one: every page type has something to show."""
    make_personas()
    public = make_resource(
        "Referral pathways for survivors",
        topics=("terminology",),
        publishers=("ECPAT International",),
        content_warning="Describes abuse in general terms.",
    )
    document = attach_file(public, pdf_bytes(["Referral pathways"]))
    document.thumbnail.save("cover.png", ContentFile(png_bytes()))
    members = make_resource("Members toolkit", access="members")
    restricted = make_resource("Restricted annex", document_access="members")
    attach_file(restricted, pdf_bytes(["Annex"]))
    return {
        "public": public,
        "document": document,
        "draft": make_resource("Draft briefing", status="draft"),
        "members": members,
        "restricted": restricted,
        "withdrawn": make_resource("Withdrawn report", status="withdrawn"),
    }


def public_pages(library: dict) -> list[str]:
    public, document = library["public"], library["document"]
    restricted = library["restricted"].documents.get()
    return [
        "/",
        "/library/",
        "/library/?q=referral&type=report",
        "/library/?page=99",
        public.get_absolute_url(),
        document.get_absolute_url(),
        document.get_absolute_url() + "thumbnail",
        restricted.get_absolute_url(),
        library["draft"].get_absolute_url(),
        library["members"].get_absolute_url(),
        library["withdrawn"].get_absolute_url(),
        "/resources/nothing-here/",
        f"/resources/{public.slug}/cite.bib",
        "/library/export.ris?q=referral",
        "/topics/",
        "/topics/defining-problems/",
        "/organisations/ecpat-international/",
        "/privacy/",
        "/feeds/latest.atom",
        "/feeds/latest.rss",
        "/feeds/search.atom?q=referral",
        "/feeds/topics/terminology.rss",
        "/sitemap.xml",
        "/robots.txt",
        "/oai?verb=Identify",
        "/oai?verb=ListRecords&metadataPrefix=oai_dc",
        "/api/search?q=referral",
        f"/api/resources/{public.uid}",
        "/api/openapi.json",
        "/api/docs",
        "/healthz",
        "/static/web/site.css",
    ]


def test_it_sets_no_cookie_for_anonymous_readers_anywhere(client, library):
    answers = {url: client.get(url, **READER) for url in public_pages(library)}
    assert [url for url, answer in answers.items() if answer.status_code >= 500] == []
    with_cookies = {
        url: sorted(answer.cookies)
        for url, answer in answers.items()
        if answer.cookies or answer.has_header("Set-Cookie")
    }
    assert with_cookies == {}
    assert client.cookies == {}


def test_it_sets_cookies_only_once_a_reader_goes_to_sign_in(client, library):
    assert sorted(client.get("/accounts/login/").cookies) == ["csrftoken"]
    signed_in = client.post(
        "/accounts/login/", {"username": "member", "password": "member-pass-1234"}
    )
    assert sorted(signed_in.cookies) == ["csrftoken", "sessionid"]


# Nothing about who asked ----------------------------------------------------------

ADDRESS_OR_AGENT = ("ip", "ips", "addr", "address", "agent", "useragent")


def suspicious_fields() -> list[str]:
    """Fields of any installed model that could hold an address or browser."""
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            words = set(field.name.lower().split("_"))
            if isinstance(field, models.GenericIPAddressField) or (
                words & set(ADDRESS_OR_AGENT) and "email" not in words
            ):
                found.append(f"{model._meta.label}.{field.name}")
    return found


def test_it_stores_no_ip_address_or_user_agent_in_any_model():
    assert suspicious_fields() == []


def test_it_keeps_daily_totals_and_nothing_about_readers():
    names = {field.name for field in DailyCount._meta.get_fields()}
    assert names == {"id", "resource", "day", "views", "downloads"}


def test_it_logs_no_address_or_browser_of_whoever_asked(
    client, library, caplog, settings
):
    caplog.set_level(logging.DEBUG)
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    client.get("/resources/nothing-here/", **READER)
    client.get(library["restricted"].documents.get().get_absolute_url(), **READER)
    client.get("/library/?page=abc", **READER)
    client.post("/accounts/login/", {"username": "x", "password": "y"}, **READER)
    client.get("/", HTTP_HOST="evil.example", **READER)
    assert caplog.records, "the requests above should have logged something"
    logged = caplog.text + "".join(r.getMessage() for r in caplog.records)
    assert "203.0.113.77" not in logged
    assert "ReaderBrowser" not in logged


def test_it_keeps_no_gunicorn_access_log_and_no_addresses(tmp_path: Path):
    config = Config()
    config.set("errorlog", str(tmp_path / "error.log"))
    config.set("accesslog", str(tmp_path / "access.log"))
    config.set("loglevel", "debug")
    logger = PrivateLogger(config)
    logger.warning("Invalid request from ip=203.0.113.9: Invalid HTTP method")
    logger.warning("Invalid request from ip=2001:db8::7: Invalid HTTP method")
    logger.error("Peer 198.51.100.4 closed the connection")
    logger.access(None, None, {"REMOTE_ADDR": "203.0.113.9"}, None)
    for handler in logger.error_log.handlers + logger.access_log.handlers:
        handler.flush()
    written = (tmp_path / "error.log").read_text()
    assert "Invalid request from (address not logged): Invalid HTTP method" in written
    assert "Peer (address not logged) closed the connection" in written
    for address in ("203.0.113.9", "2001:db8::7", "198.51.100.4"):
        assert address not in written
    access = tmp_path / "access.log"
    assert not access.exists() or access.read_text() == ""


# Daily counts -----------------------------------------------------------------


def counted(resource) -> list[tuple]:
    return list(
        DailyCount.objects.filter(resource=resource).values_list("views", "downloads")
    )


def test_it_counts_readers_page_views_per_day(client, library):
    public = library["public"]
    client.get(public.get_absolute_url())
    client.get(public.get_absolute_url())
    client.head(public.get_absolute_url())
    client.login(username="member", password="member-pass-1234")
    client.get(public.get_absolute_url())
    assert counted(public) == [(3, 0)]


def test_it_counts_no_curators_previews_or_pages_never_shown(client, library):
    client.login(username="editor", password="editor-pass-1234")
    client.get(library["public"].get_absolute_url())
    client.get(library["draft"].get_absolute_url())
    client.logout()
    client.get(library["members"].get_absolute_url())
    client.get(library["withdrawn"].get_absolute_url())
    assert DailyCount.objects.count() == 0


def test_it_counts_whole_downloads_not_byte_ranges(client, library):
    public, url = library["public"], library["document"].get_absolute_url()
    assert client.get(url).status_code == 200
    assert client.get(url, HTTP_RANGE="bytes=0-99").status_code == 206
    assert client.head(url).status_code == 200
    assert client.get(url + "thumbnail").status_code == 200
    restricted = library["restricted"]
    assert client.get(restricted.documents.get().get_absolute_url()).status_code == 403
    assert (counted(public), counted(restricted)) == ([(0, 1)], [])


def test_it_adds_to_the_same_day_and_starts_a_new_one(library):
    public = library["public"]
    monday, tuesday = datetime.date(2025, 3, 3), datetime.date(2025, 3, 4)
    for day, field in [(monday, "views"), (monday, "views"), (monday, "downloads")]:
        add_one(public, field, day)
    add_one(public, "views", tuesday)
    rows = DailyCount.objects.filter(resource=public).order_by("day")
    assert [(r.day, r.views, r.downloads) for r in rows] == [
        (monday, 2, 1),
        (tuesday, 1, 0),
    ]


def test_it_shows_curators_the_last_30_days_on_the_records_admin_page(client, library):
    public = library["public"]
    today = datetime.date.today()
    DailyCount.objects.create(resource=public, day=today, views=12, downloads=3)
    old = today - datetime.timedelta(days=45)
    DailyCount.objects.create(resource=public, day=old, views=99, downloads=99)
    client.login(username="editor", password="editor-pass-1234")
    page = client.get(f"/admin/catalog/resource/{public.pk}/change/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "views and downloads, last 30 days" in text.lower()
    assert f"<tr><td>{today:%d %b %Y}</td><td>12</td><td>3</td></tr>" in text
    assert "<td>99</td>" not in text


# The privacy page -------------------------------------------------------------


def test_it_says_what_is_kept_on_a_privacy_page_every_page_links_to(client, library):
    page = client.get("/privacy/").content.decode()
    for promise in (
        "loads its text, fonts, scripts, styles and images from this site only",
        "Reading, searching, browsing topics and organisations, following feeds, "
        "using the API and downloading documents set no cookies at all.",
        "<code>csrftoken</code>",
        "<code>sessionid</code>",
        "expires after 14 days",
        "does not store your IP address or your browser's user agent",
        "Only the daily totals are kept",
        "After 5 failed sign-ins for one username, signing in to it is paused "
        "for 15 minutes",
        "It holds no IP address and no browser details.",
    ):
        assert promise in page, promise
    home = client.get("/").content.decode()
    assert '<li><a href="/privacy/">Privacy</a></li>' in home
