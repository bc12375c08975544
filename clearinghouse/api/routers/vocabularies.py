"""Organisations, topics and regions, each with how many records the caller
may see in it (counted through the visibility policy, so a draft or a
restricted record never shows, not even as a number)."""

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from ninja import Query, Router
from pydantic import Field

from clearinghouse.api import schemas
from clearinghouse.api.pagination import PageQuery, page_links, page_of
from clearinghouse.api.problems import ApiProblem, answers
from clearinghouse.catalog.models import (
    Organisation,
    Region,
    Resource,
    ResourcePublisher,
    Topic,
)
from clearinghouse.search.facets import subtree_counts

router = Router(tags=["vocabularies"])


class OrganisationQuery(PageQuery):
    q: str = Field("", max_length=200, description="Part of a name or acronym.")
    kind: str = ""


@router.get(
    "/organisations",
    response=answers({200: schemas.OrganisationPage}, 404),
    summary="List organisations",
)
def list_organisations(
    request: HttpRequest, query: Query[OrganisationQuery], response: HttpResponse
) -> dict:
    """Organisations A–Z, each with the records the caller may see from it."""
    organisations = Organisation.objects.select_related("country")
    if query.q.strip():
        words = query.q.strip()
        organisations = organisations.filter(
            Q(name__icontains=words) | Q(acronym__iexact=words)
        )
    if query.kind:
        organisations = organisations.filter(kind=query.kind)
    items, total, pages = page_of(organisations, query.page, query.page_size)
    counts = publisher_counts(request, [org.pk for org in items])
    return {
        "total": total,
        **page_links(request, response, query.page, pages, query.page_size),
        "results": [
            organisation_dict(org, counts.get(org.pk, 0), request) for org in items
        ],
    }


@router.get(
    "/organisations/{slug}",
    response=answers({200: schemas.Organisation}, 404),
    summary="One organisation",
)
def get_organisation(request: HttpRequest, slug: str) -> dict:
    org = Organisation.objects.select_related("country").filter(slug=slug).first()
    if org is None:
        raise ApiProblem(404, f"There is no organisation {slug!r}.")
    count = publisher_counts(request, [org.pk]).get(org.pk, 0)
    return organisation_dict(org, count, request)


def resources_url(request: HttpRequest, **filters: str) -> str:
    """The API's list of resources narrowed by these filters."""
    return request.build_absolute_uri(
        f"{reverse('api-1:list_resources')}?{urlencode(filters)}"
    )


def publisher_counts(request: HttpRequest, org_ids: list[int]) -> dict[int, int]:
    visible = Resource.objects.visible_to(request.user).values("pk")
    rows = (
        ResourcePublisher.objects.filter(
            organisation_id__in=org_ids, resource_id__in=visible
        )
        .values("organisation_id")
        .annotate(n=Count("resource_id", distinct=True))
        .order_by()
    )
    return {row["organisation_id"]: row["n"] for row in rows}


def organisation_dict(org: Organisation, count: int, request: HttpRequest) -> dict:
    return {
        "slug": org.slug,
        "name": org.name,
        "acronym": org.acronym,
        "aliases": [str(alias) for alias in org.aliases or []],
        "kind": org.kind,
        "country": org.country.code if org.country else None,
        "website": org.website or None,
        "description": org.description,
        "url": request.build_absolute_uri(org.get_absolute_url()),
        "resources": count,
        "resources_url": resources_url(request, publisher=org.slug),
    }


@router.get(
    "/topics",
    response=answers({200: list[schemas.TopicNode]}),
    summary="The topic tree",
)
def list_topics(request: HttpRequest) -> list[dict]:
    """Every topic as a tree, each with the records the caller may see at or
    below it (a filter on a topic includes its subtree)."""
    counts = topic_counts(request)
    children: dict[int | None, list[Topic]] = {}
    for topic in Topic.objects.all():
        children.setdefault(topic.parent_id, []).append(topic)

    def node(topic: Topic) -> dict:
        return {
            **topic_fields(topic, counts, request),
            "description": topic.description,
            "url": request.build_absolute_uri(topic.get_absolute_url()),
            "children": [node(child) for child in children.get(topic.pk, [])],
        }

    return [node(root) for root in children.get(None, [])]


@router.get(
    "/topics/{slug}",
    response=answers({200: schemas.TopicDetail}, 404),
    summary="One topic",
)
def get_topic(request: HttpRequest, slug: str) -> dict:
    topic = Topic.objects.filter(slug=slug).select_related("parent").first()
    if topic is None:
        raise ApiProblem(404, f"There is no topic {slug!r}.")
    counts = topic_counts(request)
    return {
        **topic_fields(topic, counts, request),
        "description": topic.description,
        "url": request.build_absolute_uri(topic.get_absolute_url()),
        "resources_url": resources_url(request, topic=slug),
        "parent": topic_fields(topic.parent, counts, request) if topic.parent else None,
        "ancestors": [topic_fields(t, counts, request) for t in topic.ancestors()],
        "children": [topic_fields(t, counts, request) for t in topic.children.all()],
    }


def topic_counts(request: HttpRequest) -> dict[int, int]:
    return subtree_counts("topic", Resource.objects.visible_to(request.user))


def topic_fields(topic: Topic, counts: dict[int, int], request: HttpRequest) -> dict:
    return {"slug": topic.slug, "name": topic.name, "count": counts.get(topic.pk, 0)}


@router.get(
    "/regions", response=answers({200: list[schemas.Region]}), summary="Regions"
)
def list_regions(
    request: HttpRequest,
    kind: str = Query("", description="world, region, subregion, country …"),
) -> list[dict]:
    """Countries (ISO 3166) and regions (UN M49), A–Z, each with the records
    the caller may see in it or anywhere below it."""
    counts = subtree_counts("region", Resource.objects.visible_to(request.user))
    regions: QuerySet = Region.objects.select_related("parent")
    if kind:
        regions = regions.filter(kind=kind)
    return [
        {
            "code": region.code,
            "slug": region.slug,
            "name": region.name,
            "kind": region.kind,
            "parent": region.parent.slug if region.parent else None,
            "count": counts.get(region.pk, 0),
        }
        for region in regions
    ]
