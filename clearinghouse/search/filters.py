"""Reading the listing's filters from a query string and applying them.

Filters are ordinary queryset filters applied before the full-text step, so
hits and facet counts always come from one queryset. Several values of one
filter must all hold (a resource in topic A and topic B); a topic or region
includes everything beneath it in its tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import QueryDict

from clearinghouse.catalog.models import (
    Language,
    Organisation,
    Person,
    Region,
    Resource,
    ResourceType,
    Topic,
)
from clearinghouse.search.query import MAX_QUERY_CHARS

FILTER_NAMES = ("type", "topic", "publisher", "year", "language", "region", "author")
SORTS = {
    "relevance": "Relevance",
    "newest": "Newest",
    "oldest": "Oldest",
    "title": "Title A–Z",
}
MAX_VALUES_PER_FILTER = 10


@dataclass
class SearchParams:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = ""
    page: int = 1
    notices: list[str] = field(default_factory=list)
    # keyword, semantic or hybrid; "" for the library's default (semantic.hybrid)
    mode: str = ""

    @classmethod
    def from_querydict(cls, data: QueryDict) -> SearchParams:
        # One character past the parser's limit, so that it says it cut.
        params = cls(q=data.get("q", "").strip()[: MAX_QUERY_CHARS + 1])
        for name in FILTER_NAMES:
            values = [v.strip() for v in data.getlist(name) if v.strip()]
            if values:
                params.filters[name] = list(dict.fromkeys(values))[
                    :MAX_VALUES_PER_FILTER
                ]
        sort = data.get("sort", "")
        if sort and sort not in SORTS:
            params.notices.append(f"Unknown sort order {sort!r}; showing the default.")
            sort = ""
        params.sort = sort
        params.mode = search_mode(data.get("mode", ""), params.notices)
        page = data.get("page", "1")
        number = page_number(page)
        if number is None:
            params.notices.append(
                f"Page {page!r} is not a page number; showing page 1."
            )
        params.page = number or 1
        return params

    @property
    def effective_sort(self) -> str:
        if self.sort:
            return self.sort if (self.sort != "relevance" or self.q) else "newest"
        return "relevance" if self.q else "newest"


MAX_PAGE = 10**6


def search_mode(text: str, notices: list[str]) -> str:
    """A known search mode, or "" (the default) with a notice."""
    from clearinghouse.search.semantic.hybrid import MODES

    if text and text not in MODES:
        notices.append(f"Unknown search mode {text!r}; showing the default.")
        return ""
    return text


def page_number(text: str) -> int | None:
    """A page number of ASCII digits, at least 1 and capped; None otherwise.

    ``str.isdigit`` alone admits "²" and other digits ``int`` refuses, and
    ``int`` refuses more than 4,300 digits.
    """
    if not (text.isascii() and text.isdigit()) or not text.strip("0"):
        return None
    text = text.lstrip("0")
    return MAX_PAGE if len(text) > len(str(MAX_PAGE)) else min(int(text), MAX_PAGE)


def year_number(text: str) -> int | None:
    """A four-digit year a date can hold (0001–9999); None otherwise."""
    if text.isascii() and text.isdigit() and len(text) == 4 and int(text) >= 1:
        return int(text)
    return None


@dataclass
class ActiveFilter:
    name: str
    value: str
    label: str


def descendant_ids(model: type, root_ids: list[int]) -> list[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent in model.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, stack = [], list(root_ids)
    while stack:
        pk = stack.pop()
        found.append(pk)
        stack.extend(children.get(pk, []))
    return found


def link_table(name: str) -> tuple[type, str]:
    """The link table for a filter and the name of its non-resource column."""
    return {
        "type": (Resource.types.through, "resourcetype_id"),
        "topic": (Resource.topics.through, "topic_id"),
        "publisher": (Resource.publishers.through, "organisation_id"),
        "author": (Resource.authors.through, "person_id"),
        "language": (Resource.languages.through, "language_id"),
        "region": (Resource.regions.through, "region_id"),
    }[name]


LOOKUPS = {
    "type": (ResourceType, "slug", "label"),
    "topic": (Topic, "slug", "name"),
    "publisher": (Organisation, "slug", "name"),
    "author": (Person, "slug", "name"),
    "language": (Language, "code", "name"),
    "region": (Region, "slug", "name"),
}
LABELS = {
    "type": "type",
    "topic": "topic",
    "publisher": "publisher",
    "author": "author",
    "language": "language",
    "region": "region",
    "year": "year",
}


def apply_filters(
    qs: QuerySet, params: SearchParams
) -> tuple[QuerySet, list[ActiveFilter]]:
    """Narrow ``qs`` by every known filter value; unknown ones become notices."""
    active = []
    for name, values in params.filters.items():
        for value in values:
            narrowed = _narrow(qs, name, value)
            if narrowed is None:
                params.notices.append(
                    f"There is no {LABELS[name]} {value!r}, so that filter was ignored."
                )
                continue
            qs, label = narrowed
            active.append(ActiveFilter(name, value, label))
    return qs, active


def _narrow(qs: QuerySet, name: str, value: str) -> tuple[QuerySet, str] | None:
    if name == "year":
        year = year_number(value)
        if year is None:
            return None
        return qs.filter(date__year=year), value
    model, key, label_field = LOOKUPS[name]
    term = model.objects.filter(**{key: value}).first()
    if term is None:
        return None
    ids = [term.pk]
    if name in ("topic", "region"):
        ids = descendant_ids(model, ids)
    through, column = link_table(name)
    linked = through.objects.filter(**{f"{column}__in": ids}).values("resource_id")
    return qs.filter(pk__in=linked), getattr(term, label_field)
