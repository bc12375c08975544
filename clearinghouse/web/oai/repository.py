"""What the provider publishes, in the declarative shape of Django's Feed.

``items()`` are the records an anonymous reader may see plus the tombstones
of withdrawn ones that reader could see (deleted records, kept persistently),
both decided by the catalog's visibility policy and nothing else. The other
``item_*`` methods describe one item for the protocol's header and metadata.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Case,
    DateTimeField,
    Min,
    Prefetch,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, TruncSecond
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from lxml import etree

from clearinghouse.catalog.models import (
    Document,
    Resource,
    ResourceAuthor,
    ResourcePublisher,
    Status,
)
from clearinghouse.web.oai.formats import MetadataFormat
from clearinghouse.web.oai.sets import SetTree

# What the record writers read; fetched in a fixed number of queries per page.
METADATA_RELATIONS = (
    "languages",
    "regions",
    Prefetch(
        "publisher_links",
        queryset=ResourcePublisher.objects.select_related("organisation"),
    ),
    Prefetch("author_links", queryset=ResourceAuthor.objects.select_related("person")),
    Prefetch(
        "documents",
        queryset=Document.objects.filter(state=Document.State.DONE).only(
            "resource_id", "title", "original_name", "media_type", "pages", "size"
        ),
    ),
)


class LibraryRepository:
    """The library as one OAI-PMH repository, seen by an anonymous harvester."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        # A harvest is a public channel: a signed-in curator browsing /oai
        # still gets only what any reader may see.
        self.viewer = AnonymousUser()
        self.domain = (
            settings.OAI_REPOSITORY_IDENTIFIER
            or split_domain_port(request.get_host())[0]
            or "localhost"
        )

    @cached_property
    def sets(self) -> SetTree:
        return SetTree()

    @property
    def base_url(self) -> str:
        return self.request.build_absolute_uri(reverse("oai"))

    def absolute_url(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def items(self, *, metadata: bool = True) -> QuerySet:
        """Published records and tombstones, each with its ``oai_datestamp``."""
        published = Resource.objects.visible_to(self.viewer)
        tombstones = Resource.objects.tombstones_visible_to(self.viewer)
        records = (published | tombstones).annotate(oai_datestamp=datestamp())
        records = records.prefetch_related("topics", "types")
        if metadata:
            records = records.prefetch_related(*METADATA_RELATIONS)
        return records

    def find(self, identifier: str, *, metadata: bool = True) -> Resource | None:
        """The item an identifier names, if this repository publishes it."""
        prefix = f"oai:{self.domain}:"
        if not identifier.startswith(prefix):
            return None
        try:
            uid = uuid.UUID(identifier.removeprefix(prefix))
        except ValueError:
            return None
        return self.items(metadata=metadata).filter(uid=uid).first()

    def earliest_datestamp(self) -> datetime.datetime:
        found = self.items(metadata=False).aggregate(Min("oai_datestamp"))
        return found["oai_datestamp__min"] or timezone.now()

    def item_identifier(self, resource: Resource) -> str:
        return f"oai:{self.domain}:{resource.uid}"

    def item_datestamp(self, resource: Resource) -> datetime.datetime:
        return resource.oai_datestamp

    def item_deleted(self, resource: Resource) -> bool:
        return resource.status == Status.WITHDRAWN

    def item_sets(self, resource: Resource) -> list[str]:
        return self.sets.specs_of(resource)

    def item_metadata(
        self, resource: Resource, metadata_format: MetadataFormat
    ) -> etree._Element:
        return metadata_format.write(resource, self)

    def sample_identifier(self) -> str:
        return f"oai:{self.domain}:{uuid.UUID(int=0)}"


def datestamp() -> TruncSecond:
    """When a record last changed for a harvester, to the second.

    That is when it was last saved, or, if later, the start of the day its
    embargo ended: a record that appears when its embargo lifts must sort
    after the harvests that could not yet see it, or incremental harvests
    (from=<last harvest>) would never collect it. The day starts at midnight
    in the site's time zone, at the zone's offset today (an hour out across a
    daylight-saving change).
    """
    today = timezone.localdate()
    embargo_start = Cast("embargo_until", DateTimeField())
    offset = timezone.localtime().utcoffset() or datetime.timedelta()
    if offset:
        embargo_start = embargo_start - Value(offset)
    lifted = Case(
        When(embargo_until__lte=today, then=embargo_start),
        default=None,
        output_field=DateTimeField(),
    )
    latest = Greatest("updated_at", Coalesce(lifted, "updated_at"))
    return TruncSecond(latest, tzinfo=datetime.UTC)
