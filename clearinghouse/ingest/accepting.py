"""Accepting a suggestion: a curator's yes to a value that ingest proposed.

Extraction leaves suggestions on each document (``Document.suggestions``, the
shape of ``ingest.suggest.suggestion.Suggestion``). Accepting one writes its
value onto the record and notes where the value came from in
``provenance["accepted"]``: per field, a list of entries, oldest first (for a
single-valued field the last one holds the current value)::

    {"title": [{"value": "Disrupting Harm in Kenya", "label": "",
                "source": "embedded PDF title", "confidence": 0.9,
                "document": 12, "by": "rosa", "at": "2024-05-01T10:00:00+00:00"}]}

The admin's buttons and the API call ``accept`` and ``accept_all`` alike. A
suggestion that no longer applies (its organisation deleted, its date
unreadable, the document read again since the page was shown) raises
``SuggestionError`` with a message fit to show a curator.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from clearinghouse.catalog.models import (
    Document,
    Language,
    Organisation,
    Region,
    Resource,
    ResourcePublisher,
    Topic,
    parse_partial_date,
)
from clearinghouse.catalog.revisions import record_revision
from clearinghouse.ingest.pipeline import title_from_name

if TYPE_CHECKING:
    from clearinghouse.catalog.visibility import Viewer

#: Fields a suggestion may fill, in the order a curator reads a record.
#: "languages" comes from the language detected in the text, not the suggester.
FIELDS = (
    "title",
    "date",
    "publishers",
    "doi",
    "isbn",
    "topics",
    "regions",
    "languages",
    "summary",
)
#: Fields holding several values: accepting one adds it to the others.
LIST_FIELDS = frozenset({"publishers", "topics", "regions", "languages"})
LANGUAGE_SOURCE = "language detected in the text"
PERMISSION = "catalog.change_resource"
#: Fields whose values name vocabulary entries: (model, lookup field, noun).
VOCABULARIES = {
    "publishers": (Organisation, "pk", "publisher"),
    "topics": (Topic, "pk", "topic"),
    "regions": (Region, "pk", "region"),
    "languages": (Language, "code", "language"),
}


class SuggestionError(Exception):
    """A suggestion that cannot be accepted, with the reason for a curator."""


@dataclass(frozen=True)
class Accepted:
    """One accepted suggestion: ``shown`` is the value as a curator reads it;
    ``already`` is true when the record held it before (nothing changed)."""

    field: str
    shown: str
    source: str
    already: bool = False


def offered(document: Document) -> list[dict]:
    """The suggestions a curator may accept from this document.

    The stored suggestions, then the detected language when none of them
    names one; indexes into this list identify a suggestion (``key``).
    """
    suggestions = [s for s in document.suggestions or [] if isinstance(s, dict)]
    fields = {field_of(s) for s in suggestions}
    if document.language and "languages" not in fields:
        suggestions.append(
            {
                "field": "languages",
                "value": document.language,
                "source": LANGUAGE_SOURCE,
                "confidence": None,
            }
        )
    return suggestions


def field_of(suggestion: dict) -> str:
    """The record field a suggestion fills ("language" is read as "languages")."""
    field = str(suggestion.get("field") or "")
    return "languages" if field == "language" else field


def key(document: Document, index: int, suggestion: dict) -> str:
    """A stable handle for one offered suggestion: "<document>-<index>-<digest>".

    The digest of field and value tells a stale handle (the document was read
    again and its suggestions changed) from a current one.
    """
    return f"{document.pk}-{index}-{_digest(suggestion)}"


def _digest(suggestion: dict) -> str:
    text = json.dumps([field_of(suggestion), suggestion.get("value")], default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def find(resource: Resource, handle: str) -> tuple[Document, dict]:
    """The document and suggestion a ``key`` names; SuggestionError when gone."""
    stale = SuggestionError(
        "That suggestion is no longer offered (the document may have been read "
        "again); look at the current suggestions and try again."
    )
    try:
        document_id, index, digest = str(handle).split("-")
        document = resource.documents.get(pk=int(document_id))
        suggestion = offered(document)[int(index)]
    except (ValueError, IndexError, Document.DoesNotExist):
        raise stale from None
    if _digest(suggestion) != digest:
        raise stale
    return document, suggestion


def current_values(resource: Resource) -> dict[str, set[str]]:
    """What the record holds now, per field, as suggestion values (ids as text)."""
    return {
        "title": {resource.title},
        "date": {resource.date_iso} - {""},
        "publishers": {
            str(pk) for pk in resource.publishers.values_list("pk", flat=True)
        },
        "doi": {resource.doi.lower()} - {""},
        "isbn": {resource.isbn} - {""},
        "topics": {str(pk) for pk in resource.topics.values_list("pk", flat=True)},
        "regions": {str(pk) for pk in resource.regions.values_list("pk", flat=True)},
        "languages": set(resource.languages.values_list("code", flat=True)),
        "summary": {resource.summary} - {""},
    }


def is_applied(current: dict[str, set[str]], suggestion: dict) -> bool:
    """True when the record already holds the suggested value."""
    field, value = field_of(suggestion), str(suggestion.get("value") or "")
    if field == "doi":
        value = value.lower()
    return value in current.get(field, set())


def open_fields(resource: Resource) -> list[str]:
    """Fields "accept all" may fill: empty ones, and a title made from the
    file name (ingest's stand-in until a better one is known)."""
    current = current_values(resource)
    empty = [f for f in FIELDS if f != "title" and not current[f]]
    return ["title", *empty] if title_from_file_name(resource) else empty


def title_from_file_name(resource: Resource) -> bool:
    """True while the title is still the one ingest made from the file name."""
    ingest = (resource.provenance or {}).get("ingest") or {}
    if ingest.get("title") != "file name":
        return False
    return resource.title == title_from_name(str(ingest.get("file") or ""))


def planned(resource: Resource) -> list[tuple[Document, dict]]:
    """What ``accept_all`` would take: for each open field, the most confident
    suggestion, or every suggested value for a list field (documents in order,
    each value once)."""
    documents = list(resource.documents.all())
    picks: list[tuple[Document, dict]] = []
    for field in open_fields(resource):
        candidates = [
            (document, s)
            for document in documents
            for s in offered(document)
            if field_of(s) == field and s.get("value")
        ]
        if field in LIST_FIELDS:
            values = {}
            for document, s in candidates:
                values.setdefault(str(s["value"]), (document, s))
            picks += values.values()
        elif candidates:
            # max() keeps the first of equals: the earlier document wins ties.
            picks.append(max(candidates, key=lambda c: _confidence(c[1])))
    return picks


def _confidence(suggestion: dict) -> float:
    try:
        return float(suggestion.get("confidence") or 0)
    except (TypeError, ValueError):
        return 0.0


def accept_all(resource: Resource, actor: Viewer) -> tuple[list[Accepted], list[str]]:
    """Accept the ``planned`` suggestions; what was accepted, and why not where
    one could not be (the others are accepted all the same)."""
    accepted, refused = [], []
    for document, suggestion in planned(resource):
        try:
            accepted.append(accept(resource, document, suggestion, actor))
        except SuggestionError as exc:
            refused.append(str(exc))
    return accepted, refused


def accept(
    resource: Resource, document: Document, suggestion: dict, actor: Viewer
) -> Accepted:
    """Write one suggestion from ``document`` onto ``resource`` and note its source.

    Scalar fields are replaced; list fields gain the value at their end.
    Needs ``catalog.change_resource``.
    """
    if not (actor is not None and actor.is_active and actor.has_perm(PERMISSION)):
        raise SuggestionError(
            "Accepting a suggestion needs the permission to change records."
        )
    field = field_of(suggestion)
    apply = APPLIERS.get(field)
    if apply is None:
        raise SuggestionError(f"A suggested “{field}” cannot be accepted.")
    value = str(suggestion.get("value") or "").strip()
    if not value:
        raise SuggestionError(f"The suggested {field} is empty.")
    if document.resource_id != resource.pk:
        raise SuggestionError("That suggestion comes from another record's document.")
    source = str(suggestion.get("source") or "")
    with transaction.atomic():
        # Locked and re-read: two curators accepting at once both keep their note.
        Resource.objects.select_for_update().filter(pk=resource.pk).first()
        resource.refresh_from_db()
        if is_applied(current_values(resource), {"field": field, "value": value}):
            return Accepted(field, _shown(field, value), source, True)
        shown, changed = apply(resource, value)
        _note(resource, field, value, suggestion, document, actor)
        resource.save(update_fields=[*changed, "provenance", "updated_at"])
        record_revision(
            resource, actor, f"Accepted the suggested {field}.", action="accept"
        )
    return Accepted(field, shown, source)


def _shown(field: str, value: str) -> str:
    """A value already on the record, named as the record names it."""
    if field not in VOCABULARIES:
        return value
    model, lookup, _ = VOCABULARIES[field]
    return str(model.objects.filter(**{lookup: value}).first() or value)


def _note(
    resource: Resource,
    field: str,
    value: str,
    suggestion: dict,
    document: Document,
    actor: Viewer,
) -> None:
    provenance = dict(resource.provenance or {})
    accepted = dict(provenance.get("accepted") or {})
    accepted[field] = [
        *accepted.get(field, []),
        {
            "value": value,
            "label": str(suggestion.get("label") or ""),
            "source": str(suggestion.get("source") or ""),
            "confidence": suggestion.get("confidence"),
            "document": document.pk,
            "by": actor.get_username() if actor is not None else "",
            "at": timezone.now().isoformat(timespec="seconds"),
        },
    ]
    provenance["accepted"] = accepted
    resource.provenance = provenance


# -- one applier per field: (resource, value) → (shown, changed columns) ------


def _text(field: str, limit: int | None = None) -> Callable:
    def apply(resource: Resource, value: str) -> tuple[str, list[str]]:
        setattr(resource, field, value[:limit])
        return value[:limit], [field]

    return apply


def _date(resource: Resource, value: str) -> tuple[str, list[str]]:
    try:
        resource.date, resource.date_precision = parse_partial_date(value)
    except ValueError as exc:
        raise SuggestionError(f"The suggested {exc}.") from None
    return resource.date_display, ["date", "date_precision"]


def _publisher(resource: Resource, value: str) -> tuple[str, list[str]]:
    organisation = _entry("publishers", value)
    last = resource.publisher_links.aggregate(last=Max("position"))["last"]
    ResourcePublisher.objects.create(
        resource=resource,
        organisation=organisation,
        position=0 if last is None else last + 1,
    )
    return organisation.name, []


def _related(field: str) -> Callable:
    def apply(resource: Resource, value: str) -> tuple[str, list[str]]:
        entry = _entry(field, value)
        getattr(resource, field).add(entry)
        return str(entry), []

    return apply


def _entry(field: str, value: str) -> object:
    """The vocabulary entry a suggestion names, or SuggestionError."""
    model, lookup, noun = VOCABULARIES[field]
    try:
        return model.objects.get(**{lookup: value})
    except (model.DoesNotExist, ValueError):
        raise SuggestionError(
            f"The suggested {noun} ({value}) is no longer in the library; "
            f"choose one in the form instead."
        ) from None


APPLIERS: dict[str, Callable[[Resource, str], tuple[str, list[str]]]] = {
    "title": _text("title", 500),
    "date": _date,
    "publishers": _publisher,
    "doi": _text("doi", 200),
    "isbn": _text("isbn", 40),
    "topics": _related("topics"),
    "regions": _related("regions"),
    "languages": _related("languages"),
    "summary": _text("summary"),
}
