"""``GET /api/export?format=…``: a search result as one file, in any format.

The same words and filters as /api/search pick the records (through the
search function, so through the visibility policy), in the listing's order,
up to ``SEARCH_EXPORT_LIMIT``; ``X-Result-Count`` says how many matched and
``X-Exported-Count`` how many the file holds. The file is written by the
format registry's writer, as ``clearinghouse export`` and the library page's
export links write it.
"""

import io
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from clearinghouse.api.problems import answers
from clearinghouse.api.routers.search import FilterQuery
from clearinghouse.catalog.audit import record_reader_export
from clearinghouse.formats.exporting import (
    SEARCH_EXPORT_LIMIT,
    export_in_order,
    for_viewer,
)
from clearinghouse.formats.registry import FORMATS
from clearinghouse.search.engine import search
from clearinghouse.search.filters import SearchParams

router = Router(tags=["export"])

FormatName = Literal[tuple(FORMATS)]  # type: ignore[valid-type]


class ExportQuery(FilterQuery):
    format: FormatName = "jsonl"  # type: ignore[valid-type]


def file_schema(media_type: str) -> dict:
    # Every export is a file; CSL-JSON's is JSON, which clients may check.
    if media_type.endswith("+json"):
        return {"type": "array", "items": {"type": "object"}}
    return {"type": "string"}


EXPORT_RESPONSE = {
    200: {
        "description": "The records, as a file to save",
        "content": {
            fmt.media_type: {"schema": file_schema(fmt.media_type)}
            for fmt in FORMATS.values()
        },
        "headers": {
            name: {"schema": {"type": "integer"}, "description": description}
            for name, description in (
                ("X-Result-Count", "How many records matched."),
                ("X-Exported-Count", "How many the file holds."),
            )
        },
    }
}


@router.get(
    "/export",
    response=answers({}),
    openapi_extra={"responses": EXPORT_RESPONSE},
    summary="Export a search result (JSON Lines, CSV, BibTeX, RIS, CSL-JSON)",
)
def export(request: HttpRequest, query: Query[ExportQuery]) -> HttpResponse:
    """The records matching the words and filters, newest first (or in the
    ``sort`` given), up to 1,000, in the chosen format. Curators' native
    exports (jsonl, csv) carry provenance and document lists; others' do not."""
    fmt = FORMATS[query.format]
    params = SearchParams.from_querydict(request.GET)
    params.page = 1
    result = search(
        params, request.user, page_size=SEARCH_EXPORT_LIMIT, with_facets=False
    )
    ids = [hit.resource.pk for hit in result.hits]
    stream = io.StringIO()
    fmt.write(for_viewer(export_in_order(ids), request.user), stream)
    record_reader_export(request.user, ids, "api", format=fmt.name)
    response = HttpResponse(stream.getvalue(), content_type=fmt.content_type)
    response["Content-Disposition"] = f'attachment; filename="library.{fmt.extension}"'
    response["X-Result-Count"] = str(result.total)
    response["X-Exported-Count"] = str(len(ids))
    return response
