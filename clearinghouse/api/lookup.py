"""Finding the record a URL names, by id (UUID) or slug, as the caller may see it."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import HttpRequest

from clearinghouse.api.problems import ApiProblem
from clearinghouse.catalog.models import Resource


def by_identifier(queryset: QuerySet, identifier: str) -> Resource | None:
    try:
        return queryset.filter(uid=uuid.UUID(identifier)).first()
    except ValueError:
        return queryset.filter(slug=identifier).first()


def visible_resource(request: HttpRequest, identifier: str) -> Resource:
    """The record, if the caller may see it: 410 for a withdrawn one whose
    tombstone they may see, 404 for anything else."""
    found = by_identifier(Resource.objects.visible_to(request.user), identifier)
    if found is not None:
        return found
    tombstone = by_identifier(
        Resource.objects.tombstones_visible_to(request.user), identifier
    )
    if tombstone is not None:
        reason = f": {tombstone.withdrawn_reason}" if tombstone.withdrawn_reason else ""
        raise ApiProblem(410, f"“{tombstone.title}” was withdrawn{reason}")
    raise ApiProblem(404, f"There is no resource {identifier!r}.")
