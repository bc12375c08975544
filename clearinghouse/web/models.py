"""What the public site keeps about its use: daily counts per resource, no more.

A reader's visit leaves one added to a day's total and nothing else: no
address, no browser, no account, no time of day (docs/operating.md, "Security
and privacy"; web/counts.py adds to them).
"""

from django.db import models


class DailyCount(models.Model):
    """How often a resource's page was read and its documents downloaded, in a day."""

    resource = models.ForeignKey(
        "catalog.Resource", on_delete=models.CASCADE, related_name="daily_counts"
    )
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "day"], name="one_daily_count_per_resource_and_day"
            )
        ]
        ordering = ["-day"]
        verbose_name = "daily count"

    def __str__(self) -> str:
        return f"{self.day}: {self.views} views, {self.downloads} downloads"
