"""A resource's page, its tombstone once withdrawn, and its document downloads."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from clearinghouse.catalog.models import Document, Resource
from clearinghouse.catalog.related import related_resources
from clearinghouse.catalog.visibility import may_download


def resource_detail(request: HttpRequest, slug: str) -> HttpResponse:
    resource = _find(request, slug)
    if resource.status == "withdrawn":
        return render(request, "web/tombstone.html", {"resource": resource}, status=410)
    context = {
        "resource": resource,
        "publishers": resource.ordered_publishers(),
        "authors": resource.ordered_authors(),
        "documents": [d for d in resource.documents.all() if d.state == "done"],
        "may_download": may_download(request.user, resource),
        "related": related_resources(resource, request.user),
    }
    return render(request, "web/resource.html", context)


def document_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    resource = _find(request, slug)
    document = get_object_or_404(Document, pk=pk, resource=resource)
    if resource.status == "withdrawn":
        return render(request, "web/tombstone.html", {"resource": resource}, status=410)
    if not may_download(request.user, resource):
        return render(
            request, "web/restricted.html", {"resource": resource}, status=403
        )
    if not document.file or not document.file.storage.exists(document.file.name):
        raise Http404("The file for this document is missing.")
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=not _inline_safe(document),
        filename=document.original_name or document.file.name.rsplit("/", 1)[-1],
        content_type=_safe_content_type(document),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _find(request: HttpRequest, slug: str) -> Resource:
    visible = Resource.objects.visible_to(request.user).filter(slug=slug).first()
    if visible:
        return visible
    tombstone = Resource.objects.tombstones_visible_to(request.user).filter(slug=slug)
    return get_object_or_404(tombstone)


# Only formats a browser shows without running anything may open inline.
INLINE_TYPES = {"application/pdf", "text/plain"}
SAFE_TYPES = INLINE_TYPES | {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
    "application/epub+zip",
    "application/rtf",
}


def _inline_safe(document: Document) -> bool:
    return document.media_type in INLINE_TYPES


def _safe_content_type(document: Document) -> str:
    if document.media_type == "text/plain":
        return "text/plain; charset=utf-8"
    if document.media_type in SAFE_TYPES:
        return document.media_type
    # HTML and anything unknown download as bytes, never render on this origin.
    return "application/octet-stream"
