"""One file in, one record out: the function every door calls.

The admin upload, ``clearinghouse ingest`` and the API all go through
``ingest_file``: refuse what is not a document, never store the same bytes
twice, store the file by its hash, create a draft record with a queued
document, and leave the reading to ``tasks.extract_document``.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from clearinghouse.catalog.models import Document, Resource, Status
from clearinghouse.formats.importing import unique_slug
from clearinghouse.ingest.sniff import Refused, Sniffed, check_size, sniff
from clearinghouse.ingest.storage import file_sha256, store_file

OK, DUPLICATE, REFUSED, FAILED = "ok", "duplicate", "refused", "failed"
STATUSES = (OK, DUPLICATE, REFUSED, FAILED)


@dataclass
class IngestOutcome:
    """What became of one file: ``status`` is one of ``STATUSES``; ``reason``
    explains anything but ``ok``; ``resource`` and ``document`` are the record
    made, or the one that already holds the same bytes."""

    status: str
    reason: str = ""
    resource: Resource | None = None
    document: Document | None = None


def ingest_file(
    path: str | Path,
    *,
    resource: Resource | None = None,
    publish: bool = False,
    actor=None,
    original_name: str | None = None,
    enqueue: bool = True,
) -> IngestOutcome:
    """Take the file at ``path`` into the library.

    Attaches it to ``resource`` when given, else to a new draft record
    (published with ``publish``). ``enqueue=False`` leaves the queued
    document for the caller to extract (the CLI reads a batch itself).
    """
    path = Path(path)
    name = original_name or path.name
    try:
        sniffed = admit(path)
    except Refused as exc:
        return IngestOutcome(REFUSED, exc.reason)
    except OSError as exc:
        return IngestOutcome(FAILED, f"the file could not be read: {exc.strerror}")
    sha256 = file_sha256(path)
    if existing := existing_document(sha256):
        return IngestOutcome(
            DUPLICATE, duplicate_reason(existing), existing.resource, existing
        )
    stored = store_file(path, sha256, sniffed.extension)
    with transaction.atomic():
        if resource is None:
            resource = create_draft(name, sha256, publish=publish, actor=actor)
        document = Document(resource=resource, original_name=name[:300])
        describe_file(document, stored, sniffed, sha256, path.stat().st_size)
        document.position = resource.documents.count()
        document.save()
        if enqueue:
            # Same transaction: the task row and the document commit together.
            enqueue_extraction(document)
    return IngestOutcome(OK, "", resource, document)


def admit(path: Path) -> Sniffed:
    """The file's document type; ``Refused`` when too big or not a document."""
    check_size(path, settings.INGEST_MAX_BYTES)
    return sniff(path)


def existing_document(sha256: str) -> Document | None:
    """The document already holding these bytes, if any."""
    return (
        Document.objects.filter(sha256=sha256)
        .select_related("resource")
        .order_by("pk")
        .first()
    )


def duplicate_reason(existing: Document) -> str:
    return (
        f"the same file is already in the library: “{existing.resource.title}” "
        f"(record {existing.resource_id}, document {existing.pk})"
    )


def describe_file(
    document: Document, stored: str, sniffed: Sniffed, sha256: str, size: int
) -> None:
    """Point ``document`` at a stored file and queue it for extraction."""
    document.file = stored  # a committed name: nothing left to upload
    document.sha256 = sha256
    document.size = size
    document.media_type = sniffed.media_type
    document.state = Document.State.QUEUED
    document.failure = ""


def create_draft(name: str, sha256: str, *, publish: bool, actor) -> Resource:
    """A new record for a file, titled after its name until suggestions come."""
    title = title_from_name(name)
    return Resource.objects.create(
        title=title,
        slug=unique_slug(Resource, title),
        status=Status.PUBLISHED if publish else Status.DRAFT,
        created_by=actor if getattr(actor, "pk", None) else None,
        provenance={"ingest": {"file": name, "sha256": sha256, "title": "file name"}},
    )


def title_from_name(name: str) -> str:
    """``annual_report-2021.pdf`` → ``annual report 2021``."""
    stem = Path(name).stem
    return re.sub(r"[\s_\-.]+", " ", stem).strip()[:500] or "Untitled document"


def enqueue_extraction(document: Document) -> None:
    from clearinghouse.ingest.tasks import extract_document

    extract_document.enqueue(document.pk)
