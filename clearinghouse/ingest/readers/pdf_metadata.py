"""Embedded PDF metadata: the info dictionary (through PDFium) and XMP.

PDFium has no API for the XMP packet, so it is found in the file's bytes:
the XMP specification asks writers to leave metadata streams uncompressed
precisely so that tools can find them this way. A compressed packet is
skipped (the info dictionary usually says the same).
"""

import mmap
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pypdfium2 as pdfium

_INFO_KEYS = {
    "Title": "title",
    "Author": "author",
    "Subject": "subject",
    "Keywords": "keywords",
    "Creator": "creator",
    "Producer": "producer",
}
_INFO_DATES = {"CreationDate": "created", "ModDate": "modified"}
# D:YYYYMMDDHHmmSSOHH'mm' (PDF 32000-1 §7.9.4), everything after the year
# optional; real files also drop the "D:" and the apostrophes.
_PDF_DATE = re.compile(
    r"(?:D:)?\s*(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?"
    r"\s*(?:(Z)|([+-])(\d\d)'?(\d\d)?'?)?"
)
_XMP_START, _XMP_END = b"<x:xmpmeta", b"</x:xmpmeta>"
_MAX_XMP_BYTES = 1_000_000
_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def read_metadata(
    pdf: pdfium.PdfDocument, path: Path, warnings: list[str]
) -> dict[str, str | list[str]]:
    """The info dictionary's fields and XMP's dc:title, dc:creator, dc:date."""
    metadata: dict[str, str | list[str]] = {}
    for key, name in (_INFO_KEYS | _INFO_DATES).items():
        try:
            value = " ".join(pdf.get_metadata_value(key).split())
        except (pdfium.PdfiumError, UnicodeDecodeError):
            continue
        if name in _INFO_DATES.values():
            value = pdf_date(value) or ""
        if value:
            metadata[name] = value
    try:
        metadata |= read_xmp(path)
    except (OSError, ValueError, ET.ParseError):
        warnings.append("the XMP metadata could not be read")
    return metadata


def pdf_date(raw: str) -> str | None:
    """A PDF date string as ISO 8601 ("2021-09-01T12:00:00+02:00"), or None."""
    match = _PDF_DATE.match(raw.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, zulu, sign, tz_h, tz_m = match.groups()
    try:
        moment = datetime(
            int(year), int(month or 1), int(day or 1),
            int(hour or 0), int(minute or 0), int(second or 0),
        )  # fmt: skip
    except ValueError:
        return None
    if hour is None:
        return moment.date().isoformat()[: 4 + 3 * bool(month) + 3 * bool(day)]
    offset = "+00:00" if zulu else f"{sign}{tz_h}:{tz_m or '00'}" if sign else ""
    return moment.isoformat() + offset


def read_xmp(path: Path) -> dict[str, str | list[str]]:
    """dc_title, dc_creator (list) and dc_date from the document's XMP packet."""
    packet = _find_packet(path)
    if packet is None:
        return {}
    root = ET.fromstring(packet)
    found: dict[str, str | list[str]] = {}
    titles = root.findall(".//dc:title//rdf:li", _NS)
    default = [t for t in titles if t.get(_XML_LANG) == "x-default"]
    title = _text((default or titles)[0]) if titles else ""
    if title:
        found["dc_title"] = title
    creators = [_text(li) for li in root.findall(".//dc:creator//rdf:li", _NS)]
    if any(creators):
        found["dc_creator"] = [c for c in creators if c]
    dates = [_text(li) for li in root.findall(".//dc:date//rdf:li", _NS)]
    if dates and dates[0]:
        found["dc_date"] = dates[0]
    return found


def _find_packet(path: Path) -> bytes | None:
    """The document's XMP packet: the last one in the file (incremental
    updates append), preferring packets that describe a PDF (embedded images
    carry their own XMP, with camera or Photoshop fields)."""
    packets = []
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        end = m.rfind(_XMP_END)
        while end >= 0 and len(packets) < 20:
            start = m.rfind(_XMP_START, max(0, end - _MAX_XMP_BYTES), end)
            if start < 0:
                break
            packets.append(m[start : end + len(_XMP_END)])
            end = m.rfind(_XMP_END, 0, start)
    for packet in packets:
        if b"ns.adobe.com/pdf/1.3/" in packet:
            return packet
    return packets[0] if packets else None


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())
