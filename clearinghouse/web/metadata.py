"""A record described for machines, in the four vocabularies its page carries.

Reference managers and crawlers read a detail page's ``<head>``: Zotero and
Google Scholar read Highwire Press ``citation_*`` tags first, then Dublin Core;
search engines read schema.org JSON-LD; link previews read OpenGraph. All four
are built here from one ``Description`` of the record, so they never disagree.

Two decisions shape them (docs/operating.md repeats them for operators):

- **Creators.** Personal authors, in order. A record without any is credited
  to its publishing organisations, as sector reports are cited ("UNICEF
  (2021) …"); Zotero's Embedded Metadata translator reads each
  ``citation_author`` as one creator, so each organisation gets its own tag.
- **Links to files** (``citation_pdf_url``, ``og:image``, JSON-LD ``encoding``)
  appear only where an anonymous reader may download the document, so a page
  never advertises a file most of its readers would be refused, and the head
  is the same whoever is signed in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from clearinghouse.catalog.models import Document, Resource
from clearinghouse.catalog.visibility import may_download
from clearinghouse.web.covers import detail_cover
from clearinghouse.web.templatetags.library import bare_doi, doi_url, filesize

# Grey literature: Zotero files a page with citation_technical_report_institution
# as a "report" (the publisher becomes its institution), which suits these.
REPORT_TYPES = {
    "report",
    "briefing",
    "guidance",
    "toolkit",
    "good-practice",
    "policy-legislation",
    "training-material",
}

# Our type (the record's first, in vocabulary order) → schema.org type.
SCHEMA_TYPES = {
    "report": "Report",
    "briefing": "Report",
    "research-article": "ScholarlyArticle",
    "guidance": "CreativeWork",
    "toolkit": "CreativeWork",
    "online-tool": "WebSite",
    "good-practice": "CreativeWork",
    "blog-post": "BlogPosting",
    "policy-legislation": "Legislation",
    "dataset": "Dataset",
    "video": "VideoObject",
    "training-material": "LearningResource",
    "news": "NewsArticle",
}

OG_DESCRIPTION_CHARS = 300


@dataclass(frozen=True)
class Named:
    name: str
    url: str = ""  # absolute; "" when there is no page for it


@dataclass(frozen=True)
class Download:
    url: str  # absolute
    media_type: str
    size: int
    name: str


@dataclass
class Description:
    """What the four vocabularies say about a record, with absolute URLs."""

    page_url: str
    title: str
    subtitle: str
    summary: str
    abstract: str
    type_slug: str  # the first type; "" for an untyped record
    type_label: str
    persons: list[str]
    publishers: list[Named]
    date_iso: str  # "2021", "2022-05", "2021-09-01" or ""
    modified: str  # ISO datetime of the last change
    languages: list[str]  # ISO 639-1
    topics: list[Named]
    keywords: list[str]
    regions: list[str]
    doi: str  # bare: "10.1000/xyz"
    isbn: str
    licence: str
    source_url: str
    status: str
    downloads: list[Download] = field(default_factory=list)  # public ones only
    image_url: str = ""  # the cover, when public

    @property
    def full_title(self) -> str:
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title

    @property
    def creators(self) -> list[str]:
        """Personal authors; the publishers when there are none."""
        return self.persons or [org.name for org in self.publishers]

    @property
    def pdf_url(self) -> str:
        pdfs = [d.url for d in self.downloads if d.media_type == "application/pdf"]
        return pdfs[0] if pdfs else ""

    @property
    def subjects(self) -> list[str]:
        """Keywords, then topic names, each once."""
        return list(dict.fromkeys([*self.keywords, *(t.name for t in self.topics)]))


def describe(
    request: HttpRequest, resource: Resource, documents: Iterable[Document]
) -> Description:
    """Gather everything the vocabularies say about ``resource``, once."""
    absolute = request.build_absolute_uri
    types = list(resource.types.all())
    public_files = may_download(AnonymousUser(), resource)
    documents = [d for d in documents if d.state == Document.State.DONE]
    cover = detail_cover(documents, public_files)
    return Description(
        page_url=absolute(resource.get_absolute_url()),
        title=resource.title,
        subtitle=resource.subtitle,
        summary=resource.summary,
        abstract=resource.abstract,
        type_slug=types[0].slug if types else "",
        type_label=types[0].label if types else "",
        persons=[person.name for person in resource.ordered_authors()],
        publishers=[
            Named(org.name, absolute(org.get_absolute_url()))
            for org in resource.ordered_publishers()
        ],
        date_iso=resource.date_iso,
        modified=resource.updated_at.isoformat(timespec="seconds"),
        languages=[language.code for language in resource.languages.all()],
        topics=[
            Named(t.name, absolute(t.get_absolute_url())) for t in resource.topics.all()
        ],
        keywords=[str(k) for k in resource.keywords if str(k).strip()],
        regions=[region.name for region in resource.regions.all()],
        doi=bare_doi(resource.doi) if resource.doi else "",
        isbn=resource.isbn.strip(),
        licence=resource.licence.strip(),
        source_url=resource.url,
        status=resource.status,
        downloads=[_download(absolute, d) for d in documents] if public_files else [],
        image_url=absolute(cover.url) if cover else "",
    )


def _download(absolute, document: Document) -> Download:
    name = document.title or document.original_name or f"Document {document.pk}"
    return Download(
        absolute(document.get_absolute_url()),
        document.media_type,
        document.size,
        name,
    )


def slashed_date(date_iso: str) -> str:
    """ "2021-09-01" → "2021/09/01", the form Google Scholar documents and
    Zotero reads; a year or year-month stays as precise as it was."""
    return date_iso.replace("-", "/")


def highwire_tags(record: Description) -> list[tuple[str, str]]:
    """Highwire Press ``citation_*`` (name, content) pairs, in a stable order."""
    tags = [("citation_title", record.full_title)]
    tags += [("citation_author", name) for name in record.creators]
    publishers = ", ".join(org.name for org in record.publishers)
    if publishers:
        tags.append(("citation_publisher", publishers))
        if record.type_slug in REPORT_TYPES:
            tags.append(("citation_technical_report_institution", publishers))
    if record.date_iso:
        date = slashed_date(record.date_iso)
        tags += [("citation_publication_date", date), ("citation_date", date)]
    tags += [("citation_language", code) for code in record.languages]
    if record.doi:
        tags.append(("citation_doi", record.doi))
    if record.isbn:
        tags.append(("citation_isbn", record.isbn))
    tags += [("citation_keywords", subject) for subject in record.subjects]
    abstract = record.abstract or record.summary
    if abstract:
        tags.append(("citation_abstract", abstract))
    tags.append(("citation_abstract_html_url", record.page_url))
    tags.append(("citation_public_url", record.page_url))
    if record.pdf_url:
        tags.append(("citation_pdf_url", record.pdf_url))
    return tags


def dublin_core_tags(record: Description) -> list[tuple[str, str]]:
    """``DC.*`` and ``DCTERMS.*`` (name, content) pairs (DCMI's HTML profile)."""
    tags = [("DC.title", record.full_title)]
    tags += [("DC.creator", name) for name in record.creators]
    tags += [("DC.publisher", org.name) for org in record.publishers]
    if record.date_iso:
        tags += [("DC.date", record.date_iso), ("DCTERMS.issued", record.date_iso)]
    tags.append(("DCTERMS.modified", record.modified))
    if record.summary:
        tags.append(("DC.description", record.summary))
    if record.abstract:
        tags.append(("DCTERMS.abstract", record.abstract))
    if record.type_label:
        tags.append(("DC.type", record.type_label))
    tags += [("DC.language", code) for code in record.languages]
    tags += [("DC.subject", subject) for subject in record.subjects]
    tags += [("DC.coverage", region) for region in record.regions]
    tags.append(("DC.identifier", record.page_url))
    if record.doi:
        tags.append(("DC.identifier", doi_url(record.doi)))
    if record.isbn:
        tags.append(("DC.identifier", f"urn:isbn:{record.isbn}"))
    if record.licence:
        tags.append(("DC.rights", record.licence))
    if record.source_url:
        tags.append(("DC.relation", record.source_url))
    return tags


def opengraph_tags(record: Description, site_name: str) -> list[tuple[str, str]]:
    """OpenGraph (property, content) pairs for link previews (ogp.me)."""
    og_type = "video.other" if record.type_slug == "video" else "article"
    tags = [
        ("og:title", record.full_title),
        ("og:type", og_type),
        ("og:url", record.page_url),
        ("og:site_name", site_name),
    ]
    if record.summary:
        description = Truncator(record.summary).chars(OG_DESCRIPTION_CHARS)
        tags.append(("og:description", description))
    if record.image_url:
        tags.append(("og:image", record.image_url))
    if og_type == "article":
        if record.date_iso:
            tags.append(("article:published_time", record.date_iso))
        tags.append(("article:modified_time", record.modified))
        tags += [("article:tag", subject) for subject in record.subjects]
    return tags


def json_ld(record: Description, site_name: str, home_url: str) -> dict:
    """A schema.org description of the record (https://schema.org/CreativeWork)."""
    schema_type = SCHEMA_TYPES.get(record.type_slug, "CreativeWork")
    data: dict = {
        "@context": "https://schema.org",
        "@type": schema_type,
        "@id": record.page_url,
        "url": record.page_url,
        "name": record.full_title,
        "dateModified": record.modified,
    }
    _put(data, "description", record.summary)
    _put(data, "abstract", record.abstract)
    _put(data, "genre", record.type_label)
    _put(data, "datePublished", record.date_iso)
    creator_key = "creator" if schema_type == "Dataset" else "author"
    _put(data, creator_key, _creators(record))
    _put(data, "publisher", [_organisation(org) for org in record.publishers])
    _put(data, "inLanguage", record.languages)
    _put(data, "about", [_term(topic) for topic in record.topics])
    _put(data, "keywords", record.keywords)
    _put(
        data, "spatialCoverage", [{"@type": "Place", "name": r} for r in record.regions]
    )
    _put(data, "identifier", _identifiers(record))
    _put(data, "sameAs", [u for u in (_doi_link(record), record.source_url) if u])
    _put(data, "license", record.licence)
    _put(data, "thumbnailUrl", record.image_url)
    _put(data, "image", record.image_url)
    if schema_type == "Dataset":
        _put(data, "distribution", [_file(d, "DataDownload") for d in record.downloads])
        data["includedInDataCatalog"] = {
            "@type": "DataCatalog",
            "name": site_name,
            "url": home_url,
        }
    else:
        _put(data, "encoding", [_file(d, "MediaObject") for d in record.downloads])
    if schema_type == "VideoObject":
        _put(data, "uploadDate", record.date_iso)
    return data


def _put(data: dict, key: str, value: object) -> None:
    """Set ``key`` only when there is something to say: no empty strings or lists."""
    if value:
        data[key] = value


def _creators(record: Description) -> list[dict]:
    if record.persons:
        return [{"@type": "Person", "name": name} for name in record.persons]
    return [_organisation(org) for org in record.publishers]


def _organisation(org: Named) -> dict:
    return {"@type": "Organization", "name": org.name, "url": org.url}


def _term(topic: Named) -> dict:
    return {"@type": "DefinedTerm", "name": topic.name, "url": topic.url}


def _identifiers(record: Description) -> list[dict]:
    pairs = [("DOI", record.doi), ("ISBN", record.isbn)]
    return [
        {"@type": "PropertyValue", "propertyID": scheme, "value": value}
        for scheme, value in pairs
        if value
    ]


def _doi_link(record: Description) -> str:
    return doi_url(record.doi) if record.doi else ""


def _file(download: Download, schema_type: str) -> dict:
    data = {
        "@type": schema_type,
        "name": download.name,
        "contentUrl": download.url,
        "encodingFormat": download.media_type,
    }
    _put(data, "contentSize", filesize(download.size))
    return data


# What json_script escapes: inside <script>, "</script>" or "<!--" in a title
# must not end the data block, so <, > and & become JSON \u escapes.
SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> SafeString:
    """``<script type="application/ld+json">``: a data block, never executed."""
    text = json.dumps(data, ensure_ascii=False).translate(SCRIPT_ESCAPES)
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text)
    )


@dataclass(frozen=True)
class RecordMeta:
    """What ``web/partials/record_meta.html`` writes into a detail page's head."""

    page_url: str
    noindex: bool
    highwire: list[tuple[str, str]]
    dublin_core: list[tuple[str, str]]
    opengraph: list[tuple[str, str]]
    json_ld: SafeString


def record_meta(
    request: HttpRequest, resource: Resource, documents: Iterable[Document]
) -> RecordMeta:
    """Everything a detail page's head says about ``resource`` (its finished
    ``documents`` as the page lists them)."""
    site_name = settings.SITE_NAME
    record = describe(request, resource, documents)
    home_url = request.build_absolute_uri(reverse("home"))
    return RecordMeta(
        page_url=record.page_url,
        # A curator's preview of an unpublished record is no page to index.
        noindex=record.status != "published",
        highwire=highwire_tags(record),
        dublin_core=dublin_core_tags(record),
        opengraph=opengraph_tags(record, site_name),
        json_ld=json_ld_script(json_ld(record, site_name, home_url)),
    )
