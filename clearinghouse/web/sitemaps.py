"""For crawlers: the sitemap, every page as an anonymous reader sees them, and
robots.txt, which points at it.

``/sitemap.xml`` is one urlset while the site has at most
``SITEMAP_URLS_PER_FILE`` addresses (50,000, the protocol's limit:
https://www.sitemaps.org/protocol.html#index); past that it becomes an index of
``/sitemap-<section>.xml`` files, each paginated with ``?p=N`` by Django.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from clearinghouse.catalog.models import (
    Organisation,
    Resource,
    ResourcePublisher,
    Topic,
)
from clearinghouse.search.facets import subtree_counts

SITEMAP_URLS_PER_FILE = 50_000


def urls_per_file() -> int:
    return getattr(settings, "SITEMAP_URLS_PER_FILE", SITEMAP_URLS_PER_FILE)


class LibrarySitemap(Sitemap):
    @property
    def limit(self) -> int:  # type: ignore[override]
        return urls_per_file()


class PageSitemap(LibrarySitemap):
    """The pages that lead to all others."""

    def items(self) -> list[str]:
        return ["home", "library", "topics", "privacy"]

    def location(self, name: str) -> str:
        return reverse(name)


class ResourceSitemap(LibrarySitemap):
    def items(self) -> QuerySet:
        return Resource.objects.public().only("slug", "updated_at").order_by("pk")

    def lastmod(self, resource: Resource):
        return resource.updated_at


class TopicSitemap(LibrarySitemap):
    """Topics with something an anonymous reader may see, in or beneath them."""

    def items(self) -> list[Topic]:
        counts = subtree_counts("topic", Resource.objects.public())
        return list(Topic.objects.filter(pk__in=list(counts)).order_by("slug"))


class OrganisationSitemap(LibrarySitemap):
    """Organisations that published something an anonymous reader may see."""

    def items(self) -> QuerySet:
        published = ResourcePublisher.objects.filter(
            resource__in=Resource.objects.public()
        ).values("organisation_id")
        return Organisation.objects.filter(pk__in=published).order_by("slug")


SITEMAPS = {
    "pages": PageSitemap,
    "topics": TopicSitemap,
    "organisations": OrganisationSitemap,
    "resources": ResourceSitemap,
}


def sitemap(request: HttpRequest) -> HttpResponse:
    """One urlset while everything fits in one file; an index otherwise."""
    total = sum(section().paginator.count for section in SITEMAPS.values())
    if total <= urls_per_file():
        return sitemap_views.sitemap(request, SITEMAPS)
    return sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap_section")


def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One section of the index, one page (``?p=N``) at a time."""
    return sitemap_views.sitemap(request, SITEMAPS, section=section)


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers welcome on the library's pages, kept off the rest.

    Disallowed are pages with nothing to index (admin, sign-in) and addresses
    with endless variations that repeat what the sitemap lists: search results
    and filtered listings, exports, citation downloads, search feeds, the API.
    Record pages, documents and thumbnails stay open, so that scholarly search
    engines can follow ``citation_pdf_url``.
    """
    context = {"sitemap_url": request.build_absolute_uri(reverse("sitemap"))}
    return render(
        request, "web/robots.txt", context, content_type="text/plain; charset=utf-8"
    )
