"""Load the shipped vocabularies: resource types, topics, regions, languages.

The data lives in ``catalog/data/*.json``. Loading is idempotent (matched on
slug or code), so it runs from a data migration and again from ``demo``.
"""

import json
from pathlib import Path

from django.apps.registry import Apps
from django.utils.text import slugify

DATA = Path(__file__).resolve().parent / "data"

RESOURCE_TYPES = [
    ("report", "Report"),
    ("briefing", "Briefing"),
    ("research-article", "Research article"),
    ("guidance", "Guidance"),
    ("toolkit", "Toolkit"),
    ("online-tool", "Online tool"),
    ("good-practice", "Good practice"),
    ("blog-post", "Blog post"),
    ("policy-legislation", "Policy & legislation"),
    ("dataset", "Dataset"),
    ("video", "Video"),
    ("training-material", "Training material"),
    ("news", "News"),
]


def read(name: str) -> list[dict]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def load_vocabularies(apps: Apps) -> None:
    """Create or update every shipped vocabulary term."""
    load_types(apps)
    load_topics(apps)
    load_regions(apps)
    load_languages(apps)


def load_types(apps: Apps) -> None:
    ResourceType = apps.get_model("catalog", "ResourceType")
    for position, (slug, label) in enumerate(RESOURCE_TYPES):
        ResourceType.objects.update_or_create(
            slug=slug, defaults={"label": label, "position": position}
        )


def load_topics(apps: Apps) -> None:
    Topic = apps.get_model("catalog", "Topic")
    by_slug = {}
    for position, row in enumerate(read("topics.json")):
        topic, _ = Topic.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "description": row.get("description", ""),
                "parent": by_slug.get(row.get("parent")),
                "position": position,
            },
        )
        by_slug[topic.slug] = topic


def load_regions(apps: Apps) -> None:
    Region = apps.get_model("catalog", "Region")
    by_code = {}
    for row in read("regions.json"):
        region, _ = Region.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "slug": slugify(row["name"])[:120],
                "kind": row["kind"],
                "aliases": row.get("aliases", []),
                "parent": by_code.get(row.get("parent")),
            },
        )
        by_code[region.code] = region


def load_languages(apps: Apps) -> None:
    Language = apps.get_model("catalog", "Language")
    for row in read("languages.json"):
        Language.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"]}
        )
