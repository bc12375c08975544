"""One JSON shape per thing the API returns (see docs/api.md and DESIGN.md)."""

from django.http import HttpRequest
from django.urls import reverse

from clearinghouse.catalog import workflow
from clearinghouse.catalog.models import Document, Resource
from clearinghouse.catalog.visibility import is_curator, may_download
from clearinghouse.search.engine import Hit, SearchResult


def resource_summary(resource: Resource, request: HttpRequest) -> dict:
    types = list(resource.types.all())
    return {
        "id": str(resource.uid),
        "slug": resource.slug,
        "url": request.build_absolute_uri(resource.get_absolute_url()),
        "title": resource.title,
        "type": types[0].label if types else None,
        "types": [t.slug for t in types],
        "date": resource.date_iso or None,
        "publishers": [org.name for org in resource.ordered_publishers()],
        "topics": [t.slug for t in resource.topics.all()],
        "summary": resource.summary,
    }


def hit_to_dict(hit: Hit, request: HttpRequest) -> dict:
    found = {
        **resource_summary(hit.resource, request),
        "snippet": hit.snippet,
        "score": round(hit.score, 4) if hit.score is not None else None,
    }
    # Optional: only when the words are in the pages of a document the caller
    # may download. {"document", "url", "pages" (the first few), "total"}.
    if hit.found_on:
        found["found_on_pages"] = [
            {
                "document": str(line.document),
                "url": request.build_absolute_uri(line.url),
                "pages": line.pages,
                "total": line.total,
            }
            for line in hit.found_on
        ]
    return found


def search_to_dict(result: SearchResult, request: HttpRequest) -> dict:
    return {
        "total": result.total,
        "page": result.page,
        "pages": result.pages,
        "sort": result.sort,
        "mode": result.mode,
        "notices": result.notices,
        **({"did_you_mean": result.did_you_mean} if result.did_you_mean else {}),
        "results": [hit_to_dict(hit, request) for hit in result.hits],
        "facets": {
            name: [value.to_dict() for value in facet.values]
            for name, facet in result.facets.items()
        },
    }


def resource_detail(resource: Resource, request: HttpRequest) -> dict:
    viewer = request.user
    downloadable = may_download(viewer, resource)
    detail = {
        **resource_summary(resource, request),
        "subtitle": resource.subtitle,
        "abstract": resource.abstract,
        "date_display": resource.date_display,
        "citation": resource.citation_line(),
        "authors": [person.name for person in resource.ordered_authors()],
        "languages": [lang.code for lang in resource.languages.all()],
        "regions": [region.name for region in resource.regions.all()],
        "keywords": resource.keywords,
        "source_url": resource.url or None,
        "doi": resource.doi or None,
        "isbn": resource.isbn or None,
        "licence": resource.licence or None,
        "content_warning": resource.content_warning or None,
        "documents": [
            {
                "title": str(doc),
                "format": doc.format_label,
                "size": doc.size,
                "pages": doc.pages,
                # A document may be more restricted than its record.
                "url": request.build_absolute_uri(doc.get_absolute_url())
                if downloadable
                else None,
            }
            for doc in resource.documents.all()
            if doc.state == "done"
        ],
    }
    # Only curators get the key at all: readers' answers stay as they were.
    if is_curator(viewer):
        detail["curation"] = curation(resource, viewer)
    return detail


def curation(resource: Resource, viewer: object) -> dict:
    """Status, access and files of a record, for curators."""
    return {
        "status": resource.status,
        "access": resource.access,
        "groups": sorted(group.name for group in resource.groups.all()),
        "document_access": resource.effective_document_access,
        "embargo_until": resource.embargo_until.isoformat()
        if resource.embargo_until
        else None,
        "featured": resource.featured,
        "review_comment": resource.review_comment,
        "created_at": resource.created_at.isoformat(),
        "updated_at": resource.updated_at.isoformat(),
        "created_by": resource.created_by.get_username()
        if resource.created_by
        else None,
        "actions": [t.action for t in workflow.allowed_transitions(resource, viewer)],
        "history": [
            {key: str(value) for key, value in entry.items()}
            for entry in workflow.history(resource)
        ],
        "files": [document_file(doc) for doc in resource.documents.all()],
    }


def document_file(document: Document) -> dict:
    return {
        "id": document.pk,
        "name": document.original_name,
        "title": document.title,
        "media_type": document.media_type,
        "format": document.format_label,
        "size": document.size,
        "pages": document.pages,
        "state": document.state,
        "failure": document.failure,
    }


def resource_ref(resource: Resource, request: HttpRequest) -> dict:
    """Enough to name a record and find it: on the site and in the API."""
    return {
        "id": str(resource.uid),
        "slug": resource.slug,
        "title": resource.title,
        "url": request.build_absolute_uri(resource.get_absolute_url()),
        "api_url": request.build_absolute_uri(
            reverse("api-1:resource", args=[resource.uid])
        ),
    }
