"""Add a reader's page view or download to the resource's count for the day.

Only readers count: curators checking a record, previews of unpublished
records, HEAD requests and partial downloads (a PDF viewer's byte ranges)
do not. Nothing about who asked is read or kept (web/models.py).
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from clearinghouse.catalog.models import Resource
from clearinghouse.catalog.visibility import is_curator
from clearinghouse.web.models import DailyCount

logger = logging.getLogger(__name__)


def record_view(request: HttpRequest, resource: Resource) -> None:
    """Count a reader's GET of a published record's page."""
    if request.method == "GET" and _is_reader(request, resource):
        add_one(resource, "views")


def record_download(
    request: HttpRequest, resource: Resource, response: HttpResponse
) -> None:
    """Count a reader's download of a whole document (not a byte range)."""
    if (
        request.method == "GET"
        and response.status_code == 200
        and _is_reader(request, resource)
    ):
        add_one(resource, "downloads")


def add_one(resource: Resource, field: str, day: date | None = None) -> None:
    """Add one to today's ``views`` or ``downloads``, safely under concurrency.

    A count is not worth a reader's page: a database that refuses the write is
    logged, and the page goes out all the same."""
    day = day or timezone.localdate()
    try:
        with transaction.atomic():
            _add_one(resource.pk, field, day)
    except DatabaseError:
        logger.warning("Could not count a %s of resource %s", field, resource.pk)


def _add_one(resource_id: int, field: str, day: date) -> None:
    rows = DailyCount.objects.filter(resource_id=resource_id, day=day)
    if rows.update(**{field: F(field) + 1}):
        return
    try:
        with transaction.atomic():
            DailyCount.objects.create(resource_id=resource_id, day=day, **{field: 1})
    except IntegrityError:  # another request made today's row first
        rows.update(**{field: F(field) + 1})


def recent_counts(resource: Resource, days: int = 30) -> list[DailyCount]:
    """The resource's counts for the last ``days`` days, newest first."""
    since = timezone.localdate() - timedelta(days=days - 1)
    return list(resource.daily_counts.filter(day__gte=since).order_by("-day"))


def totals(counts: list[DailyCount]) -> dict[str, int]:
    return {
        "views": sum(count.views for count in counts),
        "downloads": sum(count.downloads for count in counts),
    }


def _is_reader(request: HttpRequest, resource: Resource) -> bool:
    return resource.status == "published" and not is_curator(request.user)
