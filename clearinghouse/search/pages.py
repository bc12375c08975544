"""Where in its documents a hit matched: "Found on pages 3, 12 and 40".

Only documents the viewer may download are looked into, so the pages of a
restricted document never say that it holds a word. Hits are looked up a page
of results at a time, with the FTS5 expression the engine matched them with.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from clearinghouse.catalog.models import Document, Resource
from clearinghouse.catalog.visibility import access_admits, is_curator
from clearinghouse.search.backends import get_backend

#: Page numbers named per document; the rest are counted ("on 14 pages,
#: including …").
PAGES_SHOWN = 5
#: Documents of one hit that get a line of their own.
DOCUMENTS_SHOWN = 3


@dataclass(frozen=True)
class FoundOn:
    """The pages of one document that hold a search's words."""

    document: Document  # with .resource set, so its URL costs no query
    pages: list[int]  # the first PAGES_SHOWN, ascending
    total: int  # every matching page
    label: str = ""  # names the document when its record has several

    @property
    def url(self) -> str:
        return self.document.get_absolute_url()

    @property
    def links_to_pages(self) -> bool:
        """PDF viewers open a document at "#page=N"; other formats cannot."""
        return self.document.media_type == "application/pdf"


def downloadable_documents(viewer: object, resource_ids: Iterable[int]) -> QuerySet:
    """Finished documents of these resources that ``viewer`` may download.

    ``visibility.may_download`` for many records in one query: the viewer may
    see the record, and the documents' own access level (never looser than
    the record's) admits the viewer too. Curators may download every record
    that is not withdrawn, as ``visible_to`` already decides for them.
    """
    resources = Resource.objects.filter(pk__in=list(resource_ids)).visible_to(viewer)
    if not is_curator(viewer):
        resources = resources.filter(
            Q(document_access="") | access_admits(viewer, "document_access")
        )
    return Document.objects.filter(
        resource__in=resources, state=Document.State.DONE
    ).order_by("resource_id", "position", "id")


def found_on_pages(
    expression: str, resources: list[Resource], viewer: object
) -> dict[int, list[FoundOn]]:
    """Resource id → the documents (and their pages) where ``expression``
    matched, for those of ``resources`` whose documents ``viewer`` may open."""
    by_id = {resource.pk: resource for resource in resources}
    documents = list(
        downloadable_documents(viewer, by_id).only(
            "id", "resource_id", "title", "original_name", "media_type", "position"
        )
    )
    pages: dict[int, list[int]] = {}
    for document_id, number in get_backend().page_hits(
        expression, [d.pk for d in documents]
    ):
        pages.setdefault(document_id, []).append(number)
    per_resource = Counter(document.resource_id for document in documents)
    found: dict[int, list[FoundOn]] = {}
    for document in documents:
        numbers = pages.get(document.pk)
        lines = found.setdefault(document.resource_id, [])
        if not numbers or len(lines) == DOCUMENTS_SHOWN:
            continue
        document.resource = by_id[document.resource_id]
        label = str(document) if per_resource[document.resource_id] > 1 else ""
        lines.append(FoundOn(document, numbers[:PAGES_SHOWN], len(numbers), label))
    return {pk: lines for pk, lines in found.items() if lines}
