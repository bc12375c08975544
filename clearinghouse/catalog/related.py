"""Related resources: others close in meaning (from the records' embeddings,
where semantic search runs), then others that share topics, publishers and
regions."""

from django.db.models import Count, Q

from clearinghouse.catalog.models import Resource

RELATED_LIMIT = 4


def related_resources(
    resource: Resource, viewer: object, limit: int = RELATED_LIMIT
) -> list:
    """Visible resources nearest in meaning, then those sharing the most
    topics (then publishers, regions), ``limit`` at most."""
    from clearinghouse.search.semantic.related import similar_resources

    similar = similar_resources(resource, viewer, limit)
    if len(similar) == limit:
        return similar
    shared = sharing_terms(resource, viewer, limit + len(similar))
    return (similar + [r for r in shared if r not in similar])[:limit]


def sharing_terms(resource: Resource, viewer: object, limit: int) -> list:
    """Visible resources sharing the most topics (then publishers, regions)."""
    topic_ids = list(resource.topics.values_list("pk", flat=True))
    publisher_ids = list(resource.publishers.values_list("pk", flat=True))
    region_ids = list(resource.regions.values_list("pk", flat=True))
    if not (topic_ids or publisher_ids or region_ids):
        return []
    candidates = (
        Resource.objects.visible_to(viewer)
        .exclude(pk=resource.pk)
        .annotate(
            shared_topics=Count(
                "topics", filter=Q(topics__in=topic_ids), distinct=True
            ),
            shared_publishers=Count(
                "publishers", filter=Q(publishers__in=publisher_ids), distinct=True
            ),
            shared_regions=Count(
                "regions", filter=Q(regions__in=region_ids), distinct=True
            ),
        )
        .filter(Q(shared_topics__gt=0) | Q(shared_publishers__gt=0))
        .order_by("-shared_topics", "-shared_publishers", "-shared_regions", "-date")
        .prefetch_related("types", "publisher_links__organisation")
    )
    return list(candidates[:limit])
