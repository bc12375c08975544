"""A document's file and its first-page thumbnail, for those who may download it."""

from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from clearinghouse.catalog import audit
from clearinghouse.catalog.models import Document, Resource
from clearinghouse.catalog.visibility import may_download
from clearinghouse.web import counts
from clearinghouse.web.downloads import (
    PRIVATE_CACHE,
    PUBLIC_CACHE,
    SANDBOX,
    add_download_headers,
    sent_content_type,
)
from clearinghouse.web.ranges import send_file
from clearinghouse.web.views.resources import find_resource

# The formats ingest stores thumbnails in (and an admin upload may use), by
# their first bytes; any other file is not sent as an image.
IMAGE_SIGNATURES = (
    (b"RIFF", 8, b"WEBP", "image/webp"),
    (b"\x89PNG\r\n\x1a\n", 0, b"", "image/png"),
    (b"\xff\xd8\xff", 0, b"", "image/jpeg"),
)


def document_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    resource = find_resource(request, slug)
    document = get_object_or_404(Document, pk=pk, resource=resource)
    if resource.status == "withdrawn":
        return render(request, "web/tombstone.html", {"resource": resource}, status=410)
    if not may_download(request.user, resource):
        return render(
            request, "web/restricted.html", {"resource": resource}, status=403
        )
    storage, name = document.file.storage, _stored(document.file)
    audit.record_download(request, document, resource)  # restricted ones only
    response = send_file(request, storage, name, sent_content_type(document))
    document.resource = resource
    counts.record_download(request, resource, response)
    return add_download_headers(response, document, public=_is_public(resource))


def document_thumbnail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The first page as an image, under the same rule as the document itself."""
    resource = find_resource(request, slug)
    document = get_object_or_404(Document, pk=pk, resource=resource)
    if resource.status == "withdrawn":
        return HttpResponse(status=410, content_type="text/plain")
    if not may_download(request.user, resource):
        return HttpResponse(status=403, content_type="text/plain")
    storage, name = document.thumbnail.storage, _stored(document.thumbnail)
    image_type = _image_type(storage, name)
    if image_type is None:
        raise Http404("The thumbnail is not an image this site serves.")
    response = send_file(request, storage, name, image_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    response["Cache-Control"] = PUBLIC_CACHE if _is_public(resource) else PRIVATE_CACHE
    return response


def _stored(field: FieldFile) -> str:
    if not field or not field.storage.exists(field.name):
        raise Http404("The file is missing.")
    return field.name


def _is_public(resource: Resource) -> bool:
    """Whether anyone at all may fetch it, so that shared caches may keep it."""
    return may_download(AnonymousUser(), resource)


def _image_type(storage: Storage, name: str) -> str | None:
    with storage.open(name, "rb") as file:
        head = file.read(12)
    for magic, offset, extra, media_type in IMAGE_SIGNATURES:
        if head.startswith(magic) and head[offset : offset + len(extra)] == extra:
            return media_type
    return None
