"""The home page: featured resources, latest additions, ways to browse."""

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clearinghouse.catalog.models import Resource, ResourceType, Topic
from clearinghouse.search.engine import search
from clearinghouse.search.facets import subtree_counts
from clearinghouse.search.filters import SearchParams
from clearinghouse.web.covers import attach_covers

CARD_PREFETCH = ("types", "publisher_links__organisation")


def home(request: HttpRequest) -> HttpResponse:
    visible = Resource.objects.visible_to(request.user)
    featured = (
        visible.filter(featured=True)
        .order_by("-date")
        .prefetch_related(*CARD_PREFETCH)[:6]
    )
    latest = visible.order_by("-created_at", "-pk").prefetch_related(*CARD_PREFETCH)[:6]
    featured, latest = list(featured), list(latest)
    attach_covers(featured + latest, request.user)
    browse = search(SearchParams(), request.user, page_size=1)
    top_topics = top_topics_with_counts(visible)
    context = {
        "featured": featured,
        "latest": latest,
        "total": browse.total,
        "facets": browse.facets,
        "top_topics": top_topics,
        "types": ResourceType.objects.all(),
    }
    return render(request, "web/home.html", context)


def top_topics_with_counts(visible: QuerySet) -> list[Topic]:
    """Top-level topics, each with ``n``: visible resources in it or beneath it."""
    counts = subtree_counts("topic", visible)
    topics = list(Topic.objects.filter(parent__isnull=True).order_by("position"))
    for topic in topics:
        topic.n = counts.get(topic.pk, 0)
    return topics
