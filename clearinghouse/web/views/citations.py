"""References to download: one record's (BibTeX, RIS, CSL-JSON) from its page,
and a whole search result's (or a selection's) from the library, in any format.

All ask the visibility policy: a record's reference through the record page's
own lookup (a draft or restricted record is a 404, a withdrawn one a 410), a
search result through the listing's search function, a selection through
``visible_to``. Readers who are not curators get no provenance or document
list in the native formats.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.http import Http404, HttpRequest, HttpResponse

from clearinghouse.catalog.audit import record_reader_export
from clearinghouse.catalog.models import Resource
from clearinghouse.formats.exporting import (
    SEARCH_EXPORT_LIMIT,
    export_in_order,
    for_viewer,
)
from clearinghouse.formats.format import Format
from clearinghouse.formats.native import record_from_resource
from clearinghouse.formats.registry import FORMATS
from clearinghouse.search.engine import PageOutOfRange, search
from clearinghouse.search.filters import SearchParams
from clearinghouse.web.views.resources import find_resource

# /library/export.<extension> → format
EXPORT_EXTENSIONS = {
    "bib": "bibtex",
    "ris": "ris",
    "json": "csljson",
    "csv": "csv",
    "jsonl": "jsonl",
}
PUBLIC_CACHE = "public, max-age=300"
PRIVATE_CACHE = "private, no-cache"


def cite_download(request: HttpRequest, slug: str, format_name: str) -> HttpResponse:
    """One record's reference, to save into a reference manager."""
    resource = find_resource(request, slug)
    if resource.status == "withdrawn":
        return HttpResponse(
            "This resource was withdrawn.", status=410, content_type="text/plain"
        )
    fmt = FORMATS[format_name]
    response = _attachment(fmt, [record_from_resource(resource)], resource.slug)
    public = Resource.objects.public().filter(pk=resource.pk).exists()
    response["Cache-Control"] = PUBLIC_CACHE if public else PRIVATE_CACHE
    return response


def library_export(request: HttpRequest, extension: str) -> HttpResponse:
    """The listing's result for the same query string, in one file; or, with
    ``resource=<slug>`` (repeated), those records: a reader's selection."""
    if extension not in EXPORT_EXTENSIONS:
        raise Http404("No such export format.")
    fmt = FORMATS[EXPORT_EXTENSIONS[extension]]
    if request.GET.getlist("resource"):
        total, ids = _selected(request)
    else:
        total, ids = _searched(request)
    records = for_viewer(export_in_order(ids), request.user)
    response = _attachment(fmt, records, "library")
    record_reader_export(request.user, ids, "web", format=fmt.name)
    response["X-Result-Count"] = str(total)
    response["X-Exported-Count"] = str(len(ids))
    signed_in = request.user.is_authenticated
    response["Cache-Control"] = PRIVATE_CACHE if signed_in else PUBLIC_CACHE
    return response


def _searched(request: HttpRequest) -> tuple[int, list[int]]:
    """(how many match, the ids of the first that go out), in listing order."""
    params = SearchParams.from_querydict(request.GET)
    params.page = 1  # the whole result, not one page of it
    try:
        result = search(
            params, request.user, page_size=SEARCH_EXPORT_LIMIT, with_facets=False
        )
    except PageOutOfRange:  # cannot happen on page 1; kept for the type's sake
        raise Http404("No such page.") from None
    return result.total, [hit.resource.pk for hit in result.hits]


def _selected(request: HttpRequest) -> tuple[int, list[int]]:
    """The named records the reader may see, in the order named."""
    slugs = list(dict.fromkeys(request.GET.getlist("resource")))
    visible = Resource.objects.visible_to(request.user).filter(slug__in=slugs)
    by_slug = dict(visible.values_list("slug", "pk"))
    ids = [by_slug[slug] for slug in slugs if slug in by_slug]
    return len(ids), ids[:SEARCH_EXPORT_LIMIT]


def _attachment(fmt: Format, records: Iterable[dict], name: str) -> HttpResponse:
    stream = io.StringIO()
    fmt.write(records, stream)
    response = HttpResponse(stream.getvalue(), content_type=fmt.content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt.extension}"'
    return response
