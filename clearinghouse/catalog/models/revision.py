"""Revision: a record's full state after one change, with who, when and why."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Revision(models.Model):
    """One saved state of a resource (``catalog.revisions`` writes them).

    ``snapshot`` is the native record (``formats.native.record_from_resource``)
    as it was after the change; ``channel`` is the door the change came
    through: "admin", "api", "site" or "command" (no web request).
    """

    resource = models.ForeignKey(
        "catalog.Resource",
        null=True,
        on_delete=models.SET_NULL,
        related_name="revisions",
    )
    resource_uid = models.UUIDField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20)
    channel = models.CharField(max_length=10)
    comment = models.TextField(blank=True)
    snapshot = models.JSONField()

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["resource", "-id"])]

    def __str__(self) -> str:
        return f"{self.snapshot.get('title', '')} · {self.created_at:%Y-%m-%d %H:%M}"
