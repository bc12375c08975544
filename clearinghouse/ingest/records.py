"""Writing what extraction found onto a document, all or nothing.

Shared by the background task and the CLI, which reads a batch itself. The
slow parts (suggestions, signatures, the thumbnail file) run first; the rows
are then written in one transaction, so a crash leaves the document as it was.
"""

import logging
from dataclasses import asdict

from django.db import transaction
from django.db.models import F

from clearinghouse.catalog.models import Document, Organisation, Page, Region, Topic
from clearinghouse.ingest.extraction import Extraction
from clearinghouse.ingest.storage import store_thumbnail

logger = logging.getLogger(__name__)

#: A title suggestion replaces the file-name title from this confidence up.
TITLE_CONFIDENCE = 0.5


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
    """Write pages, text, metadata, thumbnail, suggestions and duplicate hints."""
    texts = extraction.page_texts
    thumbnail = store_thumbnail(extraction.thumbnail) if extraction.thumbnail else ""
    warnings = list(extraction.warnings)
    suggestions = suggest(extraction, vocabulary, warnings)
    titles = [s["value"] for s in suggestions if s["field"] == "title"]
    title = titles[0] if titles else ""
    signature, possible = near_duplicates(document_id, texts, title, warnings)
    metadata = {
        **extraction.metadata,
        "word_count": extraction.word_count,
        "needs_ocr": extraction.needs_ocr,
        "warnings": warnings,
    }
    with transaction.atomic():
        document = Document.objects.select_related("resource").get(pk=document_id)
        Page.objects.filter(document=document).delete()
        Page.objects.bulk_create(
            Page(document=document, number=n, text=text)
            for n, text in enumerate(texts, start=1)
        )
        document.text = "\n\n".join(texts)
        document.pages = extraction.page_count
        document.language = (extraction.language or "")[:3]
        document.thumbnail = thumbnail
        document.metadata = metadata
        document.suggestions = suggestions
        document.signature = signature
        document.possible_duplicates = possible
        document.state, document.failure = Document.State.DONE, ""
        document.save()
        retitle(document.resource, suggestions)


def retitle(resource, suggestions: list[dict]) -> None:
    """Replace a title taken from the file name by a confident suggestion."""
    ingest = resource.provenance.get("ingest", {})
    if ingest.get("title") != "file name":
        return
    titles = [s for s in suggestions if s["field"] == "title"]
    if titles and titles[0]["confidence"] >= TITLE_CONFIDENCE:
        resource.title = titles[0]["value"][:500]
        resource.provenance["ingest"] = {**ingest, "title": titles[0]["source"]}
        resource.save(update_fields=["title", "provenance", "updated_at"])


def suggest(extraction: Extraction, vocabulary, warnings: list[str]) -> list[dict]:
    """Metadata suggestions as plain dicts; none when the suggester is absent.

    Suggestions are an aid: a bug in them is logged and noted, and must not
    cost the curator the text and pages."""
    try:
        from clearinghouse.ingest.suggest import suggest_metadata
    except ImportError:
        return []
    try:
        found = suggest_metadata(
            extraction.page_texts,
            extraction.metadata,
            vocabulary if vocabulary is not None else catalog_vocabulary(),
        )
    except Exception:
        logger.exception("metadata suggestions failed")
        warnings.append("metadata suggestions failed; see the log")
        return []
    return [asdict(s) for s in found]


def catalog_vocabulary():
    """The catalog's organisations, topics and regions, for the suggester
    (build it once per batch: indexing costs more than matching)."""
    from clearinghouse.ingest.suggest import Vocabulary

    return Vocabulary(
        organisations=[
            {"id": o.pk, "name": o.name, "acronym": o.acronym, "aliases": o.aliases}
            for o in Organisation.objects.all()
        ],
        topics=[
            {"id": t.pk, "slug": t.slug, "name": t.name} for t in Topic.objects.all()
        ],
        regions=[
            {
                "id": r.pk,
                "code": r.code,
                "name": r.name,
                "aliases": r.aliases,
                "kind": r.kind,
            }
            for r in Region.objects.all()
        ],
    )


def near_duplicates(
    document_id: int, texts: list[str], title: str, warnings: list[str]
) -> tuple[bytes | None, list[dict]]:
    """The text's MinHash signature, and the other records it may repeat
    (text, figures or title alike), best first, with the reason in words."""
    from clearinghouse.ingest import duplicates

    try:
        signature = duplicates.text_signature("\n\n".join(texts))
        resource_id = Document.objects.values_list("resource_id", flat=True).get(
            pk=document_id
        )
        others = (
            (
                d.resource_id,
                bytes(d.signature) if d.signature else None,
                d.resource.title,
            )
            for d in Document.objects.exclude(resource_id=resource_id)
            .select_related("resource")
            .only("resource_id", "signature", "resource__title")
        )
        matches = duplicates.find_near_duplicates(signature, title, others)
    except Exception:
        logger.exception("near-duplicate finding failed")
        warnings.append("near-duplicate finding failed; see the log")
        return None, []
    found: dict[int, dict] = {}
    for resource, score, reason in matches:
        found.setdefault(
            resource, {"resource": resource, "score": round(score, 2), "reason": reason}
        )
    return signature, list(found.values())
