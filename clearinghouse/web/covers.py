"""Covers: the first-page thumbnail of a record's document, on cards and pages.

A cover shows only where its document may be downloaded by the viewer (the
first page of a restricted report may say too much), and goes out through
``views.documents.document_thumbnail``, which asks the same policy again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from clearinghouse.catalog.models import Document, Resource
from clearinghouse.search.pages import downloadable_documents

# Ingest renders page 1 at 300 px wide and at most 1.6 times as tall. Every
# cover is laid out in an A4 portrait box (CSS aspect-ratio, object-fit), so
# the page never moves as covers arrive, whatever each one's true height.
WIDTH, HEIGHT = 300, 424


@dataclass(frozen=True)
class Cover:
    url: str
    width: int = WIDTH
    height: int = HEIGHT


def cover_for(document: Document) -> Cover:
    """The cover of a document with a thumbnail; its URL changes with the file,
    so browsers fetch a new thumbnail after re-extraction."""
    url = reverse("document_thumbnail", args=[document.resource.slug, document.pk])
    version = hashlib.sha256(document.thumbnail.name.encode()).hexdigest()[:12]
    return Cover(f"{url}?v={version}")


def attach_covers(resources: Iterable[Resource], viewer: object) -> list[Resource]:
    """Set ``resource.cover`` (a Cover or None) on each, in one query for all.

    The cover is that of the first document, in the curators' order, that
    has a thumbnail and that the viewer may download."""
    resources = list(resources)
    documents = (
        downloadable_documents(viewer, [r.pk for r in resources])
        .exclude(thumbnail="")
        .only("id", "resource_id", "thumbnail", "position")
    )
    first: dict[int, Document] = {}
    for document in documents:
        first.setdefault(document.resource_id, document)
    for resource in resources:
        document = first.get(resource.pk)
        if document is not None:
            document.resource = resource
        resource.cover = cover_for(document) if document is not None else None
    return resources


def detail_cover(documents: list[Document], may_download: bool) -> Cover | None:
    """The cover on a resource's page: its first document with a thumbnail."""
    if not may_download:
        return None
    with_thumbnail = [d for d in documents if d.thumbnail]
    return cover_for(with_thumbnail[0]) if with_thumbnail else None
