"""``GET /api/suggest?q=``: search-as-you-type.

Titles of records the caller may see whose words start with what was typed
(the last word as a prefix: "online gro" finds "Online grooming …"), found by
the full-text index's prefix query on the title column; then topics, and
organisations that publish something the caller may see, by name.
"""

from django.db.models import F, Q
from django.http import HttpRequest
from ninja import Query, Router

from clearinghouse.api.problems import answers
from clearinghouse.api.schemas import Suggestions
from clearinghouse.catalog.models import (
    Organisation,
    Resource,
    ResourcePublisher,
    Topic,
)
from clearinghouse.search import query as query_parser
from clearinghouse.search.backends import get_backend

router = Router(tags=["search"])

SUGGESTIONS = 6
# Titles are ranked among the newest matches: enough to find the best few
# without ranking every title that shares a common prefix.
CANDIDATES = 50
MAX_TYPED = 100


@router.get(
    "/suggest", response=answers({200: Suggestions}), summary="Suggestions as you type"
)
def suggest(request: HttpRequest, q: str = Query("", max_length=MAX_TYPED)) -> dict:
    """Up to six titles, topics and organisations for what has been typed so far."""
    typed = q.replace("\x00", " ")
    return {
        "query": q,
        "resources": [
            {
                "id": str(r.uid),
                "slug": r.slug,
                "title": r.title,
                "url": request.build_absolute_uri(r.get_absolute_url()),
            }
            for r in suggested_titles(typed, request.user)
        ],
        "topics": [
            {
                "slug": t.slug,
                "name": t.name,
                "url": request.build_absolute_uri(t.get_absolute_url()),
            }
            for t in suggested_topics(typed)
        ],
        "organisations": [
            {
                "slug": o.slug,
                "name": o.name,
                "acronym": o.acronym,
                "url": request.build_absolute_uri(o.get_absolute_url()),
            }
            for o in suggested_organisations(typed, request.user)
        ],
    }


def title_expression(typed: str) -> str | None:
    """An FTS5 expression for titles holding the typed words, the last one as
    a prefix unless a space ends it: "online gro" → title : ("online" AND "gro" *)."""
    if not typed.strip():
        return None
    ends_word = typed[-1].isspace() or typed.rstrip().endswith(("*", '"'))
    parsed = query_parser.parse(typed if ends_word else typed + "*")
    expression = parsed.match_expression()
    return f"title : ({expression})" if expression else None


def suggested_titles(typed: str, viewer: object) -> list[Resource]:
    expression = title_expression(typed)
    if expression is None:
        return []
    candidates = list(
        Resource.objects.visible_to(viewer)
        .filter(pk__in=get_backend().matching(expression))
        .order_by(F("date").desc(nulls_last=True), "-pk")
        .only("uid", "slug", "title")[:CANDIDATES]
    )
    start = typed.strip().casefold()
    # Titles that begin with what was typed first, then the shorter ones.
    candidates.sort(
        key=lambda r: (not r.title.casefold().startswith(start), len(r.title))
    )
    return candidates[:SUGGESTIONS]


def starts_a_word(field: str, typed: str) -> Q:
    return Q(**{f"{field}__istartswith": typed}) | Q(
        **{f"{field}__icontains": f" {typed}"}
    )


def suggested_topics(typed: str) -> list[Topic]:
    typed = typed.strip()
    if len(typed) < 2:
        return []
    return list(Topic.objects.filter(starts_a_word("name", typed))[:SUGGESTIONS])


def suggested_organisations(typed: str, viewer: object) -> list[Organisation]:
    typed = typed.strip()
    if len(typed) < 2:
        return []
    publishing = ResourcePublisher.objects.filter(
        resource_id__in=Resource.objects.visible_to(viewer).values("pk")
    ).values("organisation_id")
    return list(
        Organisation.objects.filter(
            starts_a_word("name", typed) | Q(acronym__istartswith=typed),
            pk__in=publishing,
        )[:SUGGESTIONS]
    )
