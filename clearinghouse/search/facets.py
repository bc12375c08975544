"""Facet counts over a set of hits: how many hits each filter value would keep.

Counts come from the very queryset that produced the hits, so they agree with
them by construction. Topics and regions count a hit for a term and for every
term above it, because filtering by a term includes its subtree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear

from clearinghouse.search.filters import LOOKUPS, link_table, year_number

FACETS = ("type", "topic", "publisher", "year", "language", "region")


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False

    def to_dict(self) -> dict:
        return {"value": self.value, "label": self.label, "count": self.count}


@dataclass
class Facet:
    name: str
    values: list[FacetValue]
    truncated: bool  # more values exist than were asked for


def compute_facets(
    hits: QuerySet, selected: dict[str, list[str]], size: int
) -> dict[str, Facet]:
    """Every facet over ``hits``, the ``size`` biggest values of each.

    Values already selected are always included, so their chips can be undone.
    """
    ids = hits.order_by().values("pk")
    facets = {}
    for name in FACETS:
        counts = _year_counts(ids) if name == "year" else _link_counts(name, ids)
        values = _label(name, counts)
        chosen = set(selected.get(name, []))
        values += _unmatched(name, chosen - {v.value for v in values})
        for value in values:
            value.selected = value.value in chosen
        if name == "year":
            values.sort(key=lambda v: v.value, reverse=True)
        else:
            values.sort(key=lambda v: (-v.count, v.label.lower()))
        keep = values[:size] + [v for v in values[size:] if v.selected]
        facets[name] = Facet(name, keep, truncated=len(values) > len(keep))
    return facets


def _year_counts(ids: QuerySet) -> dict[str, int]:
    from clearinghouse.catalog.models import Resource

    rows = (
        Resource.objects.filter(pk__in=ids, date__isnull=False)
        .annotate(y=ExtractYear("date"))
        .values("y")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {str(row["y"]): row["n"] for row in rows}


def _link_counts(name: str, ids: QuerySet) -> dict[int, int]:
    if name in ("topic", "region"):
        return subtree_counts(name, ids)
    through, column = link_table(name)
    links = through.objects.filter(resource_id__in=ids)
    rows = links.values(column).annotate(n=Count("resource_id")).order_by()
    return {row[column]: row["n"] for row in rows}


def subtree_counts(name: str, resources: QuerySet) -> dict[int, int]:
    """Topic or region id → how many of ``resources`` sit at or beneath it."""
    through, column = link_table(name)
    links = through.objects.filter(resource_id__in=resources.order_by().values("pk"))
    parent = dict(LOOKUPS[name][0].objects.values_list("pk", "parent_id"))
    members: dict[int, set[int]] = defaultdict(set)
    for resource_id, term_id in links.values_list("resource_id", column):
        node = term_id
        while node is not None:
            members[node].add(resource_id)
            node = parent.get(node)
    return {term_id: len(resources) for term_id, resources in members.items()}


def _label(name: str, counts: dict) -> list[FacetValue]:
    if name == "year":
        return [FacetValue(year, year, n) for year, n in counts.items()]
    model, key, label_field = LOOKUPS[name]
    terms = model.objects.filter(pk__in=list(counts)).values_list(
        "pk", key, label_field
    )
    return [FacetValue(value, label, counts[pk]) for pk, value, label in terms]


def _unmatched(name: str, chosen: set[str]) -> list[FacetValue]:
    """Selected values that no hit has, counted 0; unknown values are left out."""
    if not chosen:
        return []
    if name == "year":
        return [FacetValue(v, v, 0) for v in chosen if year_number(v) is not None]
    model, key, label_field = LOOKUPS[name]
    terms = model.objects.filter(**{f"{key}__in": chosen}).values_list(key, label_field)
    return [FacetValue(value, label, 0) for value, label in terms]
