"""People who ask for access: membership applications and access requests.

Approval itself is membership of the "Members" group (``catalog.roles``), so
the visibility policy needs no table of its own; these models keep what was
asked, by whom, and what was decided.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Decision(models.TextChoices):
    PENDING = "pending", "Pending"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"


class Application(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class Membership(models.Model):
    """An application to become a member, made through the registration form."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=300)
    reason = models.TextField(help_text="Why the applicant needs membership.")
    status = models.CharField(
        max_length=10, choices=Application.choices, default=Application.PENDING
    )
    applied_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-applied_at"]
        verbose_name = "membership application"

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class AccessRequest(models.Model):
    """A reader's request to see a record's restricted documents."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="access_requests",
    )
    resource = models.ForeignKey(
        "catalog.Resource", on_delete=models.CASCADE, related_name="access_requests"
    )
    message = models.TextField(blank=True, max_length=2000)
    status = models.CharField(
        max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    group = models.ForeignKey(
        "auth.Group",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For a record open to named groups: the group to add the "
        "reader to when granting (needed when the record names several).",
    )
    note = models.TextField(
        "note to the reader",
        blank=True,
        help_text="Sent with the decision.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open request per reader and record: asking twice adds nothing.
            models.UniqueConstraint(
                fields=["user", "resource"],
                condition=Q(status="pending"),
                name="one_pending_access_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.resource}"
