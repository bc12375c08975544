"""The library listing, and topic and organisation pages (filtered listings)."""

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render

from clearinghouse.catalog.models import Organisation, Topic
from clearinghouse.search.engine import PageOutOfRange, search
from clearinghouse.search.filters import SORTS, SearchParams
from clearinghouse.web.covers import attach_covers
from clearinghouse.web.querystrings import listing_links


def library(request: HttpRequest) -> HttpResponse:
    return render_listing(request, request.GET, template="web/library.html")


def topic(request: HttpRequest, slug: str) -> HttpResponse:
    term = get_object_or_404(Topic, slug=slug)
    return render_listing(
        request,
        _pinned(request.GET, "topic", slug),
        template="web/topic.html",
        extra={"topic": term, "pinned": ("topic", slug)},
    )


def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(Organisation, slug=slug)
    return render_listing(
        request,
        _pinned(request.GET, "publisher", slug),
        template="web/organisation.html",
        extra={"organisation": org, "pinned": ("publisher", slug)},
    )


def _pinned(data: QueryDict, name: str, value: str) -> QueryDict:
    pinned = data.copy()
    if value not in pinned.getlist(name):
        pinned.appendlist(name, value)
    return pinned


def render_listing(
    request: HttpRequest, data: QueryDict, *, template: str, extra: dict | None = None
) -> HttpResponse:
    params = SearchParams.from_querydict(data)
    context = {"params": params, "sorts": SORTS, **(extra or {})}
    try:
        result = search(params, request.user)
    except PageOutOfRange as error:
        context["error"] = str(error)
        return render(request, "web/page_out_of_range.html", context, status=404)
    attach_covers([hit.resource for hit in result.hits], request.user)
    pinned = context.get("pinned")
    context.update(result=result, links=listing_links(request.GET, result, pinned))
    return render(request, template, context)
