"""How a document goes out: its type, its file name, and how it may be shown.

Documents come from outside the library (publishers' sites, harvests,
uploads), so nothing in them may run on this site's origin:

- PDFs and plain text open in the browser ("inline"); every other type is
  saved ("attachment"). HTML, SVG and anything unknown go out as
  ``application/octet-stream``, so no browser renders them here.
- Every response says ``X-Content-Type-Options: nosniff``, so a browser
  never guesses a more dangerous type than the one sent.
- Everything but PDFs also gets ``Content-Security-Policy: sandbox``. PDFs do
  not: browsers' PDF viewers refuse to run in a sandbox (Safari shows a blank
  page, Chrome "blocked"; https://issues.chromium.org/issues/41131921), and
  they run PDFs in their own isolated viewer rather than as this site's page.
- Documents anonymous readers may not download are ``Cache-Control: private``
  and revalidated each time, so a shared cache never keeps them and revoked
  access takes effect at once.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

from django.http import HttpResponse

from clearinghouse.catalog.models import Document

PDF = "application/pdf"
INLINE_TYPES = {PDF, "text/plain"}
# Types browsers save rather than run; served as they are.
SAVED_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
    "application/epub+zip",
    "application/rtf",
}
EXTENSIONS = {
    PDF: "pdf",
    "text/plain": "txt",
    "text/html": "html",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/epub+zip": "epub",
    "application/rtf": "rtf",
}
SANDBOX = "default-src 'none'; sandbox"
PUBLIC_CACHE = "public, max-age=3600"
PRIVATE_CACHE = "private, no-cache"
MAX_NAME_CHARS = 120

# Characters that have no place in a saved file's name: controls, path
# separators and those Windows forbids.
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def sent_content_type(document: Document) -> str:
    """The Content-Type a document goes out with (see the module's rules)."""
    if document.media_type == "text/plain":
        return "text/plain; charset=utf-8"
    if document.media_type in INLINE_TYPES | SAVED_TYPES:
        return document.media_type
    return "application/octet-stream"


def is_inline(document: Document) -> bool:
    return document.media_type in INLINE_TYPES


def download_filename(document: Document) -> str:
    """The name a reader's computer saves the file under.

    The name the file was uploaded or harvested with, else the record's
    title, with the extension of the type actually sent: "Global threat
    assessment 2023.pdf"."""
    stored = PurePosixPath(document.file.name or "")
    extension = EXTENSIONS.get(document.media_type) or stored.suffix.lstrip(".")
    original = PurePosixPath(document.original_name.replace("\\", "/")).name
    stem = PurePosixPath(original).stem if original else document.resource.title
    stem = " ".join(_UNSAFE_NAME.sub(" ", stem).split()).strip(". ")
    stem = stem[:MAX_NAME_CHARS].rstrip(". ") or "document"
    return f"{stem}.{extension}" if extension else stem


def content_disposition(disposition: str, filename: str) -> str:
    """``inline``/``attachment`` with the file name, per RFC 6266 §4.3.

    A name that is not ASCII goes in ``filename*`` (RFC 8187), with an ASCII
    ``filename`` first for clients that know no better."""
    fallback = _ascii_name(filename)
    value = f'{disposition}; filename="{fallback}"'
    if fallback != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return value


def _ascii_name(filename: str) -> str:
    decomposed = unicodedata.normalize("NFKD", filename)
    ascii_only = decomposed.encode("ascii", "ignore").decode()
    ascii_only = " ".join(ascii_only.replace('"', "'").split())
    stem, dot, extension = ascii_only.rpartition(".")
    if dot and not stem.strip(" ._-"):
        return f"document.{extension}"
    return ascii_only if ascii_only.strip(" ._-") else "document"


def add_download_headers(
    response: HttpResponse, document: Document, *, public: bool
) -> HttpResponse:
    """Say how the browser may show a document, and who may cache it."""
    disposition = "inline" if is_inline(document) else "attachment"
    response["Content-Disposition"] = content_disposition(
        disposition, download_filename(document)
    )
    response["X-Content-Type-Options"] = "nosniff"
    if document.media_type != PDF:
        response["Content-Security-Policy"] = SANDBOX
    response["Cache-Control"] = PUBLIC_CACHE if public else PRIVATE_CACHE
    return response
