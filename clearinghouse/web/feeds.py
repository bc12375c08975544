"""Atom 1.0 and RSS 2.0 feeds of the latest additions: to the whole library,
to a topic, from an organisation, or matching any search.

Feed readers fetch without cookies, and a feed address a signed-in curator
copies must never carry drafts into a reader, so every feed is built for an
anonymous reader (``AnonymousUser()``), whoever asks. Entries are dated by when
the record was added to the library, newest first: a report published in 2015
and catalogued today is news to a subscriber.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import format_html, linebreaks

from clearinghouse.catalog.models import Document, Organisation, Resource, Topic
from clearinghouse.search.engine import search
from clearinghouse.search.filters import (
    FILTER_NAMES,
    LABELS,
    ActiveFilter,
    SearchParams,
    apply_filters,
)
from clearinghouse.search.pages import downloadable_documents

FEED_SIZE = 50
ATOM, RSS = "atom", "rss"
DC_ELEMENTS = "http://purl.org/dc/elements/1.1/"
# XML 1.0 cannot carry these at all; a title imported with one must not make
# the whole feed fail (Django refuses to write them).
XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class InvalidFeedQuery(ValueError):
    """A feed address asks for something that does not exist; said as a 400."""


@dataclass(frozen=True)
class Entry:
    guid: str
    title: str
    link: str  # path of the record's page
    description: str  # HTML
    authors: list[str]
    categories: list[str]
    added: datetime.datetime
    updated: datetime.datetime
    enclosure: Enclosure | None


@dataclass(frozen=True)
class Channel:
    title: str
    link: str  # path (and query) of the page that lists the same records
    description: str
    feed_path: str  # this feed's own address, for rel="self"
    entries: list[Entry]


def clean(text: str) -> str:
    return XML_FORBIDDEN.sub("", text)


def latest_additions(params: SearchParams) -> tuple[list[Resource], list[ActiveFilter]]:
    """Up to FEED_SIZE records an anonymous reader may see that match
    ``params``, the most recently added first, and the filters applied.

    Raises InvalidFeedQuery naming filter values that do not exist: a feed
    that silently dropped them would list far more than its subscriber asked.
    """
    viewer = AnonymousUser()
    if not params.q:
        matching, active = apply_filters(Resource.objects.visible_to(viewer), params)
        _refuse_unknown(params, active)
        return list(matching.order_by("-created_at", "-pk")[:FEED_SIZE]), active
    # Words need the search engine, which ranks or sorts by publication date,
    # not by date added: take the newest publications that match (the
    # listing's "Newest" page) and order those by when they were added.
    newest = replace(params, sort="newest", page=1, notices=[])
    result = search(newest, viewer, page_size=FEED_SIZE, with_facets=False)
    _refuse_unknown(params, result.active_filters)
    resources = [hit.resource for hit in result.hits]
    resources.sort(key=lambda r: (r.created_at, r.pk), reverse=True)
    return resources, result.active_filters


def _refuse_unknown(params: SearchParams, active: list[ActiveFilter]) -> None:
    applied = {(f.name, f.value) for f in active}
    unknown = [
        f"{LABELS[name]} {value!r}"
        for name, values in params.filters.items()
        for value in values
        if (name, value) not in applied
    ]
    if unknown:
        raise InvalidFeedQuery(
            f"This feed cannot be made: there is no {', '.join(unknown)}. "
            "Check the feed's address, or copy it again from the library page."
        )


def entries(request: HttpRequest, resources: list[Resource]) -> list[Entry]:
    """Feed entries for ``resources``, with a PDF enclosure where anyone may
    download it (the first PDF, in the curators' order)."""
    prefetch_related_objects(
        resources,
        "types",
        "topics",
        "author_links__person",
        "publisher_links__organisation",
    )
    pdfs = {}
    documents = (
        downloadable_documents(AnonymousUser(), [r.pk for r in resources])
        .filter(media_type="application/pdf")
        .only("id", "resource_id", "size", "media_type", "position")
    )
    for document in documents:
        pdfs.setdefault(document.resource_id, document)
    by_id = {r.pk: r for r in resources}
    for document in pdfs.values():
        document.resource = by_id[document.resource_id]
    return [_entry(request, r, pdfs.get(r.pk)) for r in resources]


def _entry(request: HttpRequest, resource: Resource, pdf: Document | None) -> Entry:
    publishers = [org.name for org in resource.ordered_publishers()]
    persons = [person.name for person in resource.ordered_authors()]
    enclosure = None
    if pdf is not None:
        url = request.build_absolute_uri(pdf.get_absolute_url())
        enclosure = Enclosure(url, str(pdf.size), pdf.media_type)
    return Entry(
        guid=f"urn:uuid:{resource.uid}",
        title=clean(resource.title),
        link=resource.get_absolute_url(),
        description=clean(_description(resource, publishers)),
        # Institutional publishers stand in for absent personal authors, as on
        # the record's page (see web/metadata.py).
        authors=[clean(name) for name in persons or publishers],
        categories=[clean(topic.name) for topic in resource.topics.all()],
        added=resource.created_at,
        updated=resource.updated_at,
        enclosure=enclosure,
    )


def _description(resource: Resource, publishers: list[str]) -> str:
    """HTML: a line with type, date and publishers, then the summary."""
    types = ", ".join(t.label for t in resource.types.all())
    facts = " · ".join(
        part for part in (types, resource.date_display, ", ".join(publishers)) if part
    )
    byline = format_html("<p>{}</p>", facts) if facts else ""
    return byline + linebreaks(resource.summary, autoescape=True)


class AtomFeed(Atom1Feed):
    """Atom with one <author> per creator (Django's writes at most one)."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for name in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")


class RssFeed(Rss201rev2Feed):
    """RSS 2.0 with one <dc:creator> per creator (RSS's <author> wants e-mail)."""

    def rss_attributes(self) -> dict:
        return {**super().rss_attributes(), "xmlns:dc": DC_ELEMENTS}

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for name in item["authors"]:
            handler.addQuickElement("dc:creator", name)


class ResourceFeed(Feed):
    """A feed of entries; subclasses say which records, in ``channel()``."""

    item_guid_is_permalink = False

    def __init__(self, kind: str) -> None:
        self.feed_type = AtomFeed if kind == ATOM else RssFeed

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return super().__call__(request, *args, **kwargs)
        except InvalidFeedQuery as error:
            return HttpResponseBadRequest(
                str(error), content_type="text/plain; charset=utf-8"
            )

    def channel(self, request: HttpRequest, **kwargs) -> Channel:
        raise NotImplementedError

    def get_object(self, request: HttpRequest, *args, **kwargs) -> Channel:
        return self.channel(request, **kwargs)

    def title(self, channel: Channel) -> str:
        return clean(f"{settings.SITE_NAME}: {channel.title}")

    def link(self, channel: Channel) -> str:
        return channel.link

    def description(self, channel: Channel) -> str:
        return clean(channel.description)

    def subtitle(self, channel: Channel) -> str:
        return clean(channel.description)

    def feed_url(self, channel: Channel) -> str:
        return channel.feed_path

    def author_name(self) -> str:
        return settings.SITE_NAME

    def items(self, channel: Channel) -> list[Entry]:
        return channel.entries

    def item_title(self, entry: Entry) -> str:
        # Plain text, as Atom's <title> declares it; Django's default escapes
        # it once more, which readers would show as "&amp;lt;".
        return entry.title

    def item_link(self, entry: Entry) -> str:
        return entry.link

    def item_description(self, entry: Entry) -> str:
        return entry.description

    def item_guid(self, entry: Entry) -> str:
        return entry.guid

    def item_pubdate(self, entry: Entry) -> datetime.datetime:
        return entry.added

    def item_updateddate(self, entry: Entry) -> datetime.datetime:
        return entry.updated

    def item_categories(self, entry: Entry) -> list[str]:
        return entry.categories

    def item_enclosures(self, entry: Entry) -> list[Enclosure]:
        return [entry.enclosure] if entry.enclosure else []

    def item_extra_kwargs(self, entry: Entry) -> dict:
        return {"authors": entry.authors}


class LatestFeed(ResourceFeed):
    def channel(self, request: HttpRequest) -> Channel:
        resources, _ = latest_additions(SearchParams())
        return Channel(
            "latest additions",
            reverse("home"),
            "Reports, briefings, guidance and data most recently added to the library.",
            request.path,
            entries(request, resources),
        )


class TopicFeed(ResourceFeed):
    def channel(self, request: HttpRequest, slug: str) -> Channel:
        topic = get_object_or_404(Topic, slug=slug)
        resources, _ = latest_additions(SearchParams(filters={"topic": [slug]}))
        return Channel(
            topic.name,
            topic.get_absolute_url(),
            f"Latest additions to the library on {topic.name}, and on the topics "
            "within it.",
            request.path,
            entries(request, resources),
        )


class OrganisationFeed(ResourceFeed):
    def channel(self, request: HttpRequest, slug: str) -> Channel:
        org = get_object_or_404(Organisation, slug=slug)
        resources, _ = latest_additions(SearchParams(filters={"publisher": [slug]}))
        return Channel(
            org.name,
            org.get_absolute_url(),
            f"Latest additions to the library published by {org.name}.",
            request.path,
            entries(request, resources),
        )


class SearchFeed(ResourceFeed):
    """The listing's query string (q and filters; sort and page do not apply)."""

    def channel(self, request: HttpRequest) -> Channel:
        params = SearchParams.from_querydict(request.GET)
        resources, active = latest_additions(params)
        query = search_query_string(params)
        suffix = f"?{query}" if query else ""
        described = describe_search(params.q, active)
        return Channel(
            described,
            reverse("library") + suffix,
            f"Latest additions to the library matching {described}.",
            request.path + suffix,
            entries(request, resources),
        )


def search_query_string(params: SearchParams) -> str:
    """The part of a listing's query string that chooses records: q, filters."""
    kept = QueryDict(mutable=True)
    if params.q:
        kept["q"] = params.q
    for name in FILTER_NAMES:
        if params.filters.get(name):
            kept.setlist(name, params.filters[name])
    return kept.urlencode()


def describe_search(q: str, active: list[ActiveFilter]) -> str:
    """ "‘sextortion’, topic: Dark web, year: 2021", or "all resources"."""
    parts = [f"‘{q}’"] if q else []
    parts += [f"{LABELS[f.name]}: {f.label}" for f in active]
    return ", ".join(parts) if parts else "all resources"
