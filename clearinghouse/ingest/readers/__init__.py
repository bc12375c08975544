"""Readers, one module per document format, all offering the same function:

    read(path: Path, limits: Limits) -> Extraction

A reader fills in the media type, page texts, page count, metadata, and for
PDFs the thumbnail and the needs-OCR flag; ``extraction.finish`` then cleans
the text and adds the word count and language. A reader raises
``ExtractionError`` for files it cannot read.
"""

import importlib
from types import ModuleType

from clearinghouse.ingest.extraction import ExtractionError

#: Media type -> reader module in this package (imported when first needed,
#: so that reading a text file never loads PDFium).
READERS = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx"),
    "application/vnd.oasis.opendocument.text": "odt",
    "application/epub+zip": "epub",
    "text/html": "html",
    "text/plain": "text",
    "application/rtf": "rtf",
}


def reader_for(media_type: str) -> ModuleType:
    """The reader module for ``media_type``; ``ExtractionError`` if none."""
    name = READERS.get(media_type.split(";")[0].strip().lower())
    if name is None:
        raise ExtractionError(f"no reader for files of type {media_type}")
    return importlib.import_module(f"{__name__}.{name}")
