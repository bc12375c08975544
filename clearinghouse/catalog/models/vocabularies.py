"""Controlled vocabularies: types, topics (a tree), regions, languages."""

from django.db import models
from django.urls import reverse


class ResourceType(models.Model):
    """A kind of resource ("Report", "Toolkit"); a resource may have several."""

    slug = models.SlugField(unique=True)
    label = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label


class TreeMixin(models.Model):
    """Parent links shared by topics and regions, with helpers over the tree."""

    class Meta:
        abstract = True

    def ancestors(self) -> list:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class Topic(TreeMixin):
    slug = models.SlugField(unique=True, max_length=80)
    name = models.CharField(max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("topic", args=[self.slug])


class Region(TreeMixin):
    """An ISO 3166 country or subdivision, a UN M49 region, or a sector grouping."""

    class Kind(models.TextChoices):
        WORLD = "world", "World"
        REGION = "region", "Region"
        SUBREGION = "subregion", "Sub-region"
        INTERMEDIATE = "intermediate", "Intermediate region"
        COUNTRY = "country", "Country"
        SUBDIVISION = "subdivision", "Subdivision"
        GROUP = "group", "Grouping"

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True, max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    aliases = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    code = models.CharField(max_length=3, unique=True, help_text="ISO 639-1")
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
