"""Background extraction, run by ``clearinghouse worker`` (django-tasks-db).

``extract_document`` is safe to run twice: a document already done is left
alone, and results are written in one transaction (``records``). Unexpected
errors are retried up to ``MAX_ATTEMPTS`` times before the document is marked
failed; a file that cannot be read fails at once with the reason.
"""

from django.conf import settings
from django_tasks import task

from clearinghouse.catalog.models import Document
from clearinghouse.ingest.analysis import vocabulary_lists
from clearinghouse.ingest.extraction import ExtractionError, Limits, describe
from clearinghouse.ingest.isolation import extract_isolated
from clearinghouse.ingest.records import (
    record_extraction,
    record_failure,
    start_extraction,
)
from clearinghouse.ingest.sniff import Refused

MAX_ATTEMPTS = 3


def ingest_limits() -> Limits:
    """The per-file limits from settings (read at call time)."""
    return Limits(
        seconds=settings.INGEST_SECONDS,
        memory_mb=settings.INGEST_MEMORY_MB,
        ocr=settings.INGEST_OCR,
        ocr_languages=settings.INGEST_OCR_LANGUAGES,
    )


@task()
def extract_document(document_id: int) -> str:
    """Read a queued document's file and record what it holds; the new state."""
    document = start_extraction(document_id)
    if document is None:
        return "skipped"
    try:
        extraction = extract_isolated(
            document.file.path,
            document.media_type or None,
            limits=ingest_limits(),
            vocabulary=vocabulary_lists(),
        )
    except (ExtractionError, Refused) as exc:
        record_failure(document_id, exc.reason)
        return Document.State.FAILED
    except Exception as exc:
        retry_or_fail(document, exc)
        raise
    try:
        record_extraction(document_id, extraction)
    except Exception as exc:
        retry_or_fail(document, exc)
        raise
    return Document.State.DONE


def retry_or_fail(document: Document, exc: BaseException) -> None:
    """Queue the document again, or mark it failed after ``MAX_ATTEMPTS``."""
    if document.attempts < MAX_ATTEMPTS:
        Document.objects.filter(pk=document.pk).update(state=Document.State.QUEUED)
        extract_document.enqueue(document.pk)
    else:
        record_failure(
            document.pk,
            f"extraction failed {document.attempts} times: {describe(exc)}",
        )
