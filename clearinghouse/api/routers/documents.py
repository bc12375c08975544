"""Uploading documents: the API's door into ingest.

The same function as the admin's upload page (``ingest.uploads.
ingest_upload`` → ``ingest.pipeline.ingest_file``): the type is sniffed from
the bytes, anything but a document is refused, the same bytes are never
stored twice, and the document is queued for ``clearinghouse worker``.
One file per request, in a multipart field named ``file``.

    201  taken: a new draft record (or the named record) with a queued document
    409  the same file is in the library already (``existing`` points at it
         when the caller may see it); nothing was stored
    413  over the size limit (INGEST_MAX_BYTES)
    415  not a document (an image, video, archive, program …): the reason says what
    422  no file, or an empty one
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Status
from ninja.files import UploadedFile

from clearinghouse.api import serialise
from clearinghouse.api.auth import WRITE_AUTH, require
from clearinghouse.api.lookup import visible_resource
from clearinghouse.api.problems import ApiProblem, answers
from clearinghouse.api.schemas import UploadResponse
from clearinghouse.catalog.models import Resource
from clearinghouse.ingest.pipeline import DUPLICATE, OK, REFUSED, IngestOutcome
from clearinghouse.ingest.sniff import format_size
from clearinghouse.ingest.uploads import ingest_upload

router = Router(tags=["documents"])

UPLOAD_ANSWERS = answers({201: UploadResponse}, 403, 409, 413, 415, 422, 500)


@router.post(
    "/documents",
    auth=WRITE_AUTH,
    response=UPLOAD_ANSWERS,
    summary="Upload a document as a new draft resource",
)
def upload_document(
    request: HttpRequest, file: File[UploadedFile], response: HttpResponse
) -> Status:
    """Needs catalog.add_resource. The draft is titled after the file until
    the worker has read it and suggested better metadata."""
    require(request, "catalog.add_resource", "upload documents as new resources")
    return take(request, response, file, None)


@router.post(
    "/resources/{resource_id}/documents",
    auth=WRITE_AUTH,
    response=answers({201: UploadResponse}, 403, 404, 409, 410, 413, 415, 422, 500),
    summary="Add a document to a resource",
)
def upload_to_resource(
    request: HttpRequest,
    resource_id: str,
    file: File[UploadedFile],
    response: HttpResponse,
) -> Status:
    """Needs catalog.change_resource."""
    resource = visible_resource(request, resource_id)
    require(request, "catalog.change_resource", "add documents to resources")
    return take(request, response, file, resource)


def take(
    request: HttpRequest,
    response: HttpResponse,
    upload: UploadedFile,
    resource: Resource | None,
) -> Status:
    """Ingest one upload and answer with its outcome."""
    limit = settings.INGEST_MAX_BYTES
    if upload.size > limit:
        raise ApiProblem(
            413,
            f"The file is {format_size(upload.size)}; the limit is "
            f"{format_size(limit)}.",
            kind="refused-file",
        )
    if upload.size == 0:
        raise ApiProblem(422, "The file is empty.", kind="refused-file")
    outcome = ingest_upload(upload, resource, request.user)
    if outcome.status != OK:
        raise refusal(outcome, request.user)
    response["Location"] = serialise.resource_ref(outcome.resource, request)["api_url"]
    return Status(
        201,
        {
            "status": OK,
            "resource": serialise.resource_ref(outcome.resource, request),
            "document": serialise.document_file(outcome.document),
        },
    )


def refusal(outcome: IngestOutcome, viewer: object) -> ApiProblem:
    if outcome.status == DUPLICATE:
        existing = outcome.resource
        if Resource.objects.visible_to(viewer).filter(pk=existing.pk).exists():
            return ApiProblem(
                409,
                f"The same file is already in the library: “{existing.title}”.",
                kind="duplicate",
                existing=existing,
            )
        return ApiProblem(
            409, "The same file is already in the library.", kind="duplicate"
        )
    if outcome.status == REFUSED:
        return ApiProblem(
            415, f"The file was refused: {outcome.reason}.", kind="refused-file"
        )
    return ApiProblem(500, f"The file could not be taken in: {outcome.reason}.")
