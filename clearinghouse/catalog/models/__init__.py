"""The record model: what a library holds and how it is described."""

from clearinghouse.catalog.models.accounts import (
    AccessRequest,
    Application,
    Decision,
    Membership,
)
from clearinghouse.catalog.models.audit import AuditEvent
from clearinghouse.catalog.models.collection import Collection
from clearinghouse.catalog.models.document import Document, Page, SignatureBand
from clearinghouse.catalog.models.people import Organisation, Person
from clearinghouse.catalog.models.resource import (
    Access,
    DatePrecision,
    Resource,
    ResourceAuthor,
    ResourcePublisher,
    Status,
    format_date,
    parse_partial_date,
)
from clearinghouse.catalog.models.revision import Revision
from clearinghouse.catalog.models.vocabularies import (
    Language,
    Region,
    ResourceType,
    Topic,
)

__all__ = [
    "Access",
    "AccessRequest",
    "Application",
    "AuditEvent",
    "Decision",
    "Membership",
    "Revision",
    "Collection",
    "DatePrecision",
    "Document",
    "Language",
    "Organisation",
    "Page",
    "SignatureBand",
    "Person",
    "Region",
    "Resource",
    "ResourceAuthor",
    "ResourcePublisher",
    "ResourceType",
    "Status",
    "Topic",
    "format_date",
    "parse_partial_date",
]
