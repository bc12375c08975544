"""EPUB reader: the spine's XHTML documents in reading order, as text; the
package document's Dublin Core metadata.

Read with zipfile and ElementTree (EPUB 3.3: container.xml names the package
document, whose spine orders the manifest's items). EbookLib would do the
same but is AGPL, which this project keeps out of its default install.
"""

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from urllib.parse import unquote

from clearinghouse.ingest.extraction import (
    Extraction,
    ExtractionError,
    Limits,
    paginate,
)
from clearinghouse.ingest.readers.html import html_text
from clearinghouse.ingest.readers.text import decode
from clearinghouse.ingest.readers.zipped import (
    DC,
    dublin_core,
    joined_path,
    open_zip,
    parse_part,
    read_part,
)

MEDIA_TYPE = "application/epub+zip"
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_OPF = "{http://www.idpf.org/2007/opf}"
_METADATA = {
    f"{DC}title": "title",
    f"{DC}creator": "author",
    f"{DC}subject": "keywords",
    f"{DC}description": "subject",
    f"{DC}publisher": "publisher",
    f"{DC}language": "language",
    f"{DC}date": "created",
}
_XHTML = {"application/xhtml+xml", "text/html"}


def read(path: Path, limits: Limits) -> Extraction:
    """The spine's text as ~500-word pages, with the package's metadata."""
    warnings: list[str] = []
    with open_zip(path) as archive:
        opf_path = _package_path(archive)
        package = parse_part(archive, opf_path)
        paragraphs: list[str] = []
        for href in _spine(package, opf_path):
            paragraphs += _document_paragraphs(archive, href, warnings)
    metadata = dublin_core(package.find(f"{_OPF}metadata"), _METADATA)
    modified = package.find(f".//{_OPF}meta[@property='dcterms:modified']")
    if modified is not None and (modified.text or "").strip():
        metadata["modified"] = modified.text.strip()
    pages, page_count = paginate(paragraphs, limits, warnings)
    return Extraction(
        media_type=MEDIA_TYPE,
        page_texts=pages,
        page_count=page_count,
        metadata=dict(metadata),
        warnings=warnings,
    )


def _package_path(archive: zipfile.ZipFile) -> str:
    container = parse_part(archive, "META-INF/container.xml")
    rootfile = container.find(f".//{_CONTAINER}rootfile")
    if rootfile is None or not rootfile.get("full-path"):
        raise ExtractionError("the file is damaged: the EPUB names no package document")
    return rootfile.get("full-path", "")


def _spine(package: ET.Element, opf_path: str) -> list[str]:
    """Paths of the spine's XHTML documents, in reading order."""
    manifest = {
        item.get("id"): item
        for item in package.iter(f"{_OPF}item")
        if item.get("media-type") in _XHTML and item.get("href")
    }
    hrefs = []
    for itemref in package.iter(f"{_OPF}itemref"):
        item = manifest.get(itemref.get("idref"))
        if item is not None:
            href = unquote(item.get("href", "").split("#")[0])
            hrefs.append(joined_path(opf_path, href))
    return hrefs


def _document_paragraphs(
    archive: zipfile.ZipFile, href: str, warnings: list[str]
) -> list[str]:
    try:
        markup = decode(read_part(archive, href))
    except ExtractionError as exc:
        warnings.append(f"a chapter could not be read: {exc.reason}")
        return []
    return html_text(markup)[0]
