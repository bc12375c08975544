"""clearinghouse: the native record as XML, described by schemas/clearinghouse.xsd.

It follows the native JSON Lines record (docs/formats.md) for the fields a
record's public page shows, and keeps what Dublin Core flattens: authors
apart from publishing organisations, dates at their precision, codes beside
labels. Workflow, access, group and provenance fields never leave the site.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from clearinghouse.web.oai.elements import add, root_element

if TYPE_CHECKING:
    from clearinghouse.catalog.models import Resource
    from clearinghouse.web.oai.repository import LibraryRepository

NAMESPACE = "urn:clearinghouse:record:1"
SCHEMA = "/oai/clearinghouse.xsd"  # served by this site (views.native_schema)
SCHEMA_FILE = Path(__file__).resolve().parent / "schemas" / "clearinghouse.xsd"


def write(resource: Resource, repository: LibraryRepository) -> etree._Element:
    schema_url = repository.absolute_url(SCHEMA)
    record = root_element(NAMESPACE, "record", schema_url, {"ch": NAMESPACE})
    record.set("id", str(resource.uid))

    def text(tag: str, value: str, **attributes: object) -> None:
        if value:
            add(record, NAMESPACE, tag, value, **attributes)

    text("title", resource.title)
    text("subtitle", resource.subtitle)
    text("landingPage", repository.absolute_url(resource.get_absolute_url()))
    text("summary", resource.summary)
    text("abstract", resource.abstract)
    text("contentWarning", resource.content_warning)
    for kind in resource.types.all():
        text("type", kind.label, code=kind.slug)
    text("date", resource.date_iso)
    for org in resource.ordered_publishers():
        text("publisher", org.name, acronym=org.acronym or None)
    for person in resource.ordered_authors():
        text("author", person.name, orcid=person.orcid or None)
    for topic in resource.topics.all():
        spec = repository.sets.topic_specs[topic.pk]
        text("topic", topic.name, code=topic.slug, setSpec=spec)
    for region in resource.regions.all():
        text("region", region.name, code=region.code)
    for language in resource.languages.all():
        text("language", language.name, code=language.code)
    for keyword in resource.keywords:
        text("keyword", keyword)
    for tag, value in (
        ("sourceUrl", resource.url),
        ("doi", resource.doi),
        ("isbn", resource.isbn),
        ("licence", resource.licence),
    ):
        text(tag, value)
    for doc in resource.documents.all():
        add(
            record,
            NAMESPACE,
            "document",
            doc.title or doc.original_name,
            mediaType=doc.media_type or None,
            pages=doc.pages,
            size=doc.size,
        )
    add(record, NAMESPACE, "added", resource.created_at.isoformat())
    return record
