"""The field's vocabulary for search: groups of terms that mean the same thing.

The full-text index itself is not a Django model: it is a derived table owned
by the backend (see backends/), kept in place by the pre_migrate and
post_migrate signals this app receives (apps.py).
"""

from django.core.exceptions import ValidationError
from django.db import models

from clearinghouse.search.query import TOKEN


class SynonymGroup(models.Model):
    """Terms a search for any one of them also looks for (search/synonyms.py)."""

    preferred = models.CharField(
        "preferred term",
        max_length=200,
        unique=True,
        help_text="Shown to readers who searched with a legacy term, e.g. "
        "“child sexual abuse material (CSAM)”.",
    )
    source = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who prefers it, read after “the term preferred by”, e.g. "
        "“the Luxembourg Terminology Guidelines”.",
    )
    active = models.BooleanField(
        default=True, help_text="Untick to stop using the group without losing it."
    )
    note = models.TextField(blank=True, help_text="For curators; never shown.")

    class Meta:
        ordering = ["preferred"]
        verbose_name = "synonym group"

    def __str__(self) -> str:
        return self.preferred


class SynonymTerm(models.Model):
    group = models.ForeignKey(
        SynonymGroup, on_delete=models.CASCADE, related_name="terms"
    )
    text = models.CharField(
        max_length=200, help_text="A word, acronym or phrase, e.g. “CSEM”."
    )
    legacy = models.BooleanField(
        default=False,
        help_text="Outdated or harmful (“child pornography”): still matched, "
        "never suggested; readers who use it are told the preferred term.",
    )

    class Meta:
        ordering = ["group", "legacy", "text"]
        constraints = [
            models.UniqueConstraint(fields=["group", "text"], name="synonym_once")
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if not TOKEN.findall(self.text or ""):
            raise ValidationError(
                {"text": "A term needs at least one letter or digit."}
            )
