"""DOCX reader: the body's paragraphs (tables and text boxes included, in
document order), then footnotes and endnotes; metadata from docProps.

Read straight from the Office Open XML parts (ECMA-376) with ElementTree:
python-docx would add lxml for the same walk and skip text boxes.
"""

import xml.etree.ElementTree as ET
from pathlib import Path

from clearinghouse.ingest.extraction import Extraction, Limits, paginate
from clearinghouse.ingest.readers.zipped import (
    DC,
    DCTERMS,
    dublin_core,
    joined_path,
    open_zip,
    parse_optional_part,
    parse_part,
    text_of,
)

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_APP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
_CORE = {
    f"{DC}title": "title",
    f"{DC}creator": "author",
    f"{DC}subject": "subject",
    f"{_CP}keywords": "keywords",
    f"{DC}language": "language",
    f"{DCTERMS}created": "created",
    f"{DCTERMS}modified": "modified",
}
# Visible text is in w:t; w:delText (deleted revisions) and w:instrText
# (field codes) are not shown to readers and are left out.
_INLINE = {f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}


def read(path: Path, limits: Limits) -> Extraction:
    """Paragraphs as ~500-word pages; title, author and dates from docProps."""
    warnings: list[str] = []
    with open_zip(path) as archive:
        main = _main_part(archive)
        paragraphs = _paragraphs(parse_part(archive, main))
        for notes in ("word/footnotes.xml", "word/endnotes.xml"):
            root = parse_optional_part(archive, notes)
            if root is not None:
                paragraphs += _paragraphs(root)
        metadata = dublin_core(parse_optional_part(archive, "docProps/core.xml"), _CORE)
        app = text_of(_find(archive, "docProps/app.xml", f"{_APP}Application"))
    if app:
        metadata["creator"] = app
    pages, page_count = paginate(paragraphs, limits, warnings)
    return Extraction(
        media_type=MEDIA_TYPE,
        page_texts=pages,
        page_count=page_count,
        metadata=dict(metadata),
        warnings=warnings,
    )


def _main_part(archive) -> str:
    """The main document part, as named in the package relationships."""
    rels = parse_optional_part(archive, "_rels/.rels")
    for rel in rels.iter(f"{_RELS}Relationship") if rels is not None else ():
        if rel.get("Type") == _OFFICE_DOCUMENT and rel.get("Target"):
            return joined_path("", rel.get("Target", ""))
    return "word/document.xml"


def _find(archive, part: str, tag: str) -> ET.Element | None:
    root = parse_optional_part(archive, part)
    return None if root is None else root.find(f".//{tag}")


def _paragraphs(root: ET.Element) -> list[str]:
    """The text of every w:p, in order; a paragraph nested in another (a text
    box) becomes a paragraph of its own, after its host."""
    found: list[str] = []
    for paragraph in root.iter(f"{W}p"):
        parts: list[str] = []
        _inline(paragraph, parts)
        found.append("".join(parts))
    return found


def _inline(element: ET.Element, parts: list[str]) -> None:
    for child in element:
        if child.tag == f"{W}t":
            parts.append(child.text or "")
        elif child.tag in _INLINE:
            parts.append(_INLINE[child.tag])
        elif child.tag != f"{W}p":  # nested paragraphs are found by iter()
            _inline(child, parts)
