"""Content-addressed file storage: a file's name is its sha256.

``files/ab/abcdef….pdf`` under ``MEDIA_ROOT``: the same bytes are stored once
however often they are uploaded, and a name never says what a curator called
the file (original names are kept on the Document, not on disk).
"""

import hashlib
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

CHUNK_BYTES = 1024 * 1024


def file_sha256(path: str | Path) -> str:
    """The hex sha256 of the file at ``path``, read in chunks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as f:
        while chunk := f.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def stored_name(folder: str, sha256: str, extension: str) -> str:
    """``folder/ab/abcdef….ext``: the storage name for content ``sha256``."""
    return f"{folder}/{sha256[:2]}/{sha256}.{extension}"


def store_file(path: str | Path, sha256: str, extension: str) -> str:
    """Store the file at ``path`` as ``files/<sha[:2]>/<sha>.<ext>`` (once) and
    return its storage name."""
    name = stored_name("files", sha256, extension)
    if not default_storage.exists(name):
        with Path(path).open("rb") as f:
            name = default_storage.save(name, File(f))
    return name


def store_thumbnail(image: bytes) -> str:
    """Store thumbnail bytes (WebP or PNG) by their own hash; the storage name."""
    extension = "webp" if image[:4] == b"RIFF" else "png"
    name = stored_name("thumbnails", hashlib.sha256(image).hexdigest(), extension)
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(image))
    return name
