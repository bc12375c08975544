"""Uploading documents in the admin: one or many files, each through ingest.

From the changelist every file becomes a new draft record; from a record's
page every file joins that record. Each file goes through
``ingest.pipeline.ingest_file`` on its own, so one refused or broken file
never stops the others, and the page ends with a table of what became of each.

Django writes an upload to a temporary file as it arrives once the request
is larger than ``FILE_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB by default), so large
files are never held in memory; ingest then refuses any over
``INGEST_MAX_BYTES``. ``DATA_UPLOAD_MAX_NUMBER_FILES`` (100 by default) caps
the files in one request.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from clearinghouse.catalog.models import Resource
from clearinghouse.ingest.pipeline import (
    DUPLICATE,
    FAILED,
    OK,
    REFUSED,
    IngestOutcome,
)
from clearinghouse.ingest.sniff import format_size
from clearinghouse.ingest.uploads import display_name, ingest_upload

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin


TEMPLATE = "admin/catalog/resource/upload.html"
STATUS_LABELS = {
    OK: "added",
    DUPLICATE: "already in the library",
    REFUSED: "refused",
    FAILED: "failed",
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input, as a list.

    Each file is judged by ingest, not here: a form error would refuse the
    whole batch for one empty or wrong file.
    """

    widget = MultipleFileInput

    def clean(self, data: object, initial: object = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else [data]
        files = [item for item in items if isinstance(item, UploadedFile)]
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], "required")
        return files


class UploadForm(forms.Form):
    files = MultipleFileField(label="Documents")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = (
            f"PDF, Word, OpenDocument, EPUB, RTF, HTML or text; up to "
            f"{format_size(settings.INGEST_MAX_BYTES)} each and "
            f"{settings.DATA_UPLOAD_MAX_NUMBER_FILES} at a time. Documents only: "
            f"images, audio and video are refused."
        )


def upload_view(
    model_admin: ModelAdmin, request: HttpRequest, object_id: str | None = None
) -> HttpResponse:
    """The upload page: new draft records, or more documents for one record."""
    resource = None
    if object_id is not None:
        resource = model_admin.get_object(request, object_id)
        if resource is None:
            raise Http404("No such record.")
        if not model_admin.has_change_permission(request, resource):
            raise PermissionDenied
    elif not model_admin.has_add_permission(request):
        raise PermissionDenied
    results: list[tuple[str, IngestOutcome]] = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            for upload in form.cleaned_data["files"]:
                results.append(
                    (
                        display_name(upload),
                        ingest_upload(upload, resource, request.user),
                    )
                )
            summarise(model_admin, request, [outcome for _, outcome in results])
            form = UploadForm()
    else:
        form = UploadForm()
    return render_page(model_admin, request, form, resource, results)


def summarise(
    model_admin: ModelAdmin, request: HttpRequest, outcomes: list[IngestOutcome]
) -> None:
    """One message: "3 files: 1 added, 1 already in the library, 1 refused"."""
    counts = Counter(outcome.status for outcome in outcomes)
    parts = [f"{counts[s]} {STATUS_LABELS[s]}" for s in STATUS_LABELS if counts[s]]
    noun = "file" if len(outcomes) == 1 else "files"
    level = messages.SUCCESS if counts[OK] == len(outcomes) else messages.WARNING
    model_admin.message_user(
        request, f"{len(outcomes)} {noun}: {', '.join(parts)}.", level
    )


def render_page(
    model_admin: ModelAdmin,
    request: HttpRequest,
    form: UploadForm,
    resource: Resource | None,
    results: list[tuple[str, IngestOutcome]],
) -> TemplateResponse:
    title = f"Upload documents to “{resource}”" if resource else "Upload documents"
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "form": form,
        "resource": resource,
        "results": [
            {
                "name": name,
                "status": outcome.status,
                "label": STATUS_LABELS[outcome.status],
                "reason": outcome.reason,
                "resource": outcome.resource,
                "document": outcome.document,
            }
            for name, outcome in results
        ],
    }
    return TemplateResponse(request, TEMPLATE, context)
