"""Export catalog records as native records, for any format's writer.

Callers choose the records through the visibility policy (the web, the API and
the admin's export action ask ``Resource.objects.visible_to``); these functions
only read what they are given.
"""

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from clearinghouse.catalog.models import Resource
from clearinghouse.catalog.visibility import is_curator
from clearinghouse.formats.native import record_from_resource
from clearinghouse.formats.saving import RELATED

# The most records one export of a search result holds from the web (the first,
# in the listing's order). The command line has no such limit.
SEARCH_EXPORT_LIMIT = 1000


def export_records(resources: QuerySet | None = None) -> Iterator[dict]:
    """Native records for ``resources`` (default: the whole catalog), oldest first."""
    resources = Resource.objects.all() if resources is None else resources
    ordered = resources.order_by("created_at", "pk").prefetch_related(*RELATED)
    for resource in ordered.iterator(chunk_size=500):
        yield record_from_resource(resource)


def export_in_order(ids: Iterable[int]) -> Iterator[dict]:
    """Native records for the resources with these primary keys, in their order
    (a search result's, say); ids of records that are gone are left out."""
    ids = list(ids)
    found = Resource.objects.filter(pk__in=ids).prefetch_related(*RELATED)
    by_id = {resource.pk: resource for resource in found}
    for pk in ids:
        if pk in by_id:
            yield record_from_resource(by_id[pk])


def for_viewer(records: Iterable[dict], viewer: object) -> Iterator[dict]:
    """Records as this viewer may have them, through the web or the API: who
    curated a record (provenance, workflow history) and its list of files are
    for curators only."""
    keep_all = is_curator(viewer)
    for record in records:
        yield record if keep_all else {**record, "provenance": {}, "documents": []}
