"""Suggestions on a record's page: what ingest proposed, and buttons to accept.

The panel lists each document's suggestions grouped by field, with the value
as a curator reads it (names for organisation, topic and region ids), where it
was found and how confident the suggester was. Accepting posts to
``accept_view``, which calls ``ingest.accepting``; editing instead is just the
record's form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.urls import reverse
from django.utils.text import Truncator

from clearinghouse.catalog.models import (
    Document,
    Resource,
    format_date,
    parse_partial_date,
)
from clearinghouse.ingest import accepting
from clearinghouse.ingest.accepting import SuggestionError

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

#: How each field is named on the panel and in messages: (heading, noun).
FIELD_NAMES = {
    "title": ("Title", "title"),
    "date": ("Publication date", "date"),
    "publishers": ("Publishers", "publisher"),
    "doi": ("DOI", "DOI"),
    "isbn": ("ISBN", "ISBN"),
    "topics": ("Topics", "topic"),
    "regions": ("Geographic coverage", "region"),
    "languages": ("Languages", "language"),
    "summary": ("Summary", "summary"),
}
MISSING = "no longer in the library"


@dataclass
class Row:
    """One suggestion as shown: ``key`` is what its Accept button posts."""

    key: str
    value: str
    source: str
    confidence: int | None
    applied: bool


@dataclass
class FieldGroup:
    heading: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class DocumentSuggestions:
    document: Document
    groups: list[FieldGroup]


def suggestion_panel(resource: Resource) -> list[DocumentSuggestions]:
    """Each document's suggestions grouped by field, fields in record order."""
    documents = list(resource.documents.all())
    offers = {d.pk: accepting.offered(d) for d in documents}
    names = vocabulary_names([s for found in offers.values() for s in found])
    current = accepting.current_values(resource)
    panel = []
    for document in documents:
        groups = {f: FieldGroup(FIELD_NAMES[f][0]) for f in accepting.FIELDS}
        for index, suggestion in enumerate(offers[document.pk]):
            group = groups.get(accepting.field_of(suggestion))
            if group is not None and suggestion.get("value"):
                group.rows.append(
                    Row(
                        key=accepting.key(document, index, suggestion),
                        value=shown_value(suggestion, names),
                        source=str(suggestion.get("source") or ""),
                        confidence=percent(suggestion.get("confidence")),
                        applied=accepting.is_applied(current, suggestion),
                    )
                )
        kept = [g for g in groups.values() if g.rows]
        if kept:
            panel.append(DocumentSuggestions(document, kept))
    return panel


def vocabulary_names(suggestions: list[dict]) -> dict[tuple[str, str], str]:
    """Current names of the entries suggestions point at, by (field, value)."""
    names = {}
    for name, (model, lookup, _) in accepting.VOCABULARIES.items():
        values = {
            str(s.get("value"))
            for s in suggestions
            if accepting.field_of(s) == name and s.get("value")
        }
        if lookup == "pk":
            values = {v for v in values if v.isdigit()}
        entries = model.objects.filter(**{f"{lookup}__in": values})
        names.update(((name, str(getattr(e, lookup))), str(e)) for e in entries)
    return names


def shown_value(suggestion: dict, names: dict[tuple[str, str], str]) -> str:
    """The value in a curator's words: a name for an id, a date as readers see it."""
    field, value = accepting.field_of(suggestion), str(suggestion.get("value"))
    if field in accepting.VOCABULARIES:
        if (field, value) in names:
            return names[(field, value)]
        return f"{suggestion.get('label') or value} ({MISSING})"
    if field == "date":
        try:
            return format_date(*parse_partial_date(value))
        except ValueError:
            return value
    return Truncator(value).chars(400)


def percent(confidence: object) -> int | None:
    try:
        return round(100 * float(confidence))
    except (TypeError, ValueError):
        return None


def accept_view(
    model_admin: ModelAdmin, request: HttpRequest, object_id: str
) -> HttpResponse:
    """POST: accept one suggestion (``suggestion`` = its key) or, with
    ``all``, every suggestion for the record's empty fields."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    resource = model_admin.get_object(request, object_id)
    if resource is None:
        raise Http404("No such record.")
    if not model_admin.has_change_permission(request, resource):
        raise PermissionDenied
    if request.POST.get("all"):
        accept_all(model_admin, request, resource)
    else:
        accept_one(model_admin, request, resource, request.POST.get("suggestion", ""))
    url = reverse("admin:catalog_resource_change", args=[resource.pk])
    return HttpResponseRedirect(f"{url}#suggestions")


def accept_one(
    model_admin: ModelAdmin, request: HttpRequest, resource: Resource, key: str
) -> None:
    try:
        document, suggestion = accepting.find(resource, key)
        done = accepting.accept(resource, document, suggestion, request.user)
    except SuggestionError as exc:
        model_admin.message_user(request, str(exc), messages.ERROR)
        return
    noun = FIELD_NAMES[done.field][1]
    value = Truncator(done.shown).chars(80)
    if done.already:
        model_admin.message_user(
            request, f"The record already has the {noun} “{value}”.", messages.INFO
        )
        return
    model_admin.log_change(request, resource, f"Accepted the suggested {noun}.")
    model_admin.message_user(
        request,
        f"Accepted the suggested {noun} “{value}” (from {done.source}).",
        messages.SUCCESS,
    )


def accept_all(
    model_admin: ModelAdmin, request: HttpRequest, resource: Resource
) -> None:
    accepted, refused = accepting.accept_all(resource, request.user)
    for reason in refused:
        model_admin.message_user(request, reason, messages.ERROR)
    changed = [a for a in accepted if not a.already]
    if not changed:
        if not refused:
            model_admin.message_user(
                request, "No empty field has a suggestion to accept.", messages.INFO
            )
        return
    counts: dict[str, int] = {}
    for done in changed:
        counts[done.field] = counts.get(done.field, 0) + 1
    fields = ", ".join(
        heading_in_text(f) + (f" ({n})" if n > 1 else "") for f, n in counts.items()
    )
    noun = "suggestion" if len(changed) == 1 else "suggestions"
    model_admin.log_change(request, resource, f"Accepted suggestions: {fields}.")
    model_admin.message_user(
        request, f"Accepted {len(changed)} {noun}: {fields}.", messages.SUCCESS
    )


def heading_in_text(name: str) -> str:
    """ "Publication date" → "publication date"; "DOI" stays as it is."""
    heading = FIELD_NAMES[name][0]
    return heading if heading.isupper() else heading.lower()
