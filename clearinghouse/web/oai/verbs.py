"""The six verbs of OAI-PMH 2.0 (section 4), each building its response element.

Every verb takes the repository and the checked request, and returns the
element that follows <request> in the response, or raises OAIError.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from lxml import etree

from clearinghouse.catalog.models import Resource
from clearinghouse.web.oai import dublin_core
from clearinghouse.web.oai.arguments import OAIRequest, date_range
from clearinghouse.web.oai.elements import (
    OAI,
    OAI_IDENTIFIER,
    OAI_IDENTIFIER_SCHEMA,
    add,
    qualified,
    root_element,
    utc_datestamp,
)
from clearinghouse.web.oai.errors import (
    BAD_RESUMPTION_TOKEN,
    CANNOT_DISSEMINATE_FORMAT,
    ID_DOES_NOT_EXIST,
    NO_RECORDS_MATCH,
    OAIError,
)
from clearinghouse.web.oai.formats import FORMATS, MetadataFormat
from clearinghouse.web.oai.repository import LibraryRepository
from clearinghouse.web.oai.tokens import expiration_date, read_token, write_token

GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
# The oai-identifier description's repositoryIdentifierType: a domain name.
DOMAIN_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")


def identify(repository: LibraryRepository, request: OAIRequest) -> etree._Element:
    reply = etree.Element(qualified(OAI, "Identify"))
    add(reply, OAI, "repositoryName", settings.SITE_NAME)
    add(reply, OAI, "baseURL", repository.base_url)
    add(reply, OAI, "protocolVersion", "2.0")
    add(reply, OAI, "adminEmail", admin_email(repository))
    earliest = repository.earliest_datestamp()
    add(reply, OAI, "earliestDatestamp", utc_datestamp(earliest))
    # Withdrawn records stay as tombstones for good: deletions are persistent.
    add(reply, OAI, "deletedRecord", "persistent")
    add(reply, OAI, "granularity", GRANULARITY)
    if DOMAIN_NAME.fullmatch(repository.domain):
        description = add(reply, OAI, "description")
        description.append(oai_identifier_description(repository))
    return reply


def admin_email(repository: LibraryRepository) -> str:
    if settings.OAI_ADMIN_EMAIL:
        return settings.OAI_ADMIN_EMAIL
    if DOMAIN_NAME.fullmatch(repository.domain):
        return f"webmaster@{repository.domain}"
    return "webmaster@example.org"  # no domain name to go by (localhost)


def oai_identifier_description(repository: LibraryRepository) -> etree._Element:
    """How identifiers are formed (the oai-identifier guidelines)."""
    described = root_element(
        OAI_IDENTIFIER,
        "oai-identifier",
        OAI_IDENTIFIER_SCHEMA,
        {None: OAI_IDENTIFIER},
    )
    add(described, OAI_IDENTIFIER, "scheme", "oai")
    add(described, OAI_IDENTIFIER, "repositoryIdentifier", repository.domain)
    add(described, OAI_IDENTIFIER, "delimiter", ":")
    add(described, OAI_IDENTIFIER, "sampleIdentifier", repository.sample_identifier())
    return described


def list_metadata_formats(
    repository: LibraryRepository, request: OAIRequest
) -> etree._Element:
    identifier = request.get("identifier")
    if identifier is not None and repository.find(identifier, metadata=False) is None:
        raise OAIError(ID_DOES_NOT_EXIST, f"No item has the identifier '{identifier}'.")
    reply = etree.Element(qualified(OAI, "ListMetadataFormats"))
    for metadata_format in FORMATS.values():
        described = add(reply, OAI, "metadataFormat")
        add(described, OAI, "metadataPrefix", metadata_format.prefix)
        add(described, OAI, "schema", repository.absolute_url(metadata_format.schema))
        add(described, OAI, "metadataNamespace", metadata_format.namespace)
    return reply


def list_sets(repository: LibraryRepository, request: OAIRequest) -> etree._Element:
    token = request.get("resumptionToken")
    offset = read_token(token, "ListSets").get("offset") if token else 0
    all_sets = repository.sets.all_sets()
    if not isinstance(offset, int) or not 0 <= offset < len(all_sets):
        raise OAIError(
            BAD_RESUMPTION_TOKEN, "The list of sets has changed; start again."
        )
    size = page_size()
    reply = etree.Element(qualified(OAI, "ListSets"))
    for oai_set in all_sets[offset : offset + size]:
        element = add(reply, OAI, "set")
        add(element, OAI, "setSpec", oai_set.spec)
        add(element, OAI, "setName", oai_set.name)
        if oai_set.description:
            add(element, OAI, "setDescription").append(
                dublin_core.description_only(oai_set.description)
            )
    more = offset + size < len(all_sets)
    if offset or more:
        state = {"verb": "ListSets", "offset": offset + size} if more else None
        reply.append(resumption_token(state, cursor=offset, total=len(all_sets)))
    return reply


def get_record(repository: LibraryRepository, request: OAIRequest) -> etree._Element:
    metadata_format = chosen_format(request.arguments)
    identifier = request.get("identifier") or ""
    resource = repository.find(identifier)
    if resource is None:
        raise OAIError(ID_DOES_NOT_EXIST, f"No item has the identifier '{identifier}'.")
    reply = etree.Element(qualified(OAI, "GetRecord"))
    reply.append(record(repository, resource, metadata_format))
    return reply


def list_identifiers(
    repository: LibraryRepository, request: OAIRequest
) -> etree._Element:
    return list_items(repository, request, with_metadata=False)


def list_records(repository: LibraryRepository, request: OAIRequest) -> etree._Element:
    return list_items(repository, request, with_metadata=True)


@dataclass(frozen=True)
class Listing:
    """Where a list request stands: its arguments, and the page it is on."""

    arguments: dict[str, str]
    after: tuple[datetime.datetime, int] | None = None
    cursor: int = 0


def list_items(
    repository: LibraryRepository, request: OAIRequest, *, with_metadata: bool
) -> etree._Element:
    listing = resume(request)
    metadata_format = chosen_format(listing.arguments)
    records = selected(repository, listing.arguments, with_metadata)
    total, size = records.count(), page_size()
    page = list(page_after(records, listing.after, size + 1))
    if not page:
        raise OAIError(NO_RECORDS_MATCH, "No records match this request.")
    more, page = len(page) > size, page[:size]
    reply = etree.Element(qualified(OAI, request.verb))
    for resource in page:
        if with_metadata:
            reply.append(record(repository, resource, metadata_format))
        else:
            reply.append(header(repository, resource))
    if more or listing.cursor:
        last = page[-1]
        state = {
            "verb": request.verb,
            "arguments": listing.arguments,
            "after": [last.oai_datestamp.isoformat(), last.pk],
            "cursor": listing.cursor + len(page),
        }
        total = max(total, listing.cursor + len(page))
        reply.append(resumption_token(state if more else None, listing.cursor, total))
    return reply


def resume(request: OAIRequest) -> Listing:
    """The listing a request starts, or the one its resumptionToken continues."""
    token = request.get("resumptionToken")
    if token is None:
        return Listing(arguments=dict(request.arguments))
    state = read_token(token, request.verb)
    try:
        moment, pk = state["after"]
        after = (datetime.datetime.fromisoformat(moment), int(pk))
        return Listing(dict(state["arguments"]), after, int(state["cursor"]))
    except (KeyError, TypeError, ValueError):
        raise OAIError(
            BAD_RESUMPTION_TOKEN, "The resumptionToken is damaged."
        ) from None


def chosen_format(arguments: dict[str, str]) -> MetadataFormat:
    prefix = arguments.get("metadataPrefix", "")
    if prefix not in FORMATS:
        offered = ", ".join(FORMATS)
        raise OAIError(
            CANNOT_DISSEMINATE_FORMAT,
            f"The metadata format '{prefix}' is not offered here (offered: {offered}).",
        )
    return FORMATS[prefix]


def selected(
    repository: LibraryRepository, arguments: dict[str, str], with_metadata: bool
) -> QuerySet:
    """The items in the requested set and date range (section 2.7)."""
    records = repository.items(metadata=with_metadata)
    window = date_range(arguments)
    if window.start:
        records = records.filter(oai_datestamp__gte=window.start)
    if window.end_before:
        records = records.filter(oai_datestamp__lt=window.end_before)
    if "set" in arguments:
        in_set = repository.sets.restrict(records, arguments["set"])
        if in_set is None:
            raise OAIError(NO_RECORDS_MATCH, f"There is no set '{arguments['set']}'.")
        records = in_set
    return records


def page_after(
    records: QuerySet, after: tuple[datetime.datetime, int] | None, limit: int
) -> QuerySet:
    """The next ``limit`` items in (datestamp, pk) order, strictly after ``after``."""
    if after:
        moment, pk = after
        records = records.filter(
            Q(oai_datestamp__gt=moment) | Q(oai_datestamp=moment, pk__gt=pk)
        )
    return records.order_by("oai_datestamp", "pk")[:limit]


def record(
    repository: LibraryRepository, resource: Resource, metadata_format: MetadataFormat
) -> etree._Element:
    """<record>: the header, and the metadata unless the item was deleted."""
    element = etree.Element(qualified(OAI, "record"))
    element.append(header(repository, resource))
    if not repository.item_deleted(resource):
        metadata = add(element, OAI, "metadata")
        metadata.append(repository.item_metadata(resource, metadata_format))
    return element


def header(repository: LibraryRepository, resource: Resource) -> etree._Element:
    element = etree.Element(qualified(OAI, "header"))
    if repository.item_deleted(resource):
        element.set("status", "deleted")
    add(element, OAI, "identifier", repository.item_identifier(resource))
    add(element, OAI, "datestamp", utc_datestamp(repository.item_datestamp(resource)))
    for spec in repository.item_sets(resource):
        add(element, OAI, "setSpec", spec)
    return element


def resumption_token(state: dict | None, cursor: int, total: int) -> etree._Element:
    """The token for the next page; empty on the last page (section 3.5)."""
    element = etree.Element(qualified(OAI, "resumptionToken"))
    element.set("cursor", str(cursor))
    element.set("completeListSize", str(total))
    if state is not None:
        element.text = write_token(state)
        element.set("expirationDate", utc_datestamp(expiration_date()))
    return element


def page_size() -> int:
    return max(1, settings.OAI_PAGE_SIZE)


# verb → the function that answers it.
RESPONDERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}
