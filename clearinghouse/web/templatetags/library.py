"""Template helpers for the public pages: labels, card lines, sizes and links.

Loaded with ``{% load library %}``. The listing's links are dicts keyed by
(facet, value) tuples, which templates cannot index; the tags below look them up.
"""

from django import template
from django.http import HttpRequest, QueryDict

from clearinghouse.formats import bibliographic
from clearinghouse.search.filters import FILTER_NAMES
from clearinghouse.web.querystrings import with_changes

register = template.Library()

FACET_TITLES = {
    "type": "Type",
    "topic": "Topic",
    "publisher": "Publisher",
    "author": "Author",
    "year": "Year",
    "language": "Language",
    "region": "Region",
}
SIZE_UNITS = ("KB", "MB", "GB", "TB")


def _types(resource) -> list:
    return list(resource.types.all())


@register.filter
def type_label(resource) -> str:
    """The first type's label ("Report"), or "" for an untyped resource."""
    types = _types(resource)
    return types[0].label if types else ""


@register.filter
def type_labels(resource) -> str:
    """Every type's label, joined: "Report, Dataset"."""
    return ", ".join(t.label for t in _types(resource))


@register.filter
def publisher_line(resource) -> str:
    """ "Publisher: A, B (Report)", as the seed libraries print it on cards."""
    names = ", ".join(org.name for org in resource.ordered_publishers())
    if not names:
        return ""
    label = type_label(resource)
    return f"Publisher: {names} ({label})" if label else f"Publisher: {names}"


@register.filter
def filesize(size: int | None) -> str:
    """A byte count for readers: "640 bytes", "12 KB", "2.4 MB" (powers of 1000)."""
    if not size:
        return ""
    if size < 1000:
        return f"{size} byte{'s' if size != 1 else ''}"
    value = float(size)
    for unit in SIZE_UNITS:
        value /= 1000
        if value < 1000 or unit == SIZE_UNITS[-1]:
            break
    shown = f"{value:.1f}" if value < 10 else f"{value:.0f}"
    return f"{shown.removesuffix('.0')} {unit}"


@register.filter
def document_facts(document) -> str:
    """ "2.4 MB, 48 pages": what a reader wants to know before downloading."""
    facts = []
    if document.size:
        facts.append(filesize(document.size))
    if document.pages:
        facts.append(f"{document.pages} page{'s' if document.pages != 1 else ''}")
    return ", ".join(facts)


@register.filter
def download_label(document) -> str:
    """ "Download PDF (2.4 MB, 48 pages)"."""
    label = f"Download {document.format_label or 'file'}"
    facts = document_facts(document)
    return f"{label} ({facts})" if facts else label


@register.filter
def found_on_intro(found) -> str:
    """The words before a hit's page numbers: "Found on page", "Found on
    pages", or "Found on 14 pages, including" when not all are listed."""
    if found.total > len(found.pages):
        return f"Found on {found.total:,} pages, including"
    return "Found on page" if found.total == 1 else "Found on pages"


@register.filter
def resource_count(total: int) -> str:
    """ "1 resource", "1,204 resources"."""
    return f"{total:,} resource{'' if total == 1 else 's'}"


@register.filter
def facet_title(name: str) -> str:
    return FACET_TITLES.get(name, name.capitalize())


@register.filter
def bare_doi(doi: str) -> str:
    """A DOI without any resolver prefix: "10.1000/xyz"."""
    return bibliographic.bare_doi(doi)


@register.filter
def doi_url(doi: str) -> str:
    """A resolvable link for a DOI, whether stored bare or as a URL."""
    return f"https://doi.org/{bare_doi(doi)}"


@register.simple_tag
def toggle_url(links, name: str, value: str) -> str:
    """The URL that turns facet value ``value`` of ``name`` on or off."""
    return links.facet_toggle.get((name, value), "")


@register.simple_tag
def chip_url(links, name: str, value: str) -> str:
    """The URL that removes an active filter; "" for a page's pinned filter."""
    return links.chip_remove.get((name, value), "")


@register.simple_tag
def sort_options(links, sorts: dict, result) -> list[dict]:
    """Sort choices as links; relevance only when there is something to rank."""
    return [
        {
            "key": key,
            "label": label,
            "url": links.sort[key],
            "current": key == result.sort,
        }
        for key, label in sorts.items()
        if key != "relevance" or result.params.q
    ]


@register.simple_tag
def hidden_filters(data: QueryDict) -> list[tuple[str, str]]:
    """The active filters of a query string, to keep them when searching again."""
    return [(name, value) for name in FILTER_NAMES for value in data.getlist(name)]


SECTIONS = {
    "library": "library",
    "resource": "library",
    "organisation": "library",
    "topic": "topics",
}


@register.simple_tag(takes_context=True)
def current_section(context) -> str:
    """Which main navigation item the page belongs to; none on error pages."""
    request: HttpRequest | None = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None or "path" in context:
        return ""
    return SECTIONS.get(match.url_name or "", "")


@register.simple_tag(takes_context=True)
def page_one_url(context) -> str:
    """This listing's URL with the page number dropped."""
    request: HttpRequest | None = context.get("request")
    if request is None:
        return "?"
    return with_changes(request.GET)


@register.filter
def display_url(url: str) -> str:
    """A web address as people say it: "weprotect.org/library"."""
    shown = url.split("://", 1)[-1].removeprefix("www.").rstrip("/")
    return shown if len(shown) <= 60 else shown[:59] + "…"
