"""Page-numbered lists: ``page`` and ``page_size`` in, ``next``/``previous`` out.

Lists answer ``{"total", "page", "pages", "page_size", "next", "previous",
"results"}``; ``next`` and ``previous`` are absolute URLs (or null) that keep
every other parameter, and are repeated in a ``Link`` header (RFC 8288). A
page past the last one is a 404 problem, as in search.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Schema
from pydantic import Field

from clearinghouse.api.problems import ApiProblem
from clearinghouse.search.engine import PageOutOfRange
from clearinghouse.search.filters import MAX_PAGE

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


def page_count(total: int, page_size: int) -> int:
    return max(1, -(-total // page_size))


def page_of(queryset: QuerySet, page: int, page_size: int) -> tuple[list, int, int]:
    """(items on the page, total, pages); 404 problem past the last page."""
    total = queryset.count()
    pages = page_count(total, page_size)
    if page > pages:
        raise ApiProblem(404, str(PageOutOfRange(page, pages)))
    start = (page - 1) * page_size
    return list(queryset[start : start + page_size]), total, pages


def page_links(
    request: HttpRequest, response: HttpResponse, page: int, pages: int, size: int
) -> dict:
    """``page``, ``pages``, ``page_size``, ``next`` and ``previous``, with the
    links also set as the response's Link header."""
    links = {
        "next": page_url(request, page + 1) if page < pages else None,
        "previous": page_url(request, page - 1) if page > 1 else None,
    }
    header = [f'<{url}>; rel="{rel}"' for rel, url in links.items() if url]
    if header:
        response["Link"] = ", ".join(header)
    return {"page": page, "pages": pages, "page_size": size, **links}


def page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
