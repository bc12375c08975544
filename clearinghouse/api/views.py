"""The REST API (django-ninja): read endpoints over the one search function."""

import uuid

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError

from clearinghouse.api import serialise
from clearinghouse.catalog.models import Resource
from clearinghouse.search.engine import PageOutOfRange, search
from clearinghouse.search.filters import SearchParams

api = NinjaAPI(
    title="Clearinghouse API",
    version="1",
    description="Search and read the library. Returns only what the caller may see.",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


class SearchQuery(Schema):
    q: str = ""
    type: list[str] = []
    topic: list[str] = []
    publisher: list[str] = []
    year: list[str] = []
    language: list[str] = []
    region: list[str] = []
    author: list[str] = []
    sort: str = ""
    page: str = "1"


@api.get("/search", summary="Search the library, with facets")
def search_resources(request: HttpRequest, filters: Query[SearchQuery]) -> dict:
    params = SearchParams.from_querydict(request.GET)
    try:
        result = search(params, request.user)
    except PageOutOfRange as error:
        raise HttpError(404, str(error)) from None
    return serialise.search_to_dict(result, request)


@api.get("/resources/{resource_id}", summary="One resource by id or slug")
def get_resource(request: HttpRequest, resource_id: str) -> dict:
    visible = Resource.objects.visible_to(request.user)
    try:
        resource = visible.filter(uid=uuid.UUID(resource_id)).first()
    except ValueError:
        resource = visible.filter(slug=resource_id).first()
    if resource is None:
        raise Http404(f"No resource {resource_id!r}.")
    return serialise.resource_detail(resource, request)
