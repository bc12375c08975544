"""Building the XML: namespaces, elements with safe text, UTC datestamps."""

from __future__ import annotations

import datetime
import re

from lxml import etree

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_IDENTIFIER = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"

# Characters XML 1.0 cannot carry at all (controls such as the form feeds that
# PDF text extraction leaves behind); lxml refuses them, so they are dropped.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: object) -> str:
    return NOT_XML.sub("", str(text))


def qualified(namespace: str, tag: str) -> str:
    return f"{{{namespace}}}{tag}"


def root_element(
    namespace: str, tag: str, schema: str, nsmap: dict[str, str]
) -> etree._Element:
    """A document or metadata root declaring its namespaces and schemaLocation."""
    element = etree.Element(qualified(namespace, tag), nsmap={**nsmap, "xsi": XSI})
    element.set(qualified(XSI, "schemaLocation"), f"{namespace} {schema}")
    return element


def add(
    parent: etree._Element,
    namespace: str,
    tag: str,
    text: object = None,
    **attributes: object,
) -> etree._Element:
    """Append a child element; None attributes are left out, text made safe."""
    child = etree.SubElement(parent, qualified(namespace, tag))
    if text is not None:
        child.text = xml_safe(text)
    for name, value in attributes.items():
        if value is not None:
            child.set(name, xml_safe(value))
    return child


def utc_datestamp(moment: datetime.datetime) -> str:
    """YYYY-MM-DDThh:mm:ssZ, the repository's granularity (section 3.3)."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
