"""Resource: one report, briefing, toolkit … with its description and access."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from clearinghouse.catalog.visibility import ResourceQuerySet


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Access(models.TextChoices):
    PUBLIC = "public", "Public"
    MEMBERS = "members", "Members"
    GROUPS = "groups", "Named groups"


class DatePrecision(models.TextChoices):
    YEAR = "year", "Year"
    MONTH = "month", "Month"
    DAY = "day", "Day"


class Resource(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=500)
    subtitle = models.CharField(max_length=500, blank=True)
    slug = models.SlugField(unique=True, max_length=120)
    summary = models.TextField(
        blank=True, help_text="The curated summary shown on cards."
    )
    abstract = models.TextField(blank=True)
    types = models.ManyToManyField(
        "catalog.ResourceType", blank=True, related_name="resources"
    )

    date = models.DateField(
        null=True, blank=True, help_text="Publication date; see precision."
    )
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )

    publishers = models.ManyToManyField(
        "catalog.Organisation",
        through="ResourcePublisher",
        blank=True,
        related_name="resources",
    )
    authors = models.ManyToManyField(
        "catalog.Person", through="ResourceAuthor", blank=True, related_name="resources"
    )
    languages = models.ManyToManyField(
        "catalog.Language", blank=True, related_name="resources"
    )
    regions = models.ManyToManyField(
        "catalog.Region", blank=True, related_name="resources"
    )
    topics = models.ManyToManyField(
        "catalog.Topic", blank=True, related_name="resources"
    )
    keywords = models.JSONField(default=list, blank=True)

    url = models.URLField("source URL", max_length=1000, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True)
    isbn = models.CharField("ISBN", max_length=40, blank=True)
    licence = models.CharField(max_length=200, blank=True)

    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    access = models.CharField(
        max_length=10, choices=Access.choices, default=Access.PUBLIC
    )
    groups = models.ManyToManyField(
        "auth.Group",
        blank=True,
        related_name="resources",
        help_text="Who may see it when access is 'Named groups'.",
    )
    document_access = models.CharField(
        max_length=10,
        choices=Access.choices,
        blank=True,
        help_text="Leave blank to use the record's access. Never less strict than it.",
    )
    embargo_until = models.DateField(null=True, blank=True)
    featured = models.BooleanField(default=False)
    content_warning = models.CharField(max_length=300, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    review_comment = models.TextField(blank=True)

    provenance = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("date added", default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        indexes = [
            models.Index(fields=["status", "access"]),
            models.Index(fields=["date"]),
            models.Index(fields=["created_at"]),
        ]
        permissions = [
            ("preview_resource", "Can see unpublished and restricted resources"),
            ("submit_resource", "Can submit resources for review"),
            ("publish_resource", "Can publish, send back and withdraw resources"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resource", args=[self.slug])

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None

    @property
    def date_display(self) -> str:
        """The date as readers see it: "2021", "May 2022", "1 September 2021"."""
        return format_date(self.date, self.date_precision)

    @property
    def date_iso(self) -> str:
        """The date at its precision: "2021", "2022-05", "2021-09-01"."""
        if not self.date:
            return ""
        width = {"year": 4, "month": 7}.get(self.date_precision, 10)
        return self.date.isoformat()[:width]

    @property
    def effective_document_access(self) -> str:
        return stricter_access(self.access, self.document_access or self.access)

    def ordered_publishers(self) -> list:
        return [link.organisation for link in self.publisher_links.all()]

    def ordered_authors(self) -> list:
        return [link.person for link in self.author_links.all()]

    def citation_line(self) -> str:
        """ "Title – Publisher, Month Year", the way sector libraries cite."""
        publishers = ", ".join(org.name for org in self.ordered_publishers())
        tail = ", ".join(part for part in (publishers, self.date_display) if part)
        return f"{self.title} – {tail}" if tail else self.title


ACCESS_ORDER = [Access.PUBLIC, Access.MEMBERS, Access.GROUPS]


def stricter_access(a: str, b: str) -> str:
    return max(a, b, key=ACCESS_ORDER.index)


def format_date(date: datetime.date | None, precision: str) -> str:
    if date is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(date.year)
    if precision == DatePrecision.MONTH:
        return f"{date:%B} {date.year}"
    return f"{date.day} {date:%B} {date.year}"


def parse_partial_date(text: str) -> tuple[datetime.date, str]:
    """Turn "2021", "2022-05" or "2021-09-01" into (first day, precision).

    Raises ValueError with a readable message for anything else.
    """
    text = text.strip()
    parts = text.split("-")
    try:
        if len(parts) == 1 and len(text) == 4:
            return datetime.date(int(text), 1, 1), DatePrecision.YEAR
        if len(parts) == 2:
            return datetime.date(int(parts[0]), int(parts[1]), 1), DatePrecision.MONTH
        if len(parts) == 3:
            return datetime.date.fromisoformat(text), DatePrecision.DAY
    except ValueError:
        pass
    raise ValueError(f"date {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")


class ResourcePublisher(models.Model):
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="publisher_links"
    )
    organisation = models.ForeignKey("catalog.Organisation", on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        unique_together = [("resource", "organisation")]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.position})"


class ResourceAuthor(models.Model):
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="author_links"
    )
    person = models.ForeignKey("catalog.Person", on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        unique_together = [("resource", "person")]

    def __str__(self) -> str:
        return f"{self.person} ({self.position})"
