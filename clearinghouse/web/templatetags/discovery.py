"""Tags that make pages discoverable by programs: a record's metadata for
reference managers and crawlers, and links to the feeds that follow a page.

Loaded with ``{% load discovery %}``.
"""

from django import template
from django.http import HttpRequest
from django.urls import reverse

from clearinghouse.search.filters import SearchParams
from clearinghouse.web.feeds import ATOM, RSS, search_query_string
from clearinghouse.web.metadata import RecordMeta, record_meta

register = template.Library()

FEED_FORMATS = (
    (ATOM, "application/atom+xml", "Atom"),
    (RSS, "application/rss+xml", "RSS"),
)


@register.simple_tag(takes_context=True)
def record_metadata(context, resource, documents) -> RecordMeta:
    """``{% record_metadata resource documents as meta %}``: see web/metadata.py."""
    return record_meta(context["request"], resource, documents)


@register.inclusion_tag("web/partials/feed_links.html", takes_context=True)
def feed_links(context, kind: str, slug: str = "", title: str = "") -> dict:
    """<link rel="alternate"> to the Atom and RSS feeds of this page: ``kind``
    is "latest", "search" (the page's own query; the latest additions when it
    has none), "topic" or "organisation" (with their slug)."""
    request: HttpRequest = context["request"]
    query = ""
    if kind == "search":
        query = search_query_string(SearchParams.from_querydict(request.GET))
        kind, title = (
            ("search", "Latest additions matching this search")
            if query
            else ("latest", "")
        )
    feeds = []
    for format_, media_type, label in FEED_FORMATS:
        href = reverse(f"feed_{kind}_{format_}", args=[slug] if slug else [])
        feeds.append(
            {
                "href": f"{href}?{query}" if query else href,
                "type": media_type,
                "label": label,
            }
        )
    return {"feeds": feeds, "title": title or "Latest additions"}
