"""Records close in meaning to a record ("more like this"), from its vectors."""

from __future__ import annotations

from clearinghouse.catalog.models import Resource
from clearinghouse.search.semantic import embedder
from clearinghouse.search.semantic.hybrid import nearest_to_vector
from clearinghouse.search.semantic.vector_index import get_index


def similar_resources(resource: Resource, viewer: object, limit: int) -> list:
    """Up to ``limit`` records ``viewer`` may see, nearest to ``resource``'s
    summary, best first; none where the record has no vectors (yet)."""
    if not embedder.available():
        return []
    index = get_index(embedder.model_id())
    vector = index.vector_of(resource.pk)
    if vector is None:
        return []
    candidates = Resource.objects.visible_to(viewer).exclude(pk=resource.pk)
    ranked = nearest_to_vector(index, vector, candidates, limit).ranked
    by_id = (
        candidates.filter(pk__in=[pk for pk, _ in ranked])
        .prefetch_related("types", "publisher_links__organisation")
        .in_bulk()
    )
    return [by_id[pk] for pk, _ in ranked if pk in by_id]
