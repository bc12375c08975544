"""Documents: uploaded files, with their checksum, size and type read from the bytes.

Only what the bytes say is stored: a file named ``report.pdf`` that is really a
Word file is recorded as Word. Full extraction (text, pages, thumbnail,
language) belongs to ingest and runs later.
"""

import codecs
import hashlib
import zipfile
from pathlib import PurePath
from typing import IO

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model
from django.template.defaultfilters import filesizeformat
from django.utils.text import Truncator

from clearinghouse.catalog.models import Document

HEAD_SIZE = 8192

# Leading bytes → media type (https://mimesniff.spec.whatwg.org/ lists more).
MAGIC_PREFIXES = [
    (b"%PDF-", "application/pdf"),
    (b"{\\rtf", "application/rtf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
]
# Office Open XML packages, told apart by their main part.
ZIP_PARTS = {
    "word/document.xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "xl/workbook.xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    "ppt/presentation.xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
}
# OpenDocument and EPUB name their type in a first entry called "mimetype".
ZIP_MIMETYPES = {
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "application/epub+zip",
}


def sniff_media_type(file: IO[bytes]) -> str:
    """The media type of a seekable binary file, judged by its bytes alone."""
    file.seek(0)
    head = file.read(HEAD_SIZE)
    file.seek(0)
    for prefix, media_type in MAGIC_PREFIXES:
        if head.startswith(prefix):
            return media_type
    if head[4:8] == b"ftyp":
        return "video/mp4"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(file)
    return _sniff_text(head)


def _sniff_zip(file: IO[bytes]) -> str:
    try:
        with zipfile.ZipFile(file) as package:
            names = set(package.namelist())
            declared = ""
            if "mimetype" in names:
                declared = package.read("mimetype")[:100].decode("ascii", "replace")
    except (zipfile.BadZipFile, OSError):
        return "application/octet-stream"
    finally:
        file.seek(0)
    for part, media_type in ZIP_PARTS.items():
        if part in names:
            return media_type
    declared = declared.strip()
    return declared if declared in ZIP_MIMETYPES else "application/zip"


def _sniff_text(head: bytes) -> str:
    if not head or b"\x00" in head:
        return "application/octet-stream"
    try:
        # Incremental decoding tolerates a character cut at the end of the head.
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        return "application/octet-stream"
    start = text.lstrip()[:64].lower()
    if start.startswith(("<!doctype html", "<html")):
        return "text/html"
    if start.startswith("<?xml"):
        return "application/xml"
    return "text/plain"


def describe_upload(document: Document, upload: UploadedFile) -> None:
    """Set a document's sha256, size, media type and original name from a file."""
    digest = hashlib.sha256()
    size = 0
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    document.sha256 = digest.hexdigest()
    document.size = size
    document.media_type = sniff_media_type(upload)
    document.original_name = PurePath(upload.name or "").name[:300]


class DocumentForm(forms.ModelForm):
    """Fills in what the bytes of a newly uploaded file say about it."""

    class Meta:
        model = Document
        fields = (
            "resource",
            "file",
            "title",
            "position",
            "pages",
            "language",
            "thumbnail",
            "state",
            "failure",
            "text",
        )

    def save(self, commit: bool = True) -> Model:
        upload = self.cleaned_data.get("file")
        if "file" in self.changed_data and isinstance(upload, UploadedFile):
            describe_upload(self.instance, upload)
        return super().save(commit=commit)


FILE_FACTS = ("media_type", "size_shown", "sha256", "state")


class DocumentInline(admin.TabularInline):
    model = Document
    form = DocumentForm
    fields = ("file", "title", "position", *FILE_FACTS)
    readonly_fields = FILE_FACTS
    extra = 1

    @admin.display(description="size")
    def size_shown(self, document: Document) -> str:
        return filesizeformat(document.size) if document.sha256 else ""


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    form = DocumentForm
    list_display = (
        "__str__",
        "resource",
        "media_type",
        "size_shown",
        "pages",
        "state",
        "failure_shown",
    )
    list_filter = ("state", "media_type")
    list_select_related = ("resource",)
    search_fields = ("title", "original_name", "sha256", "resource__title")
    autocomplete_fields = ("resource",)
    readonly_fields = ("original_name", "sha256", "size", "media_type", "created_at")
    fieldsets = (
        (None, {"fields": ("resource", "file", "title", "position")}),
        (
            "What the file is",
            {
                "fields": (
                    "original_name",
                    "media_type",
                    "size",
                    "sha256",
                    "pages",
                    "language",
                    "thumbnail",
                    "created_at",
                )
            },
        ),
        ("Extraction", {"fields": ("state", "failure", "text")}),
    )

    @admin.display(description="size", ordering="size")
    def size_shown(self, document: Document) -> str:
        return filesizeformat(document.size)

    @admin.display(description="failure")
    def failure_shown(self, document: Document) -> str:
        return Truncator(document.failure).chars(80)
