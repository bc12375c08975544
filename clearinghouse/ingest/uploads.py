"""Uploaded files into ``pipeline.ingest_file``: the door the admin's upload
pages and the API share.

An upload is on disk already when Django spooled it to a temporary file, or
in memory when small; either way ingest needs a path, and the name the
curator's browser sent (never a folder).
"""

import logging
import tempfile
from pathlib import Path, PurePath

from django.core.files.uploadedfile import UploadedFile

from clearinghouse.catalog.models import Resource
from clearinghouse.ingest.pipeline import FAILED, IngestOutcome, ingest_file

logger = logging.getLogger(__name__)


def ingest_upload(
    upload: UploadedFile, resource: Resource | None, actor: object
) -> IngestOutcome:
    """Ingest one uploaded file; an unexpected error fails this file only."""
    try:
        path, is_copy = spooled_path(upload)
        try:
            return ingest_file(
                path,
                resource=resource,
                actor=actor,
                original_name=display_name(upload),
            )
        finally:
            if is_copy:
                path.unlink(missing_ok=True)
    except Exception:
        logger.exception("ingesting the upload %r failed", upload.name)
        return IngestOutcome(FAILED, "an unexpected error stopped it; see the log")


def spooled_path(upload: UploadedFile) -> tuple[Path, bool]:
    """A path on disk holding the upload; True when it is a copy to delete."""
    if hasattr(upload, "temporary_file_path"):
        return Path(upload.temporary_file_path()), False
    with tempfile.NamedTemporaryFile(delete=False, suffix=".upload") as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
    return Path(copy.name), True


def display_name(upload: UploadedFile) -> str:
    """The file's own name, without any folder a browser may send."""
    return PurePath((upload.name or "").replace("\\", "/")).name or "unnamed file"
