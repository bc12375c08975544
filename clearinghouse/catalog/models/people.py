"""Who publishes and who writes: organisations and people."""

from django.db import models
from django.urls import reverse


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NGO = "ngo", "NGO"
        INTERGOVERNMENTAL = "intergovernmental", "Intergovernmental"
        GOVERNMENT = "government", "Government"
        ACADEMIC = "academic", "Academic"
        INDUSTRY = "industry", "Industry"
        LAW_ENFORCEMENT = "law-enforcement", "Law enforcement"
        FOUNDATION = "foundation", "Foundation"
        PUBLISHER = "publisher", "Publisher"
        PARLIAMENT = "parliament", "Parliament"
        OTHER = "other", "Other"

    name = models.CharField(max_length=250, unique=True)
    slug = models.SlugField(unique=True, max_length=120)
    acronym = models.CharField(max_length=40, blank=True)
    aliases = models.JSONField(default=list, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = models.ForeignKey(
        "catalog.Region", null=True, blank=True, on_delete=models.SET_NULL
    )
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation", args=[self.slug])


class Person(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True, max_length=120)
    orcid = models.CharField(max_length=19, blank=True)
    affiliation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("library") + f"?author={self.slug}"
