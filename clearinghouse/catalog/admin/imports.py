"""Importing records from a file in the admin, with a preview; exporting a
selection.

The import runs in two steps. The upload is read and imported as a dry run,
and the page shows what would be created, updated and skipped and every bad
record by line; the file waits in storage under a random name kept in the
curator's session. Confirming imports it for real, through the same
``formats.importing.import_file`` the command line uses; cancelling drops it.
Files left waiting are removed after a day.

"Export selected as …" writes the selected records, as far as the curator may
see them, in any of the formats.
"""

from __future__ import annotations

import datetime
import io
import secrets
from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone

from clearinghouse.catalog.audit import record_export
from clearinghouse.catalog.models import Resource
from clearinghouse.formats.exporting import export_records
from clearinghouse.formats.format import Format
from clearinghouse.formats.importing import ImportFailed, ImportReport, import_file
from clearinghouse.formats.registry import FORMATS, UnknownFormat, guess_format

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

TEMPLATE = "admin/catalog/resource/import.html"
PENDING = "pending-imports"
SESSION_KEY = "clearinghouse_pending_import"
MAX_BYTES = 20 * 1024 * 1024
KEPT_FOR = datetime.timedelta(days=1)
GUESS = ""


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="JSON Lines, CSV, BibTeX, RIS or CSL-JSON, in UTF-8; up to 20 MB."
    )
    format = forms.ChoiceField(
        choices=[(GUESS, "Guess from the file name")]
        + [(fmt.name, fmt.label) for fmt in FORMATS.values()],
        required=False,
    )
    publish = forms.BooleanField(
        required=False,
        help_text="Publish every imported record. Otherwise records from BibTeX, "
        "RIS and CSL-JSON arrive as drafts; JSON Lines and CSV say their own status.",
    )
    continue_on_error = forms.BooleanField(
        required=False,
        label="Import the good records even if some are bad",
        help_text="Otherwise one bad record stops the whole import.",
    )

    def clean(self) -> dict:
        data = super().clean()
        upload = data.get("file")
        if upload is None:
            return data
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The file is larger than 20 MB.")
        try:
            data["format_used"] = (
                FORMATS[data["format"]]
                if data.get("format")
                else guess_format(upload.name)
            )
        except UnknownFormat as error:
            raise forms.ValidationError(f"{str(error).capitalize()}.") from None
        try:
            data["text"] = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The file is not UTF-8 text; save it as UTF-8 and try again."
            ) from None
        return data


def import_view(model_admin: ModelAdmin, request: HttpRequest) -> HttpResponse:
    """Upload and preview (POST with a file), confirm or cancel (POST with a step)."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    step = request.POST.get("step", "")
    if request.method == "POST" and step == "confirm":
        return _confirm(model_admin, request)
    if request.method == "POST" and step == "cancel":
        _drop_pending(request)
        model_admin.message_user(request, "The import was cancelled.", messages.INFO)
        return HttpResponseRedirect(request.path)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        return _preview(model_admin, request, form.cleaned_data)
    return _page(model_admin, request, form=form)


def _preview(model_admin: ModelAdmin, request: HttpRequest, data: dict) -> HttpResponse:
    fmt, name = data["format_used"], data["file"].name
    options = {"publish": data["publish"], "continue_on_error": True}
    report = _run(fmt, data["text"], name, request, dry_run=True, **options)
    _drop_pending(request)
    _remove_stale()
    token = secrets.token_urlsafe(24)
    default_storage.save(f"{PENDING}/{token}.txt", ContentFile(data["text"].encode()))
    request.session[SESSION_KEY] = {
        "token": token,
        "format": fmt.name,
        "name": name,
        "publish": data["publish"],
        "continue_on_error": data["continue_on_error"],
    }
    return _page(
        model_admin, request, report=report, pending=request.session[SESSION_KEY]
    )


def _confirm(model_admin: ModelAdmin, request: HttpRequest) -> HttpResponse:
    pending = request.session.get(SESSION_KEY)
    path = f"{PENDING}/{pending['token']}.txt" if pending else ""
    if not pending or not default_storage.exists(path):
        model_admin.message_user(
            request,
            "There is no import waiting; upload the file again.",
            messages.ERROR,
        )
        return HttpResponseRedirect(request.path)
    with default_storage.open(path, "rb") as stored:
        text = stored.read().decode("utf-8")
    options = {k: pending[k] for k in ("publish", "continue_on_error")}
    try:
        report = _run(
            FORMATS[pending["format"]], text, pending["name"], request, **options
        )
    except ImportFailed as failure:
        return _page(model_admin, request, report=failure.report, failed=True)
    finally:
        _drop_pending(request)
    model_admin.message_user(request, _summary(report), messages.SUCCESS)
    return _page(model_admin, request, report=report, done=True)


def _run(
    fmt: Format, text: str, name: str, request: HttpRequest, **options: bool
) -> ImportReport:
    return import_file(
        fmt, io.StringIO(text), filename=name, actor=request.user, **options
    )


def _summary(report: ImportReport) -> str:
    return (
        f"Imported: {len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.skipped)} skipped, {len(report.errors)} left out as bad."
    )


def _drop_pending(request: HttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        default_storage.delete(f"{PENDING}/{pending['token']}.txt")


def _remove_stale() -> None:
    """Files whose preview was never confirmed nor cancelled."""
    if not default_storage.exists(PENDING):
        return
    cutoff = timezone.now() - KEPT_FOR
    for name in default_storage.listdir(PENDING)[1]:
        path = f"{PENDING}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)


def _page(
    model_admin: ModelAdmin, request: HttpRequest, **context: object
) -> HttpResponse:
    report = context.get("report")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import records",
        "formats": FORMATS.values(),
        **context,
    }
    if report is not None:
        context["may_confirm"] = bool(
            context.get("pending")
            and (report.created or report.updated)
            and (not report.errors or context["pending"]["continue_on_error"])
        )
        context["to_write"] = len(report.created) + len(report.updated)
        context["new_terms"] = sorted(
            (kind, sorted(set(names))) for kind, names in report.new_terms.items()
        )
    return TemplateResponse(request, TEMPLATE, context)


def _export_action(fmt: Format) -> object:
    def export(
        model_admin: ModelAdmin, request: HttpRequest, queryset: QuerySet
    ) -> HttpResponse:
        user = request.user
        allowed = Resource.objects.visible_to(
            user
        ) | Resource.objects.tombstones_visible_to(user)
        chosen = allowed.filter(pk__in=queryset.values("pk"))
        stream = io.StringIO()
        count = fmt.write(export_records(chosen), stream)
        record_export("admin", count, format=fmt.name)
        response = HttpResponse(stream.getvalue(), content_type=fmt.content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="records.{fmt.extension}"'
        )
        return response

    export.__name__ = f"export_as_{fmt.name}"
    return admin.action(description=f"Export selected as {fmt.label}")(export)


EXPORT_ACTIONS = [_export_action(fmt) for fmt in FORMATS.values()]
