"""Sending a stored file whole, in part (HTTP Range) or not at all (304).

PDF viewers fetch a long report in ranges, so its first pages show before the
rest has arrived (RFC 9110 §14: https://www.rfc-editor.org/rfc/rfc9110#section-14).
One range per request is served; a request for several gets the whole file,
which RFC 9110 allows.
"""

from __future__ import annotations

import hashlib
import re

from django.core.files import File
from django.core.files.storage import Storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.http import parse_etags, quote_etag

# "bytes=0-499", "bytes=500-", "bytes=-500" (the last 500 bytes).
BYTE_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


class Unsatisfiable(Exception):
    """The range starts past the end of the file (HTTP 416)."""


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a Range header, inclusive; None to send it all.

    Raises Unsatisfiable when no byte of the file is in the range."""
    match = BYTE_RANGE.fullmatch(header.replace(" ", ""))
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if not first:
        if int(last) == 0 or size == 0:
            raise Unsatisfiable
        return max(0, size - int(last)), size - 1
    if last and int(last) < int(first):
        return None  # invalid: ignored, as RFC 9110 says
    if int(first) >= size:
        raise Unsatisfiable
    return int(first), min(int(last), size - 1) if last else size - 1


def file_etag(storage: Storage, name: str, size: int) -> str:
    """A strong ETag that changes whenever the stored file does."""
    try:
        modified = storage.get_modified_time(name).timestamp()
    except NotImplementedError:
        modified = 0
    digest = hashlib.sha256(f"{name}\0{size}\0{modified}".encode()).hexdigest()
    return quote_etag(digest[:32])


class _Window:
    """The bytes [start, start + length) of an open file, read like a file.

    It has no fileno(), so servers stream it instead of sendfile()-ing the
    whole file from the offset."""

    def __init__(self, file: File, start: int, length: int) -> None:
        file.seek(start)
        self.file, self.left = file, length

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        data = self.file.read(size) if size > 0 else b""
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.file.close()


def send_file(
    request: HttpRequest, storage: Storage, name: str, content_type: str
) -> HttpResponse:
    """The stored file ``name`` as a response: 200, 206, 304 or 416.

    The caller has decided that the viewer may have it, and adds the headers
    that say how to show it (disposition, caching, CSP)."""
    size = storage.size(name)
    etag = file_etag(storage, name, size)
    if _matches(request.headers.get("If-None-Match", ""), etag):
        response = HttpResponse(status=304)
    elif _wants_range(request, etag):
        response = _ranged(request.headers["Range"], storage, name, size)
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    if response.status_code in (200, 206):
        response["Content-Type"] = content_type
    response["ETag"] = etag
    response["Accept-Ranges"] = "bytes"
    return response


def _wants_range(request: HttpRequest, etag: str) -> bool:
    if request.method not in ("GET", "HEAD") or "Range" not in request.headers:
        return False
    # If-Range: the range only if the file is still the one the reader has
    # part of; otherwise the whole new file.
    if_range = request.headers.get("If-Range")
    return if_range is None or if_range.strip() == etag


def _ranged(header: str, storage: Storage, name: str, size: int) -> HttpResponse:
    try:
        span = byte_range(header, size)
    except Unsatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    if span is None:
        return FileResponse(storage.open(name, "rb"))
    first, last = span
    response = FileResponse(
        _Window(storage.open(name, "rb"), first, last - first + 1), status=206
    )
    response["Content-Length"] = str(last - first + 1)
    response["Content-Range"] = f"bytes {first}-{last}/{size}"
    return response


def _matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison, as If-None-Match uses (RFC 9110 §13.1.2)."""
    if not if_none_match:
        return False
    tags = [tag.removeprefix("W/") for tag in parse_etags(if_none_match)]
    return "*" in tags or etag in tags
