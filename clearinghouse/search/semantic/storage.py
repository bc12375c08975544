"""Computing and storing the vectors of records (never in a web request).

``embed_resources`` is the one function that writes vectors: the background
task, ``clearinghouse embed`` and the relevance harness all call it. It is
safe to run twice: passages whose text and model did not change keep their
vectors, and each batch of records is written in one transaction.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterable

import numpy as np
from django.db import transaction

from clearinghouse.catalog.models import Resource
from clearinghouse.search.semantic import chunking
from clearinghouse.search.semantic.embedder import Embedder, get_embedder
from clearinghouse.search.semantic.models import Embedding, VectorVersion

# Records read, embedded and written together: big enough to fill the
# embedder's batches, small enough that a transaction stays short.
RESOURCES_PER_BATCH = 64
VECTOR_DTYPE = np.dtype("<f2")


def to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=VECTOR_DTYPE).tobytes()


def from_blobs(blobs: list[bytes], dimensions: int) -> np.ndarray:
    """A float32 matrix, one row per stored vector."""
    if not blobs:
        return np.zeros((0, dimensions), dtype=np.float32)
    joined = np.frombuffer(b"".join(blobs), dtype=VECTOR_DTYPE)
    return joined.reshape(len(blobs), dimensions).astype(np.float32)


def embed_resources(
    resource_ids: Iterable[int],
    embedder: Embedder | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Bring the vectors of these records up to date; returns how many
    passages were embedded. Ids of deleted records are skipped."""
    embedder = embedder or get_embedder()
    ids = list(dict.fromkeys(resource_ids))
    computed = 0
    for start in range(0, len(ids), RESOURCES_PER_BATCH):
        computed += _embed_batch(ids[start : start + RESOURCES_PER_BATCH], embedder)
        if progress:
            progress(min(start + RESOURCES_PER_BATCH, len(ids)))
    return computed


def _embed_batch(ids: list[int], embedder: Embedder) -> int:
    wanted = chunking.passages_of(ids)
    kept = _unchanged(wanted, embedder.model_id)
    todo = [
        (pk, passage)
        for pk, found in wanted.items()
        for passage in found
        if (pk, passage.field, passage.position, passage.digest) not in kept
    ]
    vectors = embedder.encode([passage.text for _, passage in todo])
    with transaction.atomic():
        _delete_outdated(wanted, kept)
        Embedding.objects.bulk_create(
            Embedding(
                resource_id=pk,
                field=passage.field,
                position=passage.position,
                model=embedder.model_id,
                digest=passage.digest,
                vector=to_blob(vector),
            )
            for (pk, passage), vector in zip(todo, vectors, strict=True)
        )
        # Records deleted meanwhile: their new rows must not outlive them.
        Embedding.objects.filter(resource_id__in=ids).exclude(
            resource_id__in=Resource.objects.filter(pk__in=ids)
        ).delete()
        bump_version()
    return len(todo)


def _unchanged(wanted: dict[int, list], model: str) -> set[tuple]:
    """(resource, field, position, digest) of the stored vectors of ``model``."""
    return set(
        Embedding.objects.filter(resource_id__in=wanted, model=model).values_list(
            "resource_id", "field", "position", "digest"
        )
    )


def _delete_outdated(wanted: dict[int, list], kept: set[tuple]) -> None:
    keep = {
        (pk, p.field, p.position)
        for pk, found in wanted.items()
        for p in found
        if (pk, p.field, p.position, p.digest) in kept
    }
    rows = Embedding.objects.filter(resource_id__in=wanted).values_list(
        "pk", "resource_id", "field", "position"
    )
    outdated = [pk for pk, *place in rows if tuple(place) not in keep]
    for start in range(0, len(outdated), 500):
        Embedding.objects.filter(pk__in=outdated[start : start + 500]).delete()


def bump_version() -> None:
    """Tell web processes that stored vectors changed."""
    VectorVersion.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


def current_version() -> str:
    """The token of the stored vectors ("" before any were stored)."""
    token = VectorVersion.objects.filter(pk=1).values_list("token", flat=True)
    return token.first() or ""


def stale_resource_ids(model: str) -> list[int]:
    """Records that have no vector of ``model`` yet, or whose text changed.

    Reads every record's passages: for ``clearinghouse embed``, not for
    requests.
    """
    stale = []
    ids = list(Resource.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        wanted = chunking.passages_of(ids[start : start + 500])
        kept = _unchanged(wanted, model)
        stored = Counter(row[0] for row in kept)
        stale += [
            pk
            for pk, found in wanted.items()
            if stored[pk] != len(found)
            or any((pk, p.field, p.position, p.digest) not in kept for p in found)
        ]
    return stale
