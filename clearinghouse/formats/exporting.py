"""Export catalog records in the native format."""

from collections.abc import Iterator

from django.db.models import QuerySet

from clearinghouse.catalog.models import Resource
from clearinghouse.formats.native import record_from_resource


def export_records(resources: QuerySet | None = None) -> Iterator[dict]:
    """Native records for ``resources`` (default: the whole catalog), oldest first."""
    resources = Resource.objects.all() if resources is None else resources
    ordered = resources.order_by("created_at", "pk").prefetch_related(
        "types",
        "topics",
        "regions",
        "languages",
        "groups",
        "documents",
        "publisher_links__organisation",
        "author_links__person",
    )
    for resource in ordered.iterator(chunk_size=500):
        yield record_from_resource(resource)
