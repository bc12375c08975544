"""AuditEvent: who did what that matters for security, kept and never edited.

No IP address, no user agent: only the account (id and username at the time),
the action, the object and a small JSON detail (``catalog.audit`` writes them).
"""

from django.db import models
from django.utils import timezone


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise PermissionError("Audit events are never changed.")

    def delete(self) -> tuple[int, dict]:
        raise PermissionError("Audit events are never deleted.")


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # A plain id, not a foreign key: deleting an account keeps its events.
    actor_id = models.PositiveBigIntegerField(null=True, blank=True)
    actor_name = models.CharField("actor", max_length=150, blank=True)
    action = models.CharField(max_length=40, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField("object", max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "audit event"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name or '—'} {self.action}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError("Audit events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict]:
        raise PermissionError("Audit events are never deleted.")
