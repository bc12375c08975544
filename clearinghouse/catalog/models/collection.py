from django.db import models


class Collection(models.Model):
    """A curated, ordered set of resources ("Starter kit for trainers")."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True, max_length=120)
    description = models.TextField(blank=True)
    resources = models.ManyToManyField(
        "catalog.Resource", blank=True, related_name="collections"
    )
    featured = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
