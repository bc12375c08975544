"""oai_dc: a record as unqualified Dublin Core (section 6.2 of the protocol).

Element by element (https://www.dublincore.org/specifications/dublin-core/dces/):

    title        the title, with the subtitle after a colon
    creator      the authors, in order; when none is named, the publishing
                 organisations, which DCMES counts as creators ("a person,
                 an organization, or a service") and which sector reports
                 are cited under
    subject      topic names, then keywords
    description  the curated summary, the abstract, any content warning
    publisher    the publishing organisations, in order
    date         the publication date at its precision: 2021, 2022-05, 2021-09-01
    type         a DCMI Type (Text, Dataset, MovingImage, InteractiveResource),
                 then the library's own type labels (Report, Toolkit …)
    format       the media types of the attached documents
    identifier   the record's page here, its DOI as https://doi.org/…, its ISBN
                 as urn:isbn:…
    language     ISO 639-1 codes
    relation     the publisher's own page for it (source URL)
    coverage     the countries and regions it covers, by name
    rights       the licence
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml import etree

from clearinghouse.web.oai.elements import add, root_element

if TYPE_CHECKING:
    from clearinghouse.catalog.models import Resource
    from clearinghouse.web.oai.repository import LibraryRepository

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC = "http://purl.org/dc/elements/1.1/"

# Resource type slug → DCMI Type Vocabulary term; everything else is "Text".
DCMI_TYPES = {
    "dataset": "Dataset",
    "video": "MovingImage",
    "online-tool": "InteractiveResource",
}
DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:)", re.IGNORECASE)


def write(resource: Resource, repository: LibraryRepository) -> etree._Element:
    dc = root_element(OAI_DC, "dc", SCHEMA, {"oai_dc": OAI_DC, "dc": DC})
    for tag, values in dublin_core_values(resource, repository):
        for value in values:
            if value:
                add(dc, DC, tag, value)
    return dc


def dublin_core_values(
    resource: Resource, repository: LibraryRepository
) -> list[tuple[str, list[str]]]:
    """(element, values) pairs in the order they are written."""
    publishers = [org.name for org in resource.ordered_publishers()]
    authors = [person.name for person in resource.ordered_authors()]
    types = list(resource.types.all())
    return [
        ("title", [full_title(resource)]),
        ("creator", authors or publishers),
        ("subject", [t.name for t in resource.topics.all()] + list(resource.keywords)),
        ("description", descriptions(resource)),
        ("publisher", publishers),
        ("date", [resource.date_iso]),
        ("type", dcmi_types(types) + [t.label for t in types]),
        ("format", unique(doc.media_type for doc in resource.documents.all())),
        ("identifier", identifiers(resource, repository)),
        ("language", [lang.code for lang in resource.languages.all()]),
        ("relation", [resource.url]),
        ("coverage", [region.name for region in resource.regions.all()]),
        ("rights", [resource.licence]),
    ]


def full_title(resource: Resource) -> str:
    if resource.subtitle:
        return f"{resource.title}: {resource.subtitle}"
    return resource.title


def descriptions(resource: Resource) -> list[str]:
    warning = resource.content_warning
    return [
        resource.summary,
        resource.abstract,
        f"Content warning: {warning}" if warning else "",
    ]


def dcmi_types(types: list) -> list[str]:
    return unique([DCMI_TYPES.get(t.slug, "Text") for t in types] or ["Text"])


def identifiers(resource: Resource, repository: LibraryRepository) -> list[str]:
    found = [repository.absolute_url(resource.get_absolute_url())]
    if resource.doi:
        found.append(doi_url(resource.doi))
    if resource.isbn:
        found.append("urn:isbn:" + resource.isbn.replace(" ", ""))
    return found


def doi_url(doi: str) -> str:
    """A DOI however stored (10.x/y, doi:10.x/y, a doi.org link) as its URL."""
    return "https://doi.org/" + DOI_PREFIX.sub("", doi.strip())


def unique(values) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def description_only(text: str) -> etree._Element:
    """An oai_dc record holding one description: how ListSets describes a set."""
    dc = root_element(OAI_DC, "dc", SCHEMA, {"oai_dc": OAI_DC, "dc": DC})
    add(dc, DC, "description", text)
    return dc
