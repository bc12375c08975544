"""Stored embeddings: part of the catalog database, so they travel with backups."""

from django.db import models


class Embedding(models.Model):
    """One vector of a resource: its title, its summary, or a chunk of its text.

    ``vector`` holds DIMENSIONS little-endian float16 numbers (768 bytes): half
    of float32's size, and a rounding far below what moves a ranking.
    ``digest`` is the SHA-1 of the text that was embedded, so a record whose
    text did not change is not embedded again; ``model`` names the model and
    its numbers (``embedder.model_id``), so a new model re-embeds everything.
    """

    class Field(models.TextChoices):
        TITLE = "title", "Title"
        SUMMARY = "summary", "Title and summary"
        CHUNK = "chunk", "Chunk of document text"

    resource = models.ForeignKey(
        "catalog.Resource", on_delete=models.CASCADE, related_name="embeddings"
    )
    field = models.CharField(max_length=8, choices=Field.choices)
    position = models.PositiveIntegerField(
        default=0, help_text="The chunk's number across the record's documents."
    )
    model = models.CharField(max_length=100)
    digest = models.CharField(max_length=40)
    vector = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "field", "position"], name="one_vector_per_place"
            )
        ]
        indexes = [models.Index(fields=["model"])]

    def __str__(self) -> str:
        return f"{self.field} {self.position} of resource {self.resource_id}"


class VectorVersion(models.Model):
    """One row whose token changes whenever stored vectors change.

    Web processes keep the vectors in memory and compare this token before a
    semantic search: one indexed read tells them whether to catch up. A
    random token, not a counter: a counter rolled back with its transaction
    could come round to a number a process has already seen.
    """

    token = models.CharField(max_length=32, blank=True)

    def __str__(self) -> str:
        return f"vectors version {self.token}"
