"""A record's use on its admin page: page views and downloads a day, for the
last 30 days. Daily totals are all the site keeps (web/models.py): nothing
says who read what."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from clearinghouse.catalog.models import Resource
from clearinghouse.web.counts import recent_counts, totals

DAYS = 30


@admin.display(description=f"views and downloads, last {DAYS} days")
def daily_use(resource: Resource) -> str:
    counts = recent_counts(resource, DAYS)
    if not counts:
        return f"No page views or downloads by readers in the last {DAYS} days."
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
        ((f"{count.day:%d %b %Y}", count.views, count.downloads) for count in counts),
    )
    total = totals(counts)
    return format_html(
        '<table class="daily-use"><thead><tr><th scope="col">Day</th>'
        '<th scope="col">Page views</th><th scope="col">Downloads</th></tr></thead>'
        '<tbody>{}</tbody><tfoot><tr><th scope="row">Total</th><td>{}</td>'
        "<td>{}</td></tr></tfoot></table>",
        rows,
        total["views"],
        total["downloads"],
    )
