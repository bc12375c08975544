"""Writing a clean native record into the catalog, field by field.

``write_record`` sets the fields it is told to (every field for a new
record), so that one function serves full imports, partial updates and the
API alike.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.text import slugify

from clearinghouse.catalog.models import (
    Resource,
    ResourceAuthor,
    ResourcePublisher,
)
from clearinghouse.formats.native import KNOWN_FIELDS, record_from_resource
from clearinghouse.formats.vocabulary import Vocabulary, unique_slug

ALL_FIELDS = frozenset(KNOWN_FIELDS - {"documents"})
SCALAR_FIELDS = (
    "title",
    "subtitle",
    "summary",
    "abstract",
    "url",
    "doi",
    "isbn",
    "licence",
    "status",
    "access",
    "embargo_until",
    "content_warning",
    "featured",
    "withdrawn_reason",
    "provenance",
)
TERM_FIELDS = ("types", "topics", "regions", "languages", "groups")
RELATED = (
    "types",
    "topics",
    "regions",
    "languages",
    "groups",
    "documents",
    "publisher_links__organisation",
    "author_links__person",
)


def write_record(
    resource: Resource | None,
    record: dict,
    fields: set[str] | frozenset,
    vocab: Vocabulary,
) -> Resource:
    """Create (``resource`` None) or update a resource from a clean record,
    setting only ``fields``."""
    created = resource is None
    if created:
        resource = Resource(uid=record["id"]) if record["id"] else Resource()
        fields = ALL_FIELDS
    for name in SCALAR_FIELDS:
        if name in fields:
            setattr(resource, name, record[name])
    if "document_access" in fields:
        wanted = record["document_access"]
        resource.document_access = "" if wanted == resource.access else wanted
    if "date" in fields:
        resource.date, resource.date_precision = record["date"] or (None, "day")
    if "added" in fields and record["added"]:
        resource.created_at = record["added"]
    elif created:
        resource.created_at = timezone.now()
    if "slug" in fields:
        resource.slug = _slug(resource, record)
    if "keywords" in fields:
        resource.keywords = record["keywords"]
    resource.save()
    _link_terms(resource, record, fields, vocab)
    return resource


def _slug(resource: Resource, record: dict) -> str:
    wanted = slugify(record["slug"])[:120] if record["slug"] else ""
    clash = Resource.objects.filter(slug=wanted).exclude(pk=resource.pk).exists()
    if wanted and not clash:
        return wanted
    return resource.slug or unique_slug(
        Resource, record["title"], exclude_pk=resource.pk
    )


def _link_terms(
    resource: Resource, record: dict, fields: set[str] | frozenset, vocab: Vocabulary
) -> None:
    finders = {
        "types": vocab.resource_type,
        "topics": vocab.topic,
        "regions": vocab.region,
        "languages": vocab.language,
        "groups": vocab.group,
    }
    for name in TERM_FIELDS:
        if name in fields:
            getattr(resource, name).set([finders[name](v) for v in record[name]])
    if "publishers" in fields:
        resource.publisher_links.all().delete()
        orgs = list(dict.fromkeys(vocab.organisation(n) for n in record["publishers"]))
        ResourcePublisher.objects.bulk_create(
            ResourcePublisher(resource=resource, organisation=org, position=i)
            for i, org in enumerate(orgs)
        )
    if "authors" in fields:
        resource.author_links.all().delete()
        people = list(dict.fromkeys(vocab.person(n) for n in record["authors"]))
        ResourceAuthor.objects.bulk_create(
            ResourceAuthor(resource=resource, person=person, position=i)
            for i, person in enumerate(people)
        )


def snapshot(resource: Resource) -> dict:
    """The stored record as the native format writes it, fresh from the database."""
    fresh = Resource.objects.prefetch_related(*RELATED).get(pk=resource.pk)
    return record_from_resource(fresh)


def is_empty(resource: Resource, name: str) -> bool:
    """Whether the record has no value yet for native field ``name``."""
    if name in TERM_FIELDS:
        return not getattr(resource, name).exists()
    if name == "publishers":
        return not resource.publisher_links.exists()
    if name == "authors":
        return not resource.author_links.exists()
    if name in ("date", "embargo_until"):
        return getattr(resource, name) is None
    if name in ("title", "subtitle", "summary", "abstract", "url", "doi", "isbn"):
        return not getattr(resource, name)
    if name in ("licence", "content_warning", "keywords", "provenance"):
        return not getattr(resource, name)
    return False  # status, access, slug, id …: always set
