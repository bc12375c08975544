"""Browsing pages: the topic tree with how much each topic holds."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clearinghouse.catalog.models import Resource, Topic
from clearinghouse.search.facets import subtree_counts


def topics(request: HttpRequest) -> HttpResponse:
    """Every topic, as a tree, each with the number of resources at or below it."""
    visible = Resource.objects.visible_to(request.user)
    counts = subtree_counts("topic", visible)
    nodes = list(Topic.objects.all())
    for node in nodes:
        node.n = counts.get(node.pk, 0)
    children: dict[int | None, list[Topic]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    for node in nodes:
        node.child_list = children.get(node.pk, [])
    return render(request, "web/topics.html", {"roots": children.get(None, [])})
