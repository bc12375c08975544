"""One JSON shape per thing the API returns (see docs/api.md and DESIGN.md)."""

from django.http import HttpRequest

from clearinghouse.catalog.models import Resource
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
        "notices": result.notices,
        "results": [hit_to_dict(hit, request) for hit in result.hits],
        "facets": {
            name: [value.to_dict() for value in facet.values]
            for name, facet in result.facets.items()
        },
    }


def resource_detail(resource: Resource, request: HttpRequest) -> dict:
    return {
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
                "url": request.build_absolute_uri(doc.get_absolute_url()),
            }
            for doc in resource.documents.all()
            if doc.state == "done"
        ],
    }
