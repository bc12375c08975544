"""The native record: one resource as a plain dict (documented in docs/formats.md).

``record_from_resource`` writes it; ``clean_record`` checks one read from a file
and returns it normalised, or raises RecordError naming the field at fault.
"""

from __future__ import annotations

import datetime
import uuid

from clearinghouse.catalog.models import Access, Resource, Status, parse_partial_date
from clearinghouse.formats.format import ReadError

LIST_FIELDS = (
    "types",
    "publishers",
    "authors",
    "topics",
    "regions",
    "languages",
    "keywords",
    "groups",
)
TEXT_FIELDS = (
    "title",
    "subtitle",
    "slug",
    "summary",
    "abstract",
    "url",
    "doi",
    "isbn",
    "licence",
    "content_warning",
    "withdrawn_reason",
)
KNOWN_FIELDS = {
    "id",
    "date",
    "status",
    "access",
    "document_access",
    "embargo_until",
    "featured",
    "added",
    "provenance",
    "documents",
    *LIST_FIELDS,
    *TEXT_FIELDS,
}


class RecordError(ValueError):
    """A record that cannot be imported; the message names the field."""


def record_from_resource(resource: Resource) -> dict:
    """Every field of a resource, in the native format's key order."""
    return {
        "id": str(resource.uid),
        "title": resource.title,
        "subtitle": resource.subtitle,
        "slug": resource.slug,
        "summary": resource.summary,
        "abstract": resource.abstract,
        "types": [t.slug for t in resource.types.all()],
        "date": resource.date_iso or None,
        "publishers": [org.name for org in resource.ordered_publishers()],
        "authors": [person.name for person in resource.ordered_authors()],
        "topics": sorted(t.slug for t in resource.topics.all()),
        "regions": sorted(r.code for r in resource.regions.all()),
        "languages": sorted(lang.code for lang in resource.languages.all()),
        "keywords": list(resource.keywords),
        "url": resource.url,
        "doi": resource.doi,
        "isbn": resource.isbn,
        "licence": resource.licence,
        "status": resource.status,
        "access": resource.access,
        "groups": sorted(g.name for g in resource.groups.all()),
        "document_access": resource.document_access or resource.access,
        "embargo_until": resource.embargo_until.isoformat()
        if resource.embargo_until
        else None,
        "content_warning": resource.content_warning,
        "featured": resource.featured,
        "withdrawn_reason": resource.withdrawn_reason,
        "added": resource.created_at.isoformat(),
        "provenance": resource.provenance,
        "documents": [
            {
                "name": d.original_name,
                "title": d.title,
                "sha256": d.sha256,
                "media_type": d.media_type,
                "size": d.size,
                "pages": d.pages,
            }
            for d in resource.documents.all()
        ],
    }


def clean_record(raw: object) -> dict:
    """Check and normalise one record read from a file."""
    if isinstance(raw, ReadError):
        raise RecordError(raw.message)
    if not isinstance(raw, dict):
        raise RecordError("a record must be a JSON object")
    unknown = sorted(set(raw) - KNOWN_FIELDS)
    if unknown:
        raise RecordError(f"unknown field(s): {', '.join(unknown)}")
    record = dict(raw)
    title = record.get("title")
    if not isinstance(title, str) or not title.strip():
        raise RecordError("'title' is required and must be text")
    for name in TEXT_FIELDS:
        value = record.get(name)
        if value is None:
            record[name] = ""
        elif not isinstance(value, str):
            raise RecordError(f"'{name}' must be text, not {type(value).__name__}")
    record["title"] = record["title"].strip()
    _check_lengths(record)
    for name in LIST_FIELDS:
        record[name] = _string_list(record, name)
    record["id"] = _uuid(record.get("id"))
    record["date"] = _partial_date(record.get("date"))
    record["status"] = _choice(record, "status", Status.values, Status.PUBLISHED)
    record["access"] = _choice(record, "access", Access.values, Access.PUBLIC)
    record["document_access"] = _choice(
        record, "document_access", Access.values, record["access"]
    )
    if record["access"] == Access.GROUPS and not record["groups"]:
        raise RecordError("'access' is 'groups' but 'groups' lists no group")
    record["embargo_until"] = _iso_date(record.get("embargo_until"), "embargo_until")
    record["added"] = _iso_datetime(record.get("added"))
    if not isinstance(record.get("featured", False), bool):
        raise RecordError("'featured' must be true or false")
    record["featured"] = record.get("featured", False)
    if not isinstance(record.get("provenance") or {}, dict):
        raise RecordError("'provenance' must be an object")
    record["provenance"] = record.get("provenance") or {}
    return record


def _check_lengths(record: dict) -> None:
    """Refuse text longer than its column, which PostgreSQL would refuse later."""
    for name in TEXT_FIELDS:
        if name == "slug":
            continue  # cut to length when the slug is made
        limit = getattr(Resource._meta.get_field(name), "max_length", None)
        if limit and len(record[name]) > limit:
            raise RecordError(f"'{name}' is longer than {limit} characters")


def _string_list(record: dict, name: str) -> list[str]:
    value = record.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RecordError(f"'{name}' must be a list of text values")
    return [v.strip() for v in value if v.strip()]


def _uuid(value: object) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        # Identifiers from other systems are kept, mapped to a stable UUID.
        return uuid.uuid5(uuid.NAMESPACE_URL, f"clearinghouse:{value}")


def _partial_date(value: object) -> tuple[datetime.date, str] | None:
    if value in (None, ""):
        return None
    try:
        return parse_partial_date(str(value))
    except ValueError as error:
        raise RecordError(f"'date': {error}") from None


def _choice(record: dict, name: str, allowed: list[str], default: str) -> str:
    value = record.get(name) or default
    if value not in allowed:
        raise RecordError(
            f"'{name}' must be one of {', '.join(allowed)}, not {value!r}"
        )
    return value


def _iso_date(value: object, name: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise RecordError(f"'{name}' must be an ISO date (YYYY-MM-DD)") from None


def _iso_datetime(value: object) -> datetime.datetime | None:
    if value in (None, ""):
        return None
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        raise RecordError("'added' must be an ISO date-time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment
