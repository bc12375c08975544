"""Document: a file attached to a resource (a PDF, an office file …)."""

from django.db import models
from django.urls import reverse
from django.utils import timezone


class Document(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        PROCESSING = "processing", "Processing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    resource = models.ForeignKey(
        "catalog.Resource", on_delete=models.CASCADE, related_name="documents"
    )
    file = models.FileField(upload_to="files/%Y/%m/", max_length=300)
    original_name = models.CharField(max_length=300, blank=True)
    title = models.CharField(
        max_length=300, blank=True, help_text="e.g. 'Executive summary'"
    )
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    size = models.PositiveBigIntegerField(default=0)
    media_type = models.CharField(max_length=120, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    language = models.CharField(max_length=3, blank=True)
    text = models.TextField(blank=True, help_text="Extracted text, used by search.")
    thumbnail = models.ImageField(upload_to="thumbnails/", blank=True, max_length=300)
    state = models.CharField(max_length=12, choices=State.choices, default=State.DONE)
    failure = models.TextField(blank=True)
    # Filled by ingest (clearinghouse.ingest.tasks): embedded metadata as read,
    # {"word_count", "needs_ocr", "warnings", "title", "author", ...}.
    metadata = models.JSONField(default=dict, blank=True)
    # [{"field", "value", "source", "confidence"}, ...] for a curator to accept.
    suggestions = models.JSONField(default=list, blank=True)
    # MinHash of the text's shingles, for near-duplicate finding.
    signature = models.BinaryField(null=True, blank=True, editable=False)
    # [{"resource": id, "reason": "..."}, ...]: records this one may repeat.
    possible_duplicates = models.JSONField(default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Extraction runs started, retries included."
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title or self.original_name or f"Document {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("document", args=[self.resource.slug, self.pk])

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS.get(
            self.media_type, self.media_type.split("/")[-1].upper()
        )


class Page(models.Model):
    """The text of one page of a document, so that a hit can name its page."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="page_texts"
    )
    number = models.PositiveIntegerField(help_text="From 1.")
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="unique_page_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} p. {self.number}"


class SignatureBand(models.Model):
    """One band of a document's MinHash signature, hashed (locality-sensitive
    hashing): documents that share a band are candidates for near-duplicates,
    found by an index lookup instead of a comparison with every document."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="signature_bands"
    )
    key = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"{self.document_id}: {self.key:x}"


FORMAT_LABELS = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/epub+zip": "EPUB",
    "text/html": "HTML",
    "text/plain": "Text",
    "application/rtf": "RTF",
}
