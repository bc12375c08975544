"""Documents: uploads go through ingest, like every other door.

An uploaded file is checked at the door (size, type from the bytes: documents
only), refused if the library already holds the same bytes, stored by its
hash, and queued for extraction by the worker. What extraction found (state,
failure, pages, language, suggestions with their sources) is shown read-only.
"""

from pathlib import PurePath

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from clearinghouse.catalog.models import Document, Page
from clearinghouse.ingest.pipeline import (
    admit,
    describe_file,
    duplicate_outcome,
    enqueue_extraction,
    existing_document,
)
from clearinghouse.ingest.sniff import Refused
from clearinghouse.ingest.storage import file_sha256, store_file
from clearinghouse.ingest.uploads import spooled_path


class DocumentForm(forms.ModelForm):
    """Checks a new upload at the door and hands it to ingest on save."""

    class Meta:
        model = Document
        fields = ("resource", "file", "title", "position")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if "file" not in self.changed_data or not isinstance(upload, UploadedFile):
            return upload
        path, is_copy = spooled_path(upload)
        try:
            sniffed = admit(path)
            sha256 = file_sha256(path)
        except Refused as exc:
            if is_copy:
                path.unlink(missing_ok=True)
            raise forms.ValidationError(exc.reason.capitalize() + ".") from None
        existing = existing_document(sha256)
        if existing and existing.pk != self.instance.pk:
            if is_copy:
                path.unlink(missing_ok=True)
            raise forms.ValidationError(
                duplicate_outcome(existing).reason.capitalize() + "."
            )
        self._ingest = (path, is_copy, sniffed, sha256, upload)
        return upload

    def save(self, commit: bool = True) -> Model:
        ingest = getattr(self, "_ingest", None)
        if ingest is None:
            return super().save(commit=commit)
        path, is_copy, sniffed, sha256, upload = ingest
        stored = store_file(path, sha256, sniffed.extension)
        if is_copy:
            path.unlink(missing_ok=True)
        document = super().save(commit=False)
        describe_file(document, stored, sniffed, sha256, upload.size or 0)
        document.original_name = PurePath(upload.name or "").name[:300]
        if commit:
            document.save()
            self._save_m2m()
            enqueue_extraction(document)
        else:
            save_m2m = self.save_m2m

            def save_and_enqueue() -> None:
                save_m2m()
                enqueue_extraction(document)

            self.save_m2m = save_and_enqueue
        return document


FILE_FACTS = ("media_type", "size_shown", "pages", "state", "failure_shown")


class DocumentDisplays:
    """Read-only columns shared by the document inline and the document admin."""

    @admin.display(description="failure")
    def failure_shown(self, document: Document) -> str:
        return Truncator(document.failure).chars(80)

    @admin.display(description="suggestions")
    def suggestions_shown(self, document: Document) -> str:
        return suggestion_list(document)


class DocumentInline(DocumentDisplays, admin.TabularInline):
    model = Document
    form = DocumentForm
    fields = ("file", "title", "position", *FILE_FACTS, "suggestions_shown")
    readonly_fields = (*FILE_FACTS, "suggestions_shown")
    extra = 1

    @admin.display(description="size")
    def size_shown(self, document: Document) -> str:
        return filesizeformat(document.size) if document.sha256 else ""


def suggestion_list(document: Document) -> str:
    """The suggestions as a list: field, value, where it came from."""
    if not document.suggestions:
        return "—"
    rows = format_html_join(
        "",
        "<li><strong>{}</strong>: {} <small>({}, {}%)</small></li>",
        (
            (
                s.get("field"),
                Truncator(str(s.get("value", ""))).chars(200),
                s.get("source", ""),
                round(100 * float(s.get("confidence") or 0)),
            )
            for s in document.suggestions
        ),
    )
    return format_html("<ul>{}</ul>", rows)


class PageInline(admin.TabularInline):
    model = Page
    fields = ("number", "text_shown")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="text")
    def text_shown(self, page: Page) -> str:
        return Truncator(page.text).chars(300)


@admin.register(Document)
class DocumentAdmin(DocumentDisplays, admin.ModelAdmin):
    form = DocumentForm
    inlines = (PageInline,)
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
    readonly_fields = (
        "original_name",
        "sha256",
        "size",
        "media_type",
        "pages",
        "language",
        "thumbnail",
        "created_at",
        "state",
        "failure",
        "attempts",
        "suggestions_shown",
        "possible_duplicates_shown",
        "metadata",
        "text_shown",
    )
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
        (
            "Extraction",
            {
                "fields": (
                    "state",
                    "failure",
                    "attempts",
                    "suggestions_shown",
                    "possible_duplicates_shown",
                    "metadata",
                    "text_shown",
                )
            },
        ),
    )

    @admin.display(description="size", ordering="size")
    def size_shown(self, document: Document) -> str:
        return filesizeformat(document.size)

    @admin.display(description="possible duplicates")
    def possible_duplicates_shown(self, document: Document) -> str:
        if not document.possible_duplicates:
            return "—"
        return format_html_join(
            ", ",
            "record {} ({})",
            (
                (d.get("resource"), d.get("reason", ""))
                for d in document.possible_duplicates
            ),
        )

    @admin.display(description="text")
    def text_shown(self, document: Document) -> str:
        return Truncator(document.text).chars(2000)
