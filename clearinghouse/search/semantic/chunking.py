"""What of a record is embedded: its title, its summary, and chunks of its text.

all-MiniLM-L6-v2 was trained on texts of up to 128 tokens and reads at most
256, so a document is cut into windows of CHUNK_WORDS words (about 85 to 130
tokens: English prose to scientific text) that overlap by CHUNK_OVERLAP
words, so that a sentence cut at one window's edge is whole in the next.
Only the first MAX_CHUNKS windows of a record's documents are embedded
(about 1,700 words, the first four to six pages): the opening pages of a
report (summary, introduction, key findings) say what it is about, and a
300-page annex would otherwise cost minutes of embedding for little.

Document text is embedded only where everyone who may see the record may
also read its documents (as the full-text index does): the vectors are shared
by every viewer, and a hit must not reveal what a restricted document says.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models.functions import Substr

from clearinghouse.catalog.models import Document, Resource

CHUNK_WORDS = 64
CHUNK_OVERLAP = 12
MAX_CHUNKS = 32
# Characters of a document read for its chunks: more than MAX_CHUNKS windows
# of words need, so a 300-page report is not read whole.
TEXT_READ = 30_000
RECORD_FIELDS = (
    "id",
    "title",
    "subtitle",
    "summary",
    "abstract",
    "access",
    "document_access",
)


@dataclass(frozen=True)
class Passage:
    """A text to embed and where its vector belongs."""

    field: str  # Embedding.Field
    position: int
    text: str

    @property
    def digest(self) -> str:
        return hashlib.sha1(self.text.encode("utf-8")).hexdigest()


def passages_of(resource_ids: list[int]) -> dict[int, list[Passage]]:
    """Resource id → its passages, for the records that exist, in few queries."""
    resources = list(Resource.objects.filter(pk__in=resource_ids).only(*RECORD_FIELDS))
    texts = document_texts([r.pk for r in resources if documents_are_searchable(r)])
    return {r.pk: passages(r, texts.get(r.pk, [])) for r in resources}


def passages(resource: Resource, document_texts: list[str]) -> list[Passage]:
    """The passages of one record, title first."""
    title = " ".join(f"{resource.title} {resource.subtitle}".split())
    found = [Passage("title", 0, title)]
    description = " ".join(f"{resource.summary} {resource.abstract}".split())
    if description:
        # The title leads, as in the passages MiniLM was tuned on (BEIR's
        # title + text), so the summary vector knows what the record is.
        found.append(Passage("summary", 0, f"{title} {description}"))
    found += [
        Passage("chunk", number, chunk)
        for number, chunk in enumerate(chunk_texts(document_texts))
    ]
    return found


def document_texts(resource_ids: list[int]) -> dict[int, list[str]]:
    """Resource id → the opening text of each finished document, in order."""
    rows = (
        Document.objects.filter(resource_id__in=resource_ids, state=Document.State.DONE)
        .exclude(text="")
        .order_by("resource_id", "position", "id")
        .annotate(head=Substr("text", 1, TEXT_READ))
        .values_list("resource_id", "head")
    )
    found: dict[int, list[str]] = {}
    for pk, head in rows:
        found.setdefault(pk, []).append(head)
    return found


def documents_are_searchable(resource: Resource) -> bool:
    """True when the documents admit everyone whom the record admits."""
    return resource.effective_document_access == resource.access


def chunk_texts(texts: object, limit: int = MAX_CHUNKS) -> list[str]:
    """Overlapping windows of words over these texts, at most ``limit``."""
    chunks: list[str] = []
    step = CHUNK_WORDS - CHUNK_OVERLAP
    for text in texts:
        words = text.split()
        if not words:
            continue
        for start in range(0, max(len(words) - CHUNK_OVERLAP, 1), step):
            if len(chunks) == limit:
                return chunks
            chunks.append(" ".join(words[start : start + CHUNK_WORDS]))
    return chunks
