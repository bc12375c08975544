"""A resource's page, or its tombstone once withdrawn."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from clearinghouse.catalog.models import Resource
from clearinghouse.catalog.related import related_resources
from clearinghouse.catalog.visibility import may_download
from clearinghouse.web import counts
from clearinghouse.web.covers import attach_covers, detail_cover

# Read by search and duplicate finding, never shown on the page.
UNSHOWN_DOCUMENT_FIELDS = ("text", "signature", "suggestions", "possible_duplicates")


def resource_detail(request: HttpRequest, slug: str) -> HttpResponse:
    resource = find_resource(request, slug)
    if resource.status == "withdrawn":
        context = {
            "resource": resource,
            "replacement": replacement(resource, request.user),
        }
        return render(request, "web/tombstone.html", context, status=410)
    documents = list(
        resource.documents.filter(state="done").defer(*UNSHOWN_DOCUMENT_FIELDS)
    )
    downloadable = may_download(request.user, resource)
    related = related_resources(resource, request.user)
    context = {
        "resource": resource,
        "publishers": resource.ordered_publishers(),
        "authors": resource.ordered_authors(),
        "documents": documents,
        "may_download": downloadable,
        "cover": detail_cover(documents, downloadable),
        "related": attach_covers(related, request.user),
    }
    counts.record_view(request, resource)
    return render(request, "web/resource.html", context)


def replacement(tombstone: Resource, viewer) -> Resource | None:
    """The record a merge moved this one's documents to, if the viewer may
    see it."""
    replaced_by = tombstone.provenance.get("replaced_by") or {}
    if not isinstance(replaced_by, dict) or not replaced_by.get("id"):
        return None
    return Resource.objects.visible_to(viewer).filter(pk=replaced_by["id"]).first()


def find_resource(request: HttpRequest, slug: str) -> Resource:
    """The record this viewer may see, or its tombstone; 404 otherwise."""
    visible = Resource.objects.visible_to(request.user).filter(slug=slug).first()
    if visible:
        return visible
    tombstone = Resource.objects.tombstones_visible_to(request.user).filter(slug=slug)
    return get_object_or_404(tombstone)
