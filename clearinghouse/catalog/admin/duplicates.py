"""Possible duplicates on a record's page, and merging two records into one.

Extraction notes on each document the records it may repeat
(``Document.possible_duplicates``). The record's page lists them with a link
and a Merge button; the changelist has a "Merge two records" action. Both lead
to a confirmation page (``admin/catalog/resource/merge_form.html``) where the
curator picks the record that survives; ``catalog.merging`` does the merge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from clearinghouse.catalog import merging
from clearinghouse.catalog.merging import MergeError
from clearinghouse.catalog.models import Resource, Status

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

FORM_TEMPLATE = "admin/catalog/resource/merge_form.html"


@dataclass
class Hint:
    """A record this one may repeat; ``merged_from`` is the record the hint
    named when that one has since been merged into ``other``."""

    other: Resource
    score: float | None
    reason: str
    merged_from: Resource | None = None


def duplicate_hints(resource: Resource) -> list[Hint]:
    """The other records this one's documents may repeat, best first, each once."""
    found: dict[int, dict] = {}
    for document in resource.documents.all():
        for hint in document.possible_duplicates or []:
            other = hint.get("resource") if isinstance(hint, dict) else None
            if isinstance(other, int) and other != resource.pk:
                found.setdefault(other, hint)
    others = Resource.objects.in_bulk(list(found))
    hints = []
    for pk, hint in found.items():
        other, merged_from = others.get(pk), None
        if other is not None and other.status == Status.WITHDRAWN:
            other, merged_from = replacement(other), other
        if other is not None and other.pk != resource.pk:
            hints.append(
                Hint(
                    other, hint.get("score"), str(hint.get("reason") or ""), merged_from
                )
            )
    return sorted(hints, key=lambda h: -(h.score or 0))


def replacement(resource: Resource) -> Resource | None:
    """The record a merged tombstone points at; None for a plain withdrawal."""
    replaced_by = (resource.provenance or {}).get("replaced_by") or {}
    return Resource.objects.filter(pk=replaced_by.get("id")).first()


@admin.action(description="Merge two records…", permissions=["change"])
def merge_records(
    model_admin: ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> HttpResponse | None:
    """Changelist action: exactly two records go to the confirmation page."""
    records = list(queryset.order_by("pk").values_list("pk", flat=True)[:3])
    if len(records) != 2:
        model_admin.message_user(
            request,
            "Select exactly two records to merge: the one to keep and its duplicate.",
            messages.ERROR,
        )
        return None
    return HttpResponseRedirect(reverse("admin:catalog_resource_merge", args=records))


class MergeForm(forms.Form):
    survivor = forms.TypedChoiceField(
        coerce=int, widget=forms.RadioSelect, label="Record to keep"
    )

    def __init__(self, records: list[Resource], *args: object, **kwargs: object):
        super().__init__(*args, **kwargs)
        field = self.fields["survivor"]
        field.choices = [(r.pk, f"“{r.title}” (record {r.pk})") for r in records]
        field.initial = preferred_survivor(*records).pk


def preferred_survivor(first: Resource, second: Resource) -> Resource:
    """The record offered as the one to keep: a published one, else the older."""
    ranked = sorted(
        (first, second),
        key=lambda r: (r.status != Status.PUBLISHED, r.created_at, r.pk),
    )
    return ranked[0]


def merge_view(
    model_admin: ModelAdmin, request: HttpRequest, first: str, second: str
) -> HttpResponse:
    """Confirm a merge of two records, then merge the other into the one kept."""
    records = [model_admin.get_object(request, pk) for pk in (first, second)]
    if None in records:
        raise Http404("No such record.")
    if records[0].pk == records[1].pk:
        model_admin.message_user(
            request, "A record cannot be merged into itself.", messages.ERROR
        )
        url = reverse("admin:catalog_resource_change", args=[records[0].pk])
        return HttpResponseRedirect(url)
    if not all(model_admin.has_change_permission(request, r) for r in records):
        raise PermissionDenied
    form = MergeForm(records, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        kept = form.cleaned_data["survivor"]
        target = next(r for r in records if r.pk == kept)
        source = next(r for r in records if r.pk != kept)
        try:
            outcome = merging.merge(target, source, request.user)
        except MergeError as exc:
            form.add_error(None, str(exc))
        else:
            report(model_admin, request, target, source, outcome)
            url = reverse("admin:catalog_resource_change", args=[target.pk])
            return HttpResponseRedirect(url)
    return render_form(model_admin, request, form, records)


def report(
    model_admin: ModelAdmin,
    request: HttpRequest,
    target: Resource,
    source: Resource,
    outcome: merging.MergeOutcome,
) -> None:
    """Log the merge on both records and tell the curator what it did."""
    parts = [f"{plural(outcome.documents, 'documents')} moved"]
    if outcome.filled:
        names = [str(Resource._meta.get_field(f).verbose_name) for f in outcome.filled]
        parts.append("filled " + ", ".join(names))
    if outcome.added:
        added = [plural(n, name) for name, n in outcome.added.items()]
        parts.append("added " + ", ".join(added))
    summary = "; ".join(parts)
    model_admin.log_change(request, target, f"Merged in record {source.pk}: {summary}.")
    model_admin.log_change(request, source, f"Merged into record {target.pk}.")
    model_admin.message_user(
        request,
        f"Merged “{source.title}” into “{target.title}”: {summary}. "
        f"“{source.title}” is withdrawn and points here.",
        messages.SUCCESS,
    )


def plural(count: int, noun: str) -> str:
    """ "1 document", "2 documents" (``noun`` is the plural, in -s)."""
    return f"{count} {noun if count != 1 else noun.removesuffix('s')}"


def render_form(
    model_admin: ModelAdmin,
    request: HttpRequest,
    form: MergeForm,
    records: list[Resource],
) -> TemplateResponse:
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "title": "Merge two records?",
        "form": form,
        "records": records,
        "cancel_url": reverse("admin:catalog_resource_change", args=[records[0].pk]),
    }
    return TemplateResponse(request, FORM_TEMPLATE, context)
