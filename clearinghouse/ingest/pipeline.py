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
from django.db.models import Min

from clearinghouse.catalog.models import Document, Resource, Status
from clearinghouse.catalog.revisions import record_revision
from clearinghouse.formats.importing import unique_slug
from clearinghouse.ingest.analysis import analyse, build_vocabulary, vocabulary_lists
from clearinghouse.ingest.extraction import Extraction, ExtractionError
from clearinghouse.ingest.records import (
    DETECTED,
    language_of,
    suggested_title,
    write_extraction,
)
from clearinghouse.ingest.sniff import Refused, Sniffed, check_size, sniff
from clearinghouse.ingest.storage import file_sha256, store_file, store_thumbnail

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
    extraction: Extraction | ExtractionError | None = None,
    checked: tuple[Sniffed, str] | None = None,
) -> IngestOutcome:
    """Take the file at ``path`` into the library.

    Attaches it to ``resource`` when given, else to a new draft record
    (published with ``publish``). The document is queued for the worker, or
    left queued with ``enqueue=False``; a caller that read the file already
    (the CLI reads a batch in its own workers) passes the ``extraction``, or
    the error that explains why it could not be read, and the record is
    written complete in one transaction. A caller that ran ``check`` on the
    file already passes its answer as ``checked``; only the lookup for an
    identical file is repeated, as another door may have taken it in since.
    """
    path = Path(path)
    name = original_name or path.name
    try:
        sniffed, sha256 = checked or check(path)
        if checked and (existing := existing_document(sha256)):
            raise NotTaken(duplicate_outcome(existing))
    except NotTaken as exc:
        return exc.outcome
    if isinstance(extraction, Extraction) and extraction.suggestions is None:
        analyse(extraction, build_vocabulary(vocabulary_lists()))
    stored = store_file(path, sha256, sniffed.extension)
    thumbnail = extraction_thumbnail(extraction)
    attached = resource is not None
    with transaction.atomic():
        if resource is None:
            resource = create_draft(
                name, sha256, publish=publish, actor=actor, extraction=extraction
            )
        document = Document(resource=resource, original_name=name[:300])
        describe_file(document, stored, sniffed, sha256, path.stat().st_size)
        document.position = resource.documents.count() if attached else 0
        if isinstance(extraction, Extraction):
            write_extraction(document, extraction, thumbnail)
        elif isinstance(extraction, ExtractionError):
            document.state, document.failure = Document.State.FAILED, extraction.reason
            document.save()
            return IngestOutcome(FAILED, extraction.reason, resource, document)
        else:
            document.save()
            if enqueue:
                # Same transaction: the task row and the document commit together.
                enqueue_extraction(document)
        record_revision(resource, actor, f"Added {name}.", action="ingest")
    return IngestOutcome(OK, "", resource, document)


def extraction_thumbnail(extraction) -> str:
    """The stored thumbnail's name, if the extraction has one."""
    if isinstance(extraction, Extraction) and extraction.thumbnail:
        return store_thumbnail(extraction.thumbnail)
    return ""


class NotTaken(Exception):
    """The file is refused, unreadable, or already in the library."""

    def __init__(self, outcome: IngestOutcome) -> None:
        super().__init__(outcome.reason)
        self.outcome = outcome


def check(path: Path) -> tuple[Sniffed, str]:
    """The file's type and sha256, or ``NotTaken`` with the outcome."""
    try:
        sniffed = admit(path)
        sha256 = file_sha256(path)
    except Refused as exc:
        raise NotTaken(IngestOutcome(REFUSED, exc.reason)) from None
    except OSError as exc:
        reason = f"the file could not be read: {exc.strerror}"
        raise NotTaken(IngestOutcome(FAILED, reason)) from None
    if existing := existing_document(sha256):
        raise NotTaken(duplicate_outcome(existing))
    return sniffed, sha256


def admit(path: Path) -> Sniffed:
    """The file's document type; ``Refused`` when too big or not a document."""
    check_size(path, settings.INGEST_MAX_BYTES)
    return sniff(path)


def existing_document(sha256: str) -> Document | None:
    """The document already holding these bytes, if any."""
    # The common answer is "none": ask the index alone, cheaply, first.
    first = Document.objects.filter(sha256=sha256).aggregate(pk=Min("pk"))["pk"]
    if first is None:
        return None
    return Document.objects.select_related("resource").defer("text").get(pk=first)


def duplicate_outcome(existing: Document) -> IngestOutcome:
    reason = (
        f"the same file is already in the library: “{existing.resource.title}” "
        f"(record {existing.resource_id}, document {existing.pk})"
    )
    return IngestOutcome(DUPLICATE, reason, existing.resource, existing)


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


def create_draft(
    name: str, sha256: str, *, publish: bool, actor, extraction=None
) -> Resource:
    """A new record for a file, titled by a confident suggestion when the
    file was read already, else after its name until suggestions come."""
    title, source = title_from_name(name), "file name"
    provenance = {"file": name, "sha256": sha256, "title": source}
    language = None
    if isinstance(extraction, Extraction):
        if extraction.suggestions:
            found = suggested_title(extraction.suggestions)
            title, provenance["title"] = found or (title, source)
        if language := language_of(extraction):
            provenance["language"] = DETECTED
    resource = Resource.objects.create(
        title=title,
        slug=unique_slug(Resource, title),
        status=Status.PUBLISHED if publish else Status.DRAFT,
        created_by=actor if getattr(actor, "pk", None) else None,
        provenance={"ingest": provenance},
    )
    if language is not None:
        resource.languages.through.objects.create(resource=resource, language=language)
    return resource


def title_from_name(name: str) -> str:
    """``annual_report-2021.pdf`` → ``annual report 2021``."""
    stem = Path(name).stem
    return re.sub(r"[\s_\-.]+", " ", stem).strip()[:500] or "Untitled document"


def enqueue_extraction(document: Document) -> None:
    from clearinghouse.ingest.tasks import extract_document

    extract_document.enqueue(document.pk)
