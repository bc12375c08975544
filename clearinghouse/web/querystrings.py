"""Links for the listing: toggling a facet value, removing a chip, paging, sorting.

Every link is a plain URL, so facets work without JavaScript.
"""

from dataclasses import dataclass

from django.http import QueryDict


@dataclass
class ListingLinks:
    facet_toggle: dict[tuple[str, str], str]  # (facet, value) → URL
    chip_remove: dict[tuple[str, str], str]
    clear_all: str
    sort: dict[str, str]
    previous: str | None
    next: str | None
    pages: list[tuple[int | None, str | None]]  # (number, URL); None marks a gap


def with_changes(
    data: QueryDict,
    *,
    toggle: tuple[str, str] | None = None,
    set_: dict[str, str] | None = None,
) -> str:
    """The query string after toggling one value and setting others; resets paging."""
    query = data.copy()
    query.pop("page", None)
    if toggle:
        name, value = toggle
        values = query.getlist(name)
        query.setlist(
            name,
            [v for v in values if v != value] if value in values else values + [value],
        )
    for name, value in (set_ or {}).items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    encoded = query.urlencode()
    return "?" + encoded if encoded else "?"


def listing_links(
    data: QueryDict, result, pinned: tuple[str, str] | None
) -> ListingLinks:
    toggles = {}
    for name, facet in result.facets.items():
        for value in facet.values:
            toggles[(name, value.value)] = with_changes(
                data, toggle=(name, value.value)
            )
    chips = {
        (f.name, f.value): with_changes(data, toggle=(f.name, f.value))
        for f in result.active_filters
        if (f.name, f.value) != pinned
    }
    sorts = {
        key: with_changes(data, set_={"sort": key})
        for key in ("relevance", "newest", "oldest", "title")
    }
    return ListingLinks(
        facet_toggle=toggles,
        chip_remove=chips,
        clear_all=with_changes(_unfiltered(data)),
        sort=sorts,
        previous=_page_url(data, result.page - 1) if result.page > 1 else None,
        next=_page_url(data, result.page + 1) if result.page < result.pages else None,
        pages=[
            (n, _page_url(data, n) if n else None)
            for n in page_numbers(result.page, result.pages)
        ],
    )


def _unfiltered(data: QueryDict) -> QueryDict:
    """The search without its filters: the words, and how they are matched."""
    query = QueryDict(mutable=True)
    for name in ("q", "mode"):
        if data.get(name):
            query[name] = data[name]
    return query


def _page_url(data: QueryDict, page: int) -> str:
    query = data.copy()
    query["page"] = str(page)
    return "?" + query.urlencode()


def page_numbers(current: int, total: int) -> list[int | None]:
    """1 … 4 5 [6] 7 8 … 20, with None for gaps."""
    shown = {1, total, *range(current - 2, current + 3)}
    numbers: list[int | None] = []
    for n in sorted(p for p in shown if 1 <= p <= total):
        if numbers and n - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(n)
    return numbers
