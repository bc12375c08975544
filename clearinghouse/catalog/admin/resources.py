"""Records: the resource admin, its ordered publishers, authors and documents.

A record's status is read-only here; it changes only through the workflow
actions and buttons (``admin/workflow.py`` → ``catalog.workflow``). The
record's page also shows what ingest suggested (``admin/suggestions.py``) and
the records it may repeat, with a merge (``admin/duplicates.py``); documents
are uploaded many at a time through ``admin/uploads.py``.
"""

import json
from functools import partial

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.html import format_html, format_html_join

from clearinghouse.catalog import workflow
from clearinghouse.catalog.admin import (
    duplicates,
    history,
    imports,
    suggestions,
    uploads,
)
from clearinghouse.catalog.admin import workflow as workflow_admin
from clearinghouse.catalog.admin.counts import daily_use
from clearinghouse.catalog.admin.documents import DocumentInline
from clearinghouse.catalog.admin.fields import LinesField
from clearinghouse.catalog.models import (
    Access,
    Resource,
    ResourceAuthor,
    ResourcePublisher,
)
from clearinghouse.catalog.models.resource import stricter_access
from clearinghouse.ingest import accepting
from clearinghouse.search.filters import year_number


class PublisherInline(admin.TabularInline):
    model = ResourcePublisher
    autocomplete_fields = ("organisation",)
    fields = ("organisation", "position")
    extra = 1
    verbose_name = "publisher"


class AuthorInline(admin.TabularInline):
    model = ResourceAuthor
    autocomplete_fields = ("person",)
    fields = ("person", "position")
    extra = 1
    verbose_name = "author"


class YearFilter(admin.SimpleListFilter):
    title = "publication year"
    parameter_name = "year"
    NO_DATE = "none"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        years = Resource.objects.dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years] + [(self.NO_DATE, "No date")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value == self.NO_DATE:
            return queryset.filter(date__isnull=True)
        if value and (year := year_number(value)) is not None:
            return queryset.filter(date__year=year)
        return queryset


DESCRIPTION = (
    "title",
    "subtitle",
    "slug",
    "summary",
    "abstract",
    "keywords",
    "content_warning",
)
CLASSIFICATION = ("types", "topics", "regions", "languages")
PUBLICATION = (
    ("date", "date_precision"),
    "url",
    "doi",
    "isbn",
    "licence",
)
ACCESS = ("access", "groups", "document_access", "embargo_until", "featured")
WORKFLOW = ("status", "review_comment", "withdrawn_reason", "history_shown")
PROVENANCE = (
    "uid",
    "created_by",
    "created_at",
    "updated_at",
    "provenance_shown",
)


class ResourceForm(forms.ModelForm):
    keywords = LinesField()

    class Meta:
        model = Resource
        fields = (
            *DESCRIPTION,
            *CLASSIFICATION,
            "date",
            "date_precision",
            *PUBLICATION[1:],
            *ACCESS,
        )

    def clean(self) -> dict:
        data = super().clean()
        access = data.get("access")
        document_access = data.get("document_access")
        if (
            access
            and document_access
            and stricter_access(access, document_access) != document_access
        ):
            self.add_error(
                "document_access",
                "Documents cannot be more open than the record itself.",
            )
        groups = data.get("groups")
        needs_groups = Access.GROUPS in (access, document_access)
        if needs_groups and groups is not None and not groups.exists():
            self.add_error("groups", "Name the groups who may see it.")
        return data


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    # Links typed without a scheme are web addresses: assume https (Django 6 does).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    form = ResourceForm
    list_display = (
        "title",
        "type_labels",
        "date_shown",
        "status",
        "access",
        "featured",
        "updated_at",
    )
    list_filter = (
        "status",
        "access",
        "types",
        ("topics", admin.RelatedOnlyFieldListFilter),
        "featured",
        YearFilter,
    )
    search_fields = ("title", "summary", "keywords", "doi", "publishers__name")
    autocomplete_fields = ("types", "topics", "regions", "languages", "groups")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = (*WORKFLOW, *PROVENANCE, daily_use)
    inlines = (PublisherInline, AuthorInline, DocumentInline)
    actions = [
        *workflow_admin.ACTIONS,
        duplicates.merge_records,
        *imports.EXPORT_ACTIONS,
    ]
    list_per_page = 50

    def get_fieldsets(
        self, request: HttpRequest, obj: Resource | None = None
    ) -> list[tuple]:
        fieldsets = [
            ("Description", {"fields": DESCRIPTION}),
            ("Classification", {"fields": CLASSIFICATION}),
            ("Publication", {"fields": PUBLICATION}),
            ("Access", {"fields": ACCESS}),
        ]
        if obj is not None:
            fieldsets += [
                ("Workflow", {"fields": WORKFLOW}),
                ("Provenance", {"fields": PROVENANCE, "classes": ("collapse",)}),
                ("Use", {"fields": (daily_use,)}),  # admin/counts.py
            ]
        return fieldsets

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("types")

    def save_model(
        self, request: HttpRequest, obj: Resource, form: forms.Form, change: bool
    ) -> None:
        if not change:
            obj.created_by = request.user
            obj.provenance = {"source": "admin", **(obj.provenance or {})}
        super().save_model(request, obj, form, change)

    def save_related(
        self, request: HttpRequest, form: forms.Form, formsets: list, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        # Last of the admin's writes: the record is complete (catalog.revisions).
        history.record_admin_save(form, formsets, change, request.user)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        return history.history_view(self, request, object_id)

    # Permissions named by the workflow actions' ``permissions`` attribute.
    def has_submit_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(workflow.SUBMIT.permission)

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(workflow.PUBLISH.permission)

    def get_urls(self) -> list[URLPattern]:
        def view(function: object) -> object:
            return self.admin_site.admin_view(partial(function, self))

        return [
            *history.revision_urls(self),
            path(
                "<path:object_id>/workflow/<slug:action>/",
                view(workflow_admin.record_view),
                name="catalog_resource_workflow",
            ),
            path(
                "<path:object_id>/suggestions/accept/",
                view(suggestions.accept_view),
                name="catalog_resource_accept_suggestion",
            ),
            path(
                "merge/<int:first>/<int:second>/",
                view(duplicates.merge_view),
                name="catalog_resource_merge",
            ),
            path("upload/", view(uploads.upload_view), name="catalog_resource_upload"),
            path("import/", view(imports.import_view), name="catalog_resource_import"),
            path(
                "<path:object_id>/upload/",
                view(uploads.upload_view),
                name="catalog_resource_upload_to",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        resource = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            **self.record_panels(request, resource),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def record_panels(self, request: HttpRequest, resource: Resource | None) -> dict:
        """What the record's page shows beside the form: workflow buttons,
        suggestions to accept, possible duplicates."""
        if resource is None:
            return {"workflow_transitions": []}
        return {
            "workflow_transitions": workflow.allowed_transitions(
                resource, request.user
            ),
            "may_change": self.has_change_permission(request, resource),
            "suggestion_panel": suggestions.suggestion_panel(resource),
            "accept_all_count": len(accepting.planned(resource)),
            "duplicate_hints": duplicates.duplicate_hints(resource),
        }

    @admin.display(description="types")
    def type_labels(self, resource: Resource) -> str:
        return ", ".join(t.label for t in resource.types.all())

    @admin.display(description="date", ordering="date")
    def date_shown(self, resource: Resource) -> str:
        return resource.date_display

    @admin.display(description="history")
    def history_shown(self, resource: Resource) -> str:
        entries = workflow.history(resource)
        if not entries:
            return "—"
        rows = format_html_join(
            "",
            "<li>{} · {} → {} by {}{}</li>",
            (
                (
                    entry.get("at", ""),
                    entry.get("from", ""),
                    entry.get("to", ""),
                    entry.get("by", ""),
                    f": {entry['comment']}" if entry.get("comment") else "",
                )
                for entry in reversed(entries)
            ),
        )
        return format_html("<ul>{}</ul>", rows)

    @admin.display(description="provenance")
    def provenance_shown(self, resource: Resource) -> str:
        rest = {k: v for k, v in (resource.provenance or {}).items() if k != "history"}
        if not rest:
            return "—"
        text = json.dumps(rest, indent=2, ensure_ascii=False, sort_keys=True)
        return format_html("<pre>{}</pre>", text)
