"""Which records a new document may repeat, found through indexes.

Comparing a document with every other one costs a library of 10,000 records
10,000 comparisons per file. Instead, candidates come from two indexed
lookups, and only they are scored by ``duplicates.find_near_duplicates``:

- documents sharing an LSH band of the signature (``SignatureBand``): similar
  text or figures;
- records whose titles share the most words with the document's title (the
  full-text index's title column): re-issued records, and records without a
  file.
"""

from django.db import connection

from clearinghouse.catalog.models import Document, Resource, SignatureBand
from clearinghouse.ingest import duplicates
from clearinghouse.search.backends import get_backend
from clearinghouse.search.query import STOP_WORDS, TOKEN, Term

#: Records taken from the title lookup, best first.
TITLE_CANDIDATES = 50
#: Words of the title looked up: a long title's rarest words suffice.
TITLE_WORDS = 12


def possible_duplicates(
    resource_id: int, signature: bytes | None, title: str
) -> list[dict]:
    """Other records this document may repeat, best first:
    ``{"resource", "score", "reason"}``, one entry per record."""
    documents = (
        Document.objects.filter(
            signature_bands__key__in=duplicates.band_keys(signature)
        )
        .exclude(resource_id=resource_id)
        .distinct()
        .values_list("resource_id", "signature", "resource__title")
        if signature
        else []
    )
    others = [(r, bytes(s) if s else None, t) for r, s, t in documents]
    seen = {r for r, _, _ in others} | {resource_id}
    titled = [r for r in records_titled_like(title) if r not in seen]
    # Titled records are compared through each document that has text, and
    # through their title alone when they have none.
    with_text = [
        (r, bytes(s), t)
        for r, s, t in Document.objects.filter(resource_id__in=titled)
        .exclude(signature=None)
        .values_list("resource_id", "signature", "resource__title")
    ]
    others += with_text
    others += [
        (r, None, t)
        for r, t in Resource.objects.filter(pk__in=titled)
        .exclude(pk__in={r for r, _, _ in with_text})
        .values_list("pk", "title")
    ]
    found: dict[int, dict] = {}
    for resource, score, reason in duplicates.find_near_duplicates(
        signature, title, others
    ):
        found.setdefault(
            resource, {"resource": resource, "score": round(score, 2), "reason": reason}
        )
    return list(found.values())


def records_titled_like(title: str) -> list[int]:
    """Ids of the records whose titles best share this title's words."""
    words = {
        w
        for w in TOKEN.findall(duplicates.normalise_title(title))
        if len(w) > 1 and w not in STOP_WORDS
    }
    if not words:
        return []
    # The longest words are the rarest, as a rule: enough to find the title.
    kept = sorted(words, key=lambda w: (-len(w), w))[:TITLE_WORDS]
    terms = " OR ".join(Term((w,)).fts() for w in kept)
    expression = f"title : ({terms})"
    return [pk for pk, _ in get_backend().ranked(expression, limit=TITLE_CANDIDATES)]


def store_bands(
    document: Document, signature: bytes | None, *, replace: bool = True
) -> None:
    """Store the document's band keys, replacing any it had (inside the
    caller's transaction)."""
    if replace:
        SignatureBand.objects.filter(document=document).delete()
    keys = duplicates.band_keys(signature)
    if not keys:
        return
    # Up to 67 rows a document, on the path of every file taken in: one plain
    # statement costs a tenth of building as many model instances.
    table = SignatureBand._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (document_id, key) VALUES (%s, %s)",
            [(document.pk, key) for key in keys],
        )
