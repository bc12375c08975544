"""The search function every channel calls: web listing, API, feeds, exports."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F, QuerySet
from django.db.models.functions import Lower

from clearinghouse.catalog.models import Resource
from clearinghouse.search import query as query_parser
from clearinghouse.search import spelling, synonyms
from clearinghouse.search.backends import get_backend
from clearinghouse.search.facets import Facet, compute_facets
from clearinghouse.search.filters import ActiveFilter, SearchParams, apply_filters
from clearinghouse.search.pages import FoundOn, found_on_pages
from clearinghouse.search.semantic import hybrid


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
    # A corrected query when this one found (almost) nothing, or "".
    did_you_mean: str = ""
    mode: str = "keyword"  # the ranking this search got (semantic.hybrid)
    modes: tuple[str, ...] = ()  # the modes the library offers; () for keyword


def search(
    params: SearchParams,
    viewer: object,
    *,
    page_size: int | None = None,
    with_facets: bool = True,
) -> SearchResult:
    """Find what ``viewer`` may see that matches ``params``, one page at a time."""
    page_size = page_size or settings.SEARCH_PAGE_SIZE
    typed = query_parser.parse(params.q)
    parsed, notices = synonyms.expand(typed)
    notices = list(typed.notices) + notices
    base = Resource.objects.visible_to(viewer)
    filtered, active = apply_filters(base, params)
    notices += params.notices
    choice = hybrid.choose_mode(params.mode)
    mode = choice.mode
    notices += [choice.notice] if choice.notice else []
    if params.q and parsed.is_empty:
        notices.append(
            "Your search had no words to look for, so all resources are shown."
        )

    backend = get_backend()
    found = _keyword_matches(parsed, filtered, backend, notices, mode != "semantic")
    expression, hits_qs, total = found.expression, found.hits, found.total
    suggestion = ""
    if params.q and (total < spelling.SUGGEST_BELOW or found.relaxed):
        suggestion = spelling.did_you_mean(params.q, typed, viewer) or ""
    near = None
    if mode != "keyword" and expression:
        # The records nearest in meaning among the same visible, filtered ones;
        # with the keyword hits (hybrid) they are what is counted and faceted.
        near = hybrid.nearest(params.q, filtered)
        close = filtered.filter(pk__in=[pk for pk, _ in near.ranked])
        hits_qs = close if mode == "semantic" else hits_qs | close
        total = hits_qs.count()

    pages = max(1, -(-total // page_size))
    if params.page > pages:
        raise PageOutOfRange(params.page, pages)
    sort = params.effective_sort if expression else _unranked(params.effective_sort)
    start = (params.page - 1) * page_size
    window = Window(filtered, hits_qs, expression, parsed, start, page_size, near, mode)
    window.pairs = typed.adjacent_pairs()[:PROXIMITY_PAIRS]
    window.tiers = found.tiers
    hits = _page(window, sort, backend)
    if expression:
        _add_found_on(hits, expression, viewer)
    facets = (
        compute_facets(hits_qs, params.filters, settings.SEARCH_FACET_SIZE)
        if with_facets
        else {}
    )
    return SearchResult(
        params,
        total,
        hits,
        facets,
        active,
        sort,
        params.page,
        pages,
        notices,
        did_you_mean=suggestion,
        mode=mode,
        modes=choice.offered,
    )


@dataclass
class KeywordMatches:
    expression: str | None
    hits: QuerySet
    total: int
    relaxed: bool = False  # no record holds every word: any of them instead
    tiers: list[str] = field(default_factory=list)  # ranked first, in order


def _keyword_matches(
    parsed: query_parser.ParsedQuery,
    filtered: QuerySet,
    backend,
    notices: list[str],
    relax: bool,
) -> KeywordMatches:
    """What the words match: every word, or any word of a broad query; any
    word too (with a notice, if ``relax``) when no record holds them all."""
    expression = _broad_expression(parsed, backend, notices) if parsed.broad else None
    expression = expression or parsed.match_expression()
    hits = _matching(filtered, expression, parsed, backend)
    total = hits.count()
    if total or not relax or parsed.broad or not _relaxable(parsed):
        return KeywordMatches(expression, hits, total)
    expression = parsed.relaxed_expression()
    hits = _matching(filtered, expression, parsed, backend)
    total = hits.count()
    if total:
        notices.append(
            "No resource contains all of your words; showing those with any of them."
        )
    # Records with all the words but one come first.
    tiers = [tier for tier in [parsed.most_expression()] if tier]
    return KeywordMatches(expression, hits, total, relaxed=True, tiers=tiers)


#: A broad query ranks by at most this many of its words, the rarest in the
#: library: they decide BM25's order, and the commonest cost the most to match.
MAX_BROAD_WORDS = 32


def _broad_expression(
    parsed: query_parser.ParsedQuery, backend, notices: list[str]
) -> str | None:
    words = parsed.broad_words()
    if len(words) <= MAX_BROAD_WORDS:
        return parsed.any_expression()
    records = backend.word_frequencies(words)
    # Words no description holds go last: they can only match document text.
    rarest = sorted(words, key=lambda word: records.get(word) or float("inf"))
    keep = rarest[:MAX_BROAD_WORDS]
    notices.append(
        f"Your search was long, so its {MAX_BROAD_WORDS} most distinctive "
        "words were used."
    )
    return parsed.any_expression(keep=set(keep))


def _relaxable(parsed: query_parser.ParsedQuery) -> bool:
    return not parsed.explicit_or and bool(parsed.relaxed_expression())


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

#: Ranked hits whose scores the proximity bonus may raise: enough to reorder
#: the first pages, few enough to cost one small query.
PROXIMITY_DEPTH = 30
#: A hit holding every two-word phrase of the query as typed scores this much
#: more (a share: half the pairs, half the bonus). Measured in benchmarks.md.
PROXIMITY_BONUS = 0.2
#: Two-word phrases looked for, at most (the first ones typed).
PROXIMITY_PAIRS = 24


@dataclass
class Window:
    """One page of a search: what may be shown, what matched, which slice."""

    allowed: QuerySet  # visible to the viewer and through the filters
    hits: QuerySet  # ``allowed`` that match the expression
    expression: str | None
    parsed: query_parser.ParsedQuery
    start: int
    size: int
    near: hybrid.Nearest | None = None  # for semantic and hybrid modes
    mode: str = "keyword"
    # Two-word phrases as typed (before synonyms), for the proximity bonus.
    pairs: list[str] = field(default_factory=list)
    # Expressions whose hits rank before the rest, in order.
    tiers: list[str] = field(default_factory=list)


def _page(window: Window, sort: str, backend) -> list[Hit]:
    scores: dict[int, float] = {}
    start, size = window.start, window.size
    if sort == "relevance":
        ranked = _relevance(window, backend)[start : start + size]
        scores = dict(ranked)
        ids = [pk for pk, _ in ranked]
    else:
        ordered = window.hits.order_by(*ORDERINGS[sort])
        ids = list(ordered.values_list("pk", flat=True)[start : start + size])
    resources = Resource.objects.filter(pk__in=ids).prefetch_related(
        "types", "topics", "publisher_links__organisation"
    )
    by_id = {r.pk: r for r in resources}
    expression = window.expression
    raw = backend.snippets(expression, ids) if expression else {}
    return [
        Hit(by_id[pk], scores.get(pk), render_snippet(raw.get(pk, ""), backend))
        for pk in ids
        if pk in by_id
    ]


def _relevance(window: Window, backend) -> list[tuple[int, float]]:
    """The keyword ranking, the semantic one, or both fused (by mode)."""
    if window.near is None:
        return _ranked(window, backend)
    keyword = [] if window.mode == "semantic" else _ranked(window, backend)
    return hybrid.combine(window.mode, keyword, window.near)


def _ranked(window: Window, backend) -> list[tuple[int, float]]:
    """The best (id, score) pairs up to the end of the window, best first.

    Ranked in the index among the ids the filtered queryset allows, the hits
    of each tier (``Window.tiers``) before the rest; the first PROXIMITY_DEPTH
    then gain the proximity bonus and are sorted again, tier by tier.
    """
    end = window.start + window.size
    limit = max(end, PROXIMITY_DEPTH, hybrid.KEYWORD_DEPTH if window.near else 0)
    ranked: list[tuple[int, float]] = []
    tier_of: dict[int, int] = {}
    for tier, expression in enumerate([*window.tiers, window.expression]):
        for pk, score in backend.ranked(expression, limit, within=window.allowed):
            if pk not in tier_of and len(ranked) < limit:
                tier_of[pk] = tier
                ranked.append((pk, score))
    pairs = window.pairs
    if not pairs or len(ranked) < 2:
        return ranked
    top = ranked[:PROXIMITY_DEPTH]
    found = backend.phrase_counts(pairs, [pk for pk, _ in top])
    share = {pk: found.get(pk, 0) / len(pairs) for pk, _ in top}
    boosted = [(pk, score * (1 + PROXIMITY_BONUS * share[pk])) for pk, score in top]
    boosted.sort(key=lambda hit: (tier_of[hit[0]], -hit[1]))
    return boosted + ranked[PROXIMITY_DEPTH:]


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
