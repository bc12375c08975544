"""Plain-text reader: the file decoded (charset-normalizer guesses the
encoding when it is not UTF-8), cut into ~500-word pages at blank lines."""

import re
from pathlib import Path

from charset_normalizer import from_bytes

from clearinghouse.ingest.extraction import Extraction, Limits, paginate

MEDIA_TYPE = "text/plain"
_BOMS = {b"\xef\xbb\xbf": "utf-8-sig", b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16"}


def read(path: Path, limits: Limits) -> Extraction:
    """The text as ~500-word pages; a text file carries no metadata."""
    warnings: list[str] = []
    paragraphs = re.split(r"\n\s*\n", decode(path.read_bytes()))
    pages, page_count = paginate(paragraphs, limits, warnings)
    return Extraction(
        media_type=MEDIA_TYPE,
        page_texts=pages,
        page_count=page_count,
        warnings=warnings,
    )


def decode(data: bytes, declared: str | None = None) -> str:
    """``data`` as text: by its byte-order mark, as UTF-8, in the ``declared``
    encoding, or in the encoding charset-normalizer finds, in that order."""
    for bom, encoding in _BOMS.items():
        if data.startswith(bom):
            return data.decode(encoding, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared, "replace")
        except LookupError:
            pass
    best = from_bytes(data).best()
    encoding = best.encoding if best else "cp1252"
    return data.decode(encoding, "replace")
