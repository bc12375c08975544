"""Writing what extraction found onto a document, all or nothing.

Shared by the background task and the CLI, which reads a batch itself. The
slow parts (suggestions and signatures, in the extraction worker; the
thumbnail file) come first; the rows are then written in one transaction, so
a crash leaves the document as it was.
"""

from django.db import transaction
from django.db.models import F

from clearinghouse.catalog.models import Document, Language, Page, Resource
from clearinghouse.ingest.analysis import analyse, build_vocabulary, vocabulary_lists
from clearinghouse.ingest.candidates import possible_duplicates, store_bands
from clearinghouse.ingest.extraction import Extraction
from clearinghouse.ingest.storage import store_thumbnail

#: A title suggestion replaces the file-name title from this confidence up.
TITLE_CONFIDENCE = 0.5
#: The provenance of a language found by ``language.detect_language``.
DETECTED = "detected in the text"


def start_extraction(document_id: int, *, rerun: bool = False) -> Document | None:
    """Mark the document processing and count the attempt; ``None`` when it is
    gone or already done (a task delivered twice does nothing the second time)."""
    with transaction.atomic():
        document = Document.objects.filter(pk=document_id).first()
        if document is None or (document.state == Document.State.DONE and not rerun):
            return None
        Document.objects.filter(pk=document_id).update(
            state=Document.State.PROCESSING, attempts=F("attempts") + 1
        )
    document.refresh_from_db()
    return document


def record_failure(document_id: int, reason: str) -> None:
    """The document could not be read: say why, keep no partial results."""
    with transaction.atomic():
        Page.objects.filter(document_id=document_id).delete()
        Document.objects.filter(pk=document_id).update(
            state=Document.State.FAILED, failure=reason[:2000]
        )


def record_extraction(
    document_id: int, extraction: Extraction, *, vocabulary=None
) -> None:
    """Write what was read onto a queued document, in one transaction.

    An extraction not analysed in its worker (``suggestions`` is None) is
    analysed here, with ``vocabulary`` (a ``suggest.Vocabulary``) or the
    catalog's."""
    if extraction.suggestions is None:
        if vocabulary is None:
            vocabulary = build_vocabulary(vocabulary_lists())
        analyse(extraction, vocabulary)
    thumbnail = store_thumbnail(extraction.thumbnail) if extraction.thumbnail else ""
    with transaction.atomic():
        document = Document.objects.select_related("resource").get(pk=document_id)
        # The record first: its re-indexing is cheap while the document's
        # text is not yet there, and the text is then indexed once.
        retitle(document.resource, extraction.suggestions)
        set_language(document.resource, extraction.language)
        write_extraction(document, extraction, thumbnail)


def write_extraction(
    document: Document, extraction: Extraction, thumbnail: str
) -> None:
    """Save an analysed extraction onto ``document`` (new or not): text,
    pages, metadata, suggestions, signature and its band keys, and the
    records it may repeat. Runs inside the caller's transaction."""
    suggestions = extraction.suggestions or []
    document.text = "\n\n".join(extraction.page_texts)
    document.pages = extraction.page_count
    document.language = (extraction.language or "")[:3]
    document.thumbnail = thumbnail
    document.metadata = {
        **extraction.metadata,
        "word_count": extraction.word_count,
        "needs_ocr": extraction.needs_ocr,
        "warnings": extraction.warnings,
    }
    document.suggestions = suggestions
    document.signature = extraction.signature
    document.possible_duplicates = possible_duplicates(
        document.resource_id,
        extraction.signature,
        title_to_compare(document.resource, suggestions),
    )
    document.state, document.failure = Document.State.DONE, ""
    rerun = document.pk is not None
    document.save()
    if rerun:
        Page.objects.filter(document=document).delete()
    Page.objects.bulk_create(
        Page(document=document, number=n, text=text)
        for n, text in enumerate(extraction.page_texts, start=1)
    )
    store_bands(document, extraction.signature, replace=rerun)


def retitle(resource: Resource, suggestions: list[dict]) -> None:
    """Replace a title taken from the file name by a confident suggestion."""
    ingest = resource.provenance.get("ingest", {})
    if ingest.get("title") != "file name":
        return
    if found := suggested_title(suggestions):
        resource.title, source = found
        resource.provenance["ingest"] = {**ingest, "title": source}
        resource.save(update_fields=["title", "provenance", "updated_at"])


def suggested_title(suggestions: list[dict]) -> tuple[str, str] | None:
    """The first title suggestion and its source, when confident enough to
    stand in for a file name."""
    titles = [s for s in suggestions if s["field"] == "title"]
    if titles and titles[0]["confidence"] >= TITLE_CONFIDENCE:
        return titles[0]["value"][:500], titles[0]["source"]
    return None


def title_to_compare(resource: Resource, suggestions: list[dict]) -> str:
    """The record's title, or the suggested one while the record's is only
    its file name."""
    if resource.provenance.get("ingest", {}).get("title") == "file name":
        titles = [s["value"] for s in suggestions if s["field"] == "title"]
        return titles[0] if titles else resource.title
    return resource.title


def set_language(resource: Resource, code: str | None) -> None:
    """Give a record without languages its document's detected language."""
    if not code or resource.languages.exists():
        return
    language = Language.objects.filter(code=code).first()
    if language is not None:
        resource.languages.add(language)
        ingest = resource.provenance.get("ingest", {})
        resource.provenance["ingest"] = {**ingest, "language": DETECTED}
        resource.save(update_fields=["provenance", "updated_at"])


def language_of(extraction: Extraction) -> Language | None:
    """The catalog's entry for the extraction's detected language."""
    if not extraction.language:
        return None
    return Language.objects.filter(code=extraction.language).first()
