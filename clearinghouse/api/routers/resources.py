"""Resources: list, read and related (anyone); create, change and move through
the workflow (curators, with the admin's permissions)."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import http_date
from ninja import Query, Router, Status

from clearinghouse.api import editing, serialise
from clearinghouse.api.auth import WRITE_AUTH, require
from clearinghouse.api.lookup import by_identifier, visible_resource
from clearinghouse.api.pagination import PageQuery, page_links
from clearinghouse.api.problems import ApiProblem, answers
from clearinghouse.api.routers.search import FilterQuery
from clearinghouse.api.schemas import (
    RecordCreate,
    RecordPatch,
    RelatedResponse,
    ResourceDetail,
    ResourcePage,
    ResourceSaved,
    WorkflowRequest,
)
from clearinghouse.catalog.models import Resource
from clearinghouse.catalog.related import related_resources
from clearinghouse.catalog.visibility import is_curator
from clearinghouse.search.engine import PageOutOfRange, search
from clearinghouse.search.filters import SearchParams

router = Router(tags=["resources"])

MAX_RELATED = 20


class ListQuery(FilterQuery, PageQuery):
    pass


@router.get(
    "/resources", response=answers({200: ResourcePage}, 404), summary="List resources"
)
def list_resources(
    request: HttpRequest, query: Query[ListQuery], response: HttpResponse
) -> dict:
    """Every resource the caller may see, newest first, narrowed by the same
    words and filters as /api/search (without facets), a page at a time."""
    params = SearchParams.from_querydict(request.GET)
    params.page = query.page
    try:
        result = search(
            params, request.user, page_size=query.page_size, with_facets=False
        )
    except PageOutOfRange as error:
        raise ApiProblem(404, str(error)) from None
    resources = [hit.resource for hit in result.hits]
    set_last_modified(response, resources)
    return {
        "total": result.total,
        **page_links(request, response, result.page, result.pages, query.page_size),
        "notices": result.notices,
        "results": [serialise.resource_summary(r, request) for r in resources],
    }


@router.get(
    "/resources/{resource_id}",
    response=answers({200: ResourceDetail}, 404, 410),
    exclude_unset=True,
    url_name="resource",
    summary="One resource by id or slug",
)
def get_resource(
    request: HttpRequest, resource_id: str, response: HttpResponse
) -> dict:
    """The record's description and documents; curators also get ``curation``.
    A withdrawn record answers 410 with the reason."""
    resource = visible_resource(request, resource_id)
    set_last_modified(response, [resource])
    return serialise.resource_detail(resource, request)


@router.get(
    "/resources/{resource_id}/related",
    response=answers({200: RelatedResponse}, 404, 410),
    summary="Resources related to one",
)
def get_related(
    request: HttpRequest,
    resource_id: str,
    limit: int = Query(4, ge=1, le=MAX_RELATED),
) -> dict:
    """Others the caller may see that share the most topics, then publishers
    and regions (as on the record's page)."""
    resource = visible_resource(request, resource_id)
    related = related_resources(resource, request.user, limit=limit)
    return {"results": [serialise.resource_summary(r, request) for r in related]}


@router.post(
    "/resources",
    auth=WRITE_AUTH,
    response=answers({201: ResourceSaved}, 403, 409, 422),
    exclude_unset=True,
    summary="Create a draft resource",
)
def create_resource(
    request: HttpRequest, payload: RecordCreate, response: HttpResponse
) -> Status:
    """A new draft from native-format fields (docs/formats.md). Needs the
    catalog.add_resource permission; a record the library already holds (same
    id, DOI, or title with the same URL or year) answers 409 pointing at it."""
    require(request, "catalog.add_resource", "create resources")
    resource, new_terms = editing.create_resource(
        payload.model_dump(exclude_unset=True), request.user
    )
    response["Location"] = request.build_absolute_uri(
        reverse("api-1:resource", args=[resource.uid])
    )
    return Status(201, saved(resource, new_terms, request))


@router.patch(
    "/resources/{resource_id}",
    auth=WRITE_AUTH,
    response=answers({200: ResourceSaved}, 403, 404, 410, 422),
    exclude_unset=True,
    summary="Change a resource",
)
def update_resource(
    request: HttpRequest, resource_id: str, payload: RecordPatch
) -> dict:
    """Replace the fields sent (a JSON merge patch; null clears a field).
    Needs catalog.change_resource. Status changes through the workflow."""
    resource = visible_resource(request, resource_id)
    require(request, "catalog.change_resource", "change resources")
    resource, new_terms = editing.update_resource(
        resource, payload.model_dump(exclude_unset=True), request.user
    )
    return saved(resource, new_terms, request)


@router.post(
    "/resources/{resource_id}/workflow",
    auth=WRITE_AUTH,
    response=answers({200: ResourceDetail}, 403, 404, 409, 410, 422),
    exclude_unset=True,
    summary="Submit, publish, send back, withdraw or restore a resource",
)
def move_resource(
    request: HttpRequest, resource_id: str, payload: WorkflowRequest
) -> dict:
    """Apply a workflow action, as the admin's buttons do: ``submit`` (editors),
    ``publish``, ``send_back`` (with a comment), ``withdraw`` (with a reason),
    ``restore_draft`` (reviewers). Withdrawn records are found here too."""
    resource = workflow_target(request, resource_id)
    editing.apply_workflow(resource, payload.action, payload.comment, request.user)
    resource.refresh_from_db()
    return serialise.resource_detail(resource, request)


def workflow_target(request: HttpRequest, identifier: str) -> Resource:
    """A record the caller may see, or a withdrawn one (to restore it)."""
    tombstone = by_identifier(
        Resource.objects.tombstones_visible_to(request.user), identifier
    )
    if tombstone is not None and is_curator(request.user):
        return tombstone
    return visible_resource(request, identifier)


def saved(resource: Resource, new_terms: dict, request: HttpRequest) -> dict:
    resource.refresh_from_db()
    return {
        **serialise.resource_detail(resource, request),
        "new_terms": new_terms,
    }


def set_last_modified(response: HttpResponse, resources: list[Resource]) -> None:
    """When the newest of these records last changed (HTTP date)."""
    if resources:
        newest = max(r.updated_at for r in resources)
        response["Last-Modified"] = http_date(newest.timestamp())
