"""``GET /api/search``: the listing's search, with facets (a DESIGN.md contract)."""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from clearinghouse.api import serialise
from clearinghouse.api.problems import ApiProblem, answers
from clearinghouse.api.schemas import SearchResponse
from clearinghouse.search.engine import PageOutOfRange, search
from clearinghouse.search.filters import SearchParams

router = Router(tags=["search"])


class FilterQuery(Schema):
    """The listing's words, filters and sort order (see /library/)."""

    q: str = ""
    type: list[str] = []
    topic: list[str] = []
    publisher: list[str] = []
    year: list[str] = []
    language: list[str] = []
    region: list[str] = []
    author: list[str] = []
    sort: str = ""
    mode: str = Field(
        "",
        description="keyword, semantic (by meaning) or hybrid (both; the default "
        "where search by meaning is installed, else keyword).",
    )


class SearchQuery(FilterQuery):
    page: str = "1"


@router.get(
    "/search",
    response=answers({200: SearchResponse}, 404),
    exclude_unset=True,
    summary="Search the library, with facets",
)
def search_resources(request: HttpRequest, filters: Query[SearchQuery]) -> dict:
    """The same search, filters and facets as the /library/ page.

    Several values of one filter must all hold; a topic or region includes
    everything beneath it. Unknown filter values and sort orders are ignored
    and explained in ``notices``. A page past the last is a 404 problem.
    """
    params = SearchParams.from_querydict(request.GET)
    try:
        result = search(params, request.user)
    except PageOutOfRange as error:
        raise ApiProblem(404, str(error)) from None
    return serialise.search_to_dict(result, request)
