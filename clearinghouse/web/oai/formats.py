"""The metadata formats the provider disseminates, by metadataPrefix.

- ``oai_dc``: unqualified Dublin Core, which the protocol requires and every
  harvester reads (dublin_core.py).
- ``clearinghouse``: the native record as XML (native_xml.py), for a harvester
  that wants what Dublin Core flattens: authors kept apart from publishing
  organisations, in order; dates with their precision; topic, type, region
  and language codes; a content warning. It carries only what a record's
  public page shows, never its workflow, access or provenance fields.
  Another Clearinghouse harvesting this one loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from clearinghouse.web.oai import dublin_core, native_xml

if TYPE_CHECKING:
    from clearinghouse.catalog.models import Resource
    from clearinghouse.web.oai.repository import LibraryRepository


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    namespace: str
    # A URL, or a path on this site for a schema it serves itself.
    schema: str
    write: Callable[[Resource, LibraryRepository], etree._Element]


# prefix → format, in the order ListMetadataFormats lists them.
FORMATS = {
    fmt.prefix: fmt
    for fmt in (
        MetadataFormat(
            "oai_dc", dublin_core.OAI_DC, dublin_core.SCHEMA, dublin_core.write
        ),
        MetadataFormat(
            "clearinghouse", native_xml.NAMESPACE, native_xml.SCHEMA, native_xml.write
        ),
    )
}
