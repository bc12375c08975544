"""A record's history in the admin: its revisions, what each changed, restore.

``History`` on a record's page lists its revisions (``catalog.revisions``),
newest first. Each opens a field-by-field comparison with the revision
before it, or with the record as it is now; from there a curator who may
change records restores it, which saves a new revision.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from clearinghouse.catalog import actors, diffs, revisions
from clearinghouse.catalog.models import Resource
from clearinghouse.catalog.revisions import RevisionError

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

PREVIOUS, CURRENT = "previous", "current"


def revision_urls(model_admin: ModelAdmin) -> list[URLPattern]:
    """The comparison and restore pages, beside Django's own history page."""

    def view(function: object, post_only: bool = False) -> object:
        def wrapped(request: HttpRequest, **kwargs: object) -> HttpResponse:
            return function(model_admin, request, **kwargs)

        if post_only:
            wrapped = require_POST(wrapped)
        return model_admin.admin_site.admin_view(wrapped)

    return [
        path(
            "<path:object_id>/history/<int:revision_id>/",
            view(revision_view),
            name="catalog_resource_revision",
        ),
        path(
            "<path:object_id>/history/<int:revision_id>/restore/",
            view(restore_view, post_only=True),
            name="catalog_resource_restore",
        ),
    ]


def record_admin_save(
    form: forms.ModelForm, formsets: list, change: bool, actor: object
) -> None:
    """The admin's revision, named by the fields the curator changed."""
    resource = form.instance
    if not change:
        revisions.record_revision(resource, actor, action="create")
        return
    changed = [str(form.fields[name].label or name) for name in form.changed_data]
    changed += [
        str(formset.model._meta.verbose_name_plural)
        for formset in formsets
        if formset.has_changed()
    ]
    comment = f"Changed {', '.join(changed)}." if changed else ""
    revisions.record_revision(resource, actor, comment, action="edit")


def history_view(
    model_admin: ModelAdmin, request: HttpRequest, object_id: str
) -> HttpResponse:
    """The record's revisions, newest first (replaces Django's history page)."""
    resource = _resource(model_admin, request, object_id)
    rows = [
        {
            "revision": revision,
            "number": revision.number,
            "label": revisions.describe(revision),
            "channel": actors.CHANNEL_LABELS.get(revision.channel, revision.channel),
        }
        for revision in revisions.revisions_of(resource)
    ]
    context = {
        **_context(model_admin, request, resource),
        "title": f"History: {resource}",
        "rows": rows,
    }
    return TemplateResponse(request, "admin/catalog/resource/revisions.html", context)


def revision_view(
    model_admin: ModelAdmin, request: HttpRequest, object_id: str, revision_id: int
) -> HttpResponse:
    """One revision compared with the one before it, or with the record now."""
    resource = _resource(model_admin, request, object_id)
    history = revisions.revisions_of(resource)
    position = next((i for i, r in enumerate(history) if r.pk == revision_id), None)
    if position is None:
        raise Http404("No such revision of this record.")
    revision = history[position]
    against = CURRENT if request.GET.get("against") == CURRENT else PREVIOUS
    if against == CURRENT:
        old, new = revision.snapshot, revisions.snapshot(resource)
    else:
        earlier = history[position + 1] if position + 1 < len(history) else None
        old, new = (earlier.snapshot if earlier else {}), revision.snapshot
    context = {
        **_context(model_admin, request, resource),
        "title": f"Revision {revision.number}: {resource}",
        "revision": revision,
        "label": revisions.describe(revision),
        "channel": actors.CHANNEL_LABELS.get(revision.channel, revision.channel),
        "against": against,
        "changes": diffs.compare(old, new),
        "is_latest": position == 0,
        "may_restore": position != 0
        and model_admin.has_change_permission(request, resource)
        and revisions.may_restore(request.user),
    }
    return TemplateResponse(request, "admin/catalog/resource/revision.html", context)


def restore_view(
    model_admin: ModelAdmin, request: HttpRequest, object_id: str, revision_id: int
) -> HttpResponse:
    """Restore a revision (POST only); back to the record's page."""
    resource = _resource(model_admin, request, object_id)
    if not model_admin.has_change_permission(request, resource):
        raise PermissionDenied
    history = revisions.revisions_of(resource)
    revision = next((r for r in history if r.pk == revision_id), None)
    if revision is None:
        raise Http404("No such revision of this record.")
    try:
        report = revisions.restore(revision, request.user, revision.number)
    except RevisionError as refusal:
        model_admin.message_user(request, str(refusal), messages.ERROR)
        return HttpResponseRedirect(
            reverse("admin:catalog_resource_revision", args=[resource.pk, revision.pk])
        )
    model_admin.message_user(
        request, f"Restored revision {revision.number}.", messages.SUCCESS
    )
    for kind, names in report.new_terms.items():
        model_admin.message_user(
            request,
            f"Created again, as the revision names them: {kind} {', '.join(names)}.",
            messages.WARNING,
        )
    return HttpResponseRedirect(
        reverse("admin:catalog_resource_change", args=[resource.pk])
    )


def _resource(
    model_admin: ModelAdmin, request: HttpRequest, object_id: str
) -> Resource:
    resource = model_admin.get_object(request, object_id)
    if resource is None or not model_admin.has_view_or_change_permission(
        request, resource
    ):
        raise Http404("No such record.")
    return resource


def _context(model_admin: ModelAdmin, request: HttpRequest, resource: Resource) -> dict:
    opts = model_admin.model._meta
    return {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "object": resource,
        "module_name": str(capfirst(opts.verbose_name_plural)),
        "change_url": reverse("admin:catalog_resource_change", args=[resource.pk]),
        "history_url": reverse("admin:catalog_resource_history", args=[resource.pk]),
    }
