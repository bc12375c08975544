"""The shapes the API answers with, as ninja schemas: they are its OpenAPI
document, and every response is checked against them before it goes out.

``api/serialise.py`` builds the dicts; these say what the dicts hold.
"""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StringConstraints, field_validator


class ResourceSummary(Schema):
    id: str = Field(description="Stable identifier (a UUID).")
    slug: str
    url: str = Field(description="The record's page.")
    title: str
    type: str | None = Field(description="The first type's label.")
    types: list[str]
    date: str | None = Field(description="'2021', '2022-05' or '2021-09-01'.")
    publishers: list[str]
    topics: list[str]
    summary: str


class FoundOnPages(Schema):
    document: str
    url: str
    pages: list[int]
    total: int


class SearchHit(ResourceSummary):
    snippet: str = Field(description="HTML: escaped text, <mark> around matches.")
    score: float | None
    found_on_pages: list[FoundOnPages] | None = Field(
        None,
        description="Only when the words are on pages of a document the caller "
        "may download.",
    )


class FacetValue(Schema):
    value: str
    label: str
    count: int


class Facets(Schema):
    type: list[FacetValue]
    topic: list[FacetValue]
    publisher: list[FacetValue]
    year: list[FacetValue]
    language: list[FacetValue]
    region: list[FacetValue]


class SearchResponse(Schema):
    total: int
    page: int
    pages: int
    sort: str
    mode: str = Field(
        description="How the results were ranked: keyword, semantic or hybrid."
    )
    notices: list[str]
    did_you_mean: str | None = Field(
        None,
        description="A corrected query, when this one found little or nothing.",
    )
    results: list[SearchHit]
    facets: Facets


class ResourcePage(Schema):
    total: int
    page: int
    pages: int
    page_size: int
    next: str | None
    previous: str | None
    notices: list[str]
    results: list[ResourceSummary]


class DocumentOut(Schema):
    title: str
    format: str
    size: int
    pages: int | None
    url: str | None = Field(description="Null when the caller may not download it.")


class DocumentFile(Schema):
    """A document as curators see it, whatever its extraction state."""

    id: int
    name: str
    title: str
    media_type: str
    format: str
    size: int
    pages: int | None
    state: str = Field(description="queued, processing, done or failed.")
    failure: str


class Curation(Schema):
    """What curators (and only they) see of a record."""

    status: str
    access: str
    groups: list[str]
    document_access: str
    embargo_until: str | None
    featured: bool
    review_comment: str
    created_at: str
    updated_at: str
    created_by: str | None
    actions: list[str] = Field(description="Workflow actions the caller may apply.")
    history: list[dict[str, str]] = Field(
        description='{"action", "from", "to", "by", "at", "comment"}, oldest first.'
    )
    files: list[DocumentFile]


class ResourceDetail(ResourceSummary):
    subtitle: str
    abstract: str
    date_display: str
    citation: str
    authors: list[str]
    languages: list[str]
    regions: list[str]
    keywords: list[str]
    source_url: str | None
    doi: str | None
    isbn: str | None
    licence: str | None
    content_warning: str | None
    documents: list[DocumentOut]
    curation: Curation | None = Field(None, description="Only for curators.")


class ResourceSaved(ResourceDetail):
    new_terms: dict[str, list[str]] = Field(
        description="Organisations, people… that did not exist and were created."
    )


class RelatedResponse(Schema):
    results: list[ResourceSummary]


class ResourceRef(Schema):
    id: str
    slug: str
    title: str
    url: str
    api_url: str


class UploadResponse(Schema):
    status: str = Field(description="Always 'ok': other outcomes are problems.")
    resource: ResourceRef
    document: DocumentFile


class Organisation(Schema):
    slug: str
    name: str
    acronym: str
    aliases: list[str]
    kind: str
    country: str | None = Field(description="ISO 3166 code.")
    website: str | None
    description: str
    url: str
    resources: int = Field(description="Records the caller may see.")
    resources_url: str


class OrganisationPage(Schema):
    total: int
    page: int
    pages: int
    page_size: int
    next: str | None
    previous: str | None
    results: list[Organisation]


class TopicNode(Schema):
    slug: str
    name: str
    description: str
    url: str
    count: int = Field(description="Visible records at or below this topic.")
    children: list[TopicNode]


class TopicRef(Schema):
    slug: str
    name: str
    count: int


class TopicDetail(Schema):
    slug: str
    name: str
    description: str
    url: str
    count: int
    resources_url: str
    parent: TopicRef | None
    ancestors: list[TopicRef]
    children: list[TopicRef]


class Region(Schema):
    code: str
    slug: str
    name: str
    kind: str
    parent: str | None = Field(description="The parent region's slug.")
    count: int = Field(description="Visible records in this region or below it.")


class SuggestedResource(Schema):
    id: str
    slug: str
    title: str
    url: str


class SuggestedTerm(Schema):
    slug: str
    name: str
    url: str


class SuggestedOrganisation(SuggestedTerm):
    acronym: str


class Suggestions(Schema):
    query: str
    resources: list[SuggestedResource]
    topics: list[SuggestedTerm]
    organisations: list[SuggestedOrganisation]


# Input -----------------------------------------------------------------------
# The native record's fields (docs/formats.md), less those the API keeps to
# itself: status (the workflow endpoint changes it), id, added, provenance,
# documents (uploaded) and withdrawn_reason (the workflow's).

# At least one character that is not blank by any of the rules that meet here:
# JSON Schema's (ECMAScript), pydantic's (Rust) and str.strip's (Python).
NOT_BLANK = r"[^\s\x1c-\x1f\x85\ufeff]"
WEB_ADDRESS = r"^(https?://\S+)?$"
PARTIAL_DATE = r"^\d{4}(-\d{2}){0,2}$"
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
# Pydantic's "String should match pattern …" in words.
PATTERN_MESSAGES = {
    NOT_BLANK: "must not be blank",
    WEB_ADDRESS: "must be a web address starting with http:// or https://",
    PARTIAL_DATE: "must be YYYY, YYYY-MM or YYYY-MM-DD",
    ISO_DATE: "must be a date, YYYY-MM-DD",
}
Text = Field(None, max_length=10_000)
Terms = Field(None, max_length=200)
Term = Annotated[str, StringConstraints(max_length=200)]


class RecordPatch(Schema):
    # Strict: JSON's 0 is not false and 1 is not "1"; what is sent is what is meant.
    model_config = {"extra": "forbid", "strict": True}

    title: str | None = Field(None, max_length=500, pattern=NOT_BLANK)
    subtitle: str | None = Field(None, max_length=500)
    slug: str | None = Field(None, max_length=120)
    summary: str | None = Text
    abstract: str | None = Text
    types: list[Term] | None = Terms
    date: str | None = Field(
        None, pattern=PARTIAL_DATE, description="'2021', '2022-05' or '2021-09-01'."
    )
    publishers: list[Term] | None = Terms
    authors: list[Term] | None = Terms
    topics: list[Term] | None = Terms
    regions: list[Term] | None = Terms
    languages: list[Term] | None = Terms
    keywords: list[Term] | None = Terms
    url: str | None = Field(None, max_length=1000, pattern=WEB_ADDRESS)
    doi: str | None = Field(None, max_length=200)
    isbn: str | None = Field(None, max_length=40)
    licence: str | None = Field(None, max_length=200)
    access: Literal["public", "members", "groups"] | None = None
    groups: list[Term] | None = Terms
    document_access: Literal["public", "members", "groups"] | None = None
    embargo_until: str | None = Field(None, pattern=ISO_DATE)
    content_warning: str | None = Field(None, max_length=300)
    featured: bool | None = None

    @field_validator("*")
    @classmethod
    def no_nul(cls, value: object) -> object:
        # NUL cannot be stored in PostgreSQL text, and no real title holds one.
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and "\x00" in v for v in values):
            raise ValueError("must not contain NUL characters")
        return value


class RecordCreate(RecordPatch):
    title: str = Field(max_length=500, pattern=NOT_BLANK)


class WorkflowRequest(Schema):
    model_config = {"extra": "forbid", "strict": True}

    action: Literal["submit", "publish", "send_back", "withdraw", "restore_draft"]
    comment: str = Field("", max_length=2000)


TopicNode.model_rebuild()
