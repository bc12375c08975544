"""The search function every channel calls: web listing, API, feeds, exports."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F, QuerySet
from django.db.models.functions import Lower

from clearinghouse.catalog.models import Resource
from clearinghouse.search import query as query_parser
from clearinghouse.search.backends import get_backend
from clearinghouse.search.facets import Facet, compute_facets
from clearinghouse.search.filters import ActiveFilter, SearchParams, apply_filters
from clearinghouse.search.pages import FoundOn, found_on_pages


class PageOutOfRange(Exception):
    def __init__(self, page: int, pages: int) -> None:
        count = "is 1 page" if pages == 1 else f"are {pages} pages"
        super().__init__(f"Page {page} is past the end: there {count}.")
        self.page, self.pages = page, pages


@dataclass
class Hit:
    resource: Resource
    score: float | None = None
    snippet: str = ""  # safe HTML: escaped text with <mark> around matches
    # Pages of the documents the viewer may download that hold the words.
    found_on: list[FoundOn] = field(default_factory=list)


@dataclass
class SearchResult:
    params: SearchParams
    total: int
    hits: list[Hit]
    facets: dict[str, Facet]
    active_filters: list[ActiveFilter]
    sort: str
    page: int
    pages: int
    notices: list[str] = field(default_factory=list)


def search(
    params: SearchParams,
    viewer: object,
    *,
    page_size: int | None = None,
    with_facets: bool = True,
) -> SearchResult:
    """Find what ``viewer`` may see that matches ``params``, one page at a time."""
    page_size = page_size or settings.SEARCH_PAGE_SIZE
    parsed = query_parser.parse(params.q)
    notices = list(parsed.notices)
    base = Resource.objects.visible_to(viewer)
    filtered, active = apply_filters(base, params)
    notices += params.notices
    if params.q and parsed.is_empty:
        notices.append(
            "Your search had no words to look for, so all resources are shown."
        )

    backend = get_backend()
    expression = parsed.match_expression()
    hits_qs = _matching(filtered, expression, parsed, backend)
    total = hits_qs.count()
    if total == 0 and not parsed.explicit_or and parsed.relaxed_expression():
        expression = parsed.relaxed_expression()
        hits_qs = _matching(filtered, expression, parsed, backend)
        total = hits_qs.count()
        if total:
            notices.append(
                "No resource contains all of your words; "
                "showing those with any of them."
            )

    pages = max(1, -(-total // page_size))
    if params.page > pages:
        raise PageOutOfRange(params.page, pages)
    sort = params.effective_sort if expression else _unranked(params.effective_sort)
    start = (params.page - 1) * page_size
    hits = _page(hits_qs, sort, expression, backend, start, page_size)
    if expression:
        _add_found_on(hits, expression, viewer)
    facets = (
        compute_facets(hits_qs, params.filters, settings.SEARCH_FACET_SIZE)
        if with_facets
        else {}
    )
    return SearchResult(
        params, total, hits, facets, active, sort, params.page, pages, notices
    )


def _unranked(sort: str) -> str:
    return "newest" if sort == "relevance" else sort


def _matching(qs: QuerySet, expression: str | None, parsed, backend) -> QuerySet:
    if expression:
        return qs.filter(pk__in=backend.matching(expression))
    if parsed.exclusion_expression():
        return qs.exclude(pk__in=backend.matching(parsed.exclusion_expression()))
    return qs


ORDERINGS = {
    "newest": [F("date").desc(nulls_last=True), "-created_at", "-pk"],
    "oldest": [F("date").asc(nulls_last=True), "created_at", "pk"],
    # Case-insensitive: "eSafety …" sorts among the e's, not after "Z…".
    "title": [Lower("title"), "title", "pk"],
}


def _page(
    qs: QuerySet, sort: str, expression: str | None, backend, start: int, size: int
) -> list[Hit]:
    scores: dict[int, float] = {}
    if sort == "relevance":
        # Rank in the index, then keep the ids the filtered queryset allows.
        allowed = set(qs.values_list("pk", flat=True))
        ranked = [(pk, s) for pk, s in backend.ranked(expression) if pk in allowed]
        window = ranked[start : start + size]
        scores = dict(window)
        ids = [pk for pk, _ in window]
    else:
        ids = list(
            qs.order_by(*ORDERINGS[sort]).values_list("pk", flat=True)[
                start : start + size
            ]
        )
    resources = Resource.objects.filter(pk__in=ids).prefetch_related(
        "types", "topics", "publisher_links__organisation"
    )
    by_id = {r.pk: r for r in resources}
    raw = backend.snippets(expression, ids) if expression else {}
    return [
        Hit(by_id[pk], scores.get(pk), render_snippet(raw.get(pk, ""), backend))
        for pk in ids
        if pk in by_id
    ]


def _add_found_on(hits: list[Hit], expression: str, viewer: object) -> None:
    found = found_on_pages(expression, [hit.resource for hit in hits], viewer)
    for hit in hits:
        hit.found_on = found.get(hit.resource.pk, [])


def render_snippet(raw: str, backend) -> str:
    """Escape a raw snippet and turn the backend's hit markers into <mark> tags."""
    if not raw:
        return ""
    escaped = html.escape(raw.strip())
    return escaped.replace(backend.MARK_OPEN, "<mark>").replace(
        backend.MARK_CLOSE, "</mark>"
    )
