"""RTF reader: text through striprtf (small, BSD), in the code page the file
declares; title, author, subject and keywords from the \\info group."""

import re
from pathlib import Path

from striprtf.striprtf import rtf_to_text

from clearinghouse.ingest.extraction import Extraction, Limits, paginate

MEDIA_TYPE = "application/rtf"
_CODE_PAGE = re.compile(r"\\ansicpg(\d+)")
_INFO = {"title": "title", "author": "author", "subject": "subject"}
_INFO |= {"keywords": "keywords", "doccomm": "subject"}


def read(path: Path, limits: Limits) -> Extraction:
    """The text as ~500-word pages, with the \\info group's metadata."""
    # RTF is 7-bit ASCII; other characters are escaped, in the declared code
    # page (\\'e9) or as Unicode (\\u233?), which striprtf decodes.
    rtf = path.read_bytes().decode("latin-1")
    code_page = _CODE_PAGE.search(rtf[:2000])
    encoding = f"cp{code_page.group(1)}" if code_page else "cp1252"
    text = rtf_to_text(rtf, encoding=_known(encoding), errors="replace")
    warnings: list[str] = []
    pages, page_count = paginate(text.split("\n"), limits, warnings)
    return Extraction(
        media_type=MEDIA_TYPE,
        page_texts=pages,
        page_count=page_count,
        metadata=_metadata(rtf, _known(encoding)),
        warnings=warnings,
    )


def _metadata(rtf: str, encoding: str) -> dict[str, str | list[str]]:
    metadata: dict[str, str | list[str]] = {}
    for word, key in _INFO.items():
        match = re.search(r"\{\\" + word + r"\s([^{}]*)\}", rtf[:100_000])
        value = match and rtf_to_text(match.group(1), encoding, "replace").strip()
        if value and key not in metadata:
            metadata[key] = value
    return metadata


def _known(encoding: str) -> str:
    try:
        "".encode(encoding)
    except LookupError:
        return "cp1252"
    return encoding
