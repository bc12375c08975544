"""Detail pages as reference managers and crawlers read them: Highwire Press
``citation_*`` tags (Zotero, Google Scholar), Dublin Core, schema.org JSON-LD
and OpenGraph, each read back by an independent extractor (extruct, lxml) and
compared with the record."""

import datetime
import json
import re

import extruct
import lxml.html
import pytest

from clearinghouse.catalog.models import Document, Person, ResourceAuthor
from tests.world import make_personas, make_resource

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
HOSTILE = '</script><script>alert(1)</script> &"<> <!-- a title'
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def add_pdf(resource, **overrides) -> Document:
    fields = {
        "resource": resource,
        "file": "files/gta.pdf",
        "original_name": "gta.pdf",
        "title": "Full report",
        "media_type": "application/pdf",
        "size": 2_400_000,
        "pages": 48,
        "thumbnail": "thumbnails/gta.webp",
        **overrides,
    }
    return Document.objects.create(**fields)


def add_authors(resource, *names: str) -> None:
    for position, name in enumerate(names):
        slug = name.lower().replace(" ", "-")
        person = Person.objects.create(name=name, slug=slug)
        ResourceAuthor.objects.create(
            resource=resource, person=person, position=position
        )


def make_report(title: str = "Global threat assessment 2021", **overrides):
    fields = {
        "subtitle": "Working together to end the sexual abuse of children online",
        "summary": "How offenders reach children online, and what stops them.",
        "abstract": "An assessment of the threat, in four parts.",
        "types": ("report",),
        "topics": ("sextortion", "encryption"),
        "publishers": ("WeProtect Global Alliance", "Economist Impact"),
        "regions": ("GB", "KE"),
        "languages": ("en", "fr"),
        "keywords": ["grooming", "livestreaming"],
        "doi": "https://doi.org/10.1234/GTA.2021",
        "isbn": "978-92-806-5355-9",
        "licence": "CC BY 4.0",
        "url": "https://example.org/global-threat-assessment",
        "date": datetime.date(2021, 9, 1),
        "date_precision": "day",
        "slug": "global-threat-assessment",
        **overrides,
    }
    return make_resource(title, **fields)


def page(client, resource) -> str:
    response = client.get(resource.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def meta_pairs(html: str, prefix: str, attribute: str = "name") -> list:
    """(name, content) of every <meta> in <head> whose name starts with prefix."""
    head = lxml.html.fromstring(html).find("head")
    return [
        (meta.get(attribute), meta.get("content"))
        for meta in head.iter("meta")
        if (meta.get(attribute) or "").startswith(prefix)
    ]


def extract(html: str, syntax: str):
    return extruct.extract(html, base_url=BASE, syntaxes=[syntax], uniform=False)[
        syntax
    ]


def subjects(resource) -> list[str]:
    """Keywords, then topic names: what citation_keywords and DC.subject say."""
    return [*resource.keywords, *(topic.name for topic in resource.topics.all())]


def test_it_gives_zotero_the_highwire_tags_of_a_report(client):
    report = make_report()
    add_authors(report, "Jane Doe", "Amir Khan")
    document = add_pdf(report)
    url = f"{BASE}/resources/global-threat-assessment/"
    publishers = "WeProtect Global Alliance, Economist Impact"
    assert meta_pairs(page(client, report), "citation_") == [
        (
            "citation_title",
            "Global threat assessment 2021: Working together to end the sexual "
            "abuse of children online",
        ),
        ("citation_author", "Jane Doe"),
        ("citation_author", "Amir Khan"),
        ("citation_publisher", publishers),
        ("citation_technical_report_institution", publishers),
        ("citation_publication_date", "2021/09/01"),
        ("citation_date", "2021/09/01"),
        ("citation_language", "en"),
        ("citation_language", "fr"),
        ("citation_doi", "10.1234/GTA.2021"),
        ("citation_isbn", "978-92-806-5355-9"),
        *[("citation_keywords", subject) for subject in subjects(report)],
        ("citation_abstract", "An assessment of the threat, in four parts."),
        ("citation_abstract_html_url", url),
        ("citation_public_url", url),
        (
            "citation_pdf_url",
            f"{BASE}/resources/{report.slug}/documents/{document.pk}/",
        ),
    ]


def test_it_credits_the_publishers_when_no_person_is_named(client):
    report = make_report(publishers=("UNICEF", "ECPAT International"))
    html = page(client, report)
    assert meta_pairs(html, "citation_author") == [
        ("citation_author", "UNICEF"),
        ("citation_author", "ECPAT International"),
    ]
    assert meta_pairs(html, "DC.creator") == [
        ("DC.creator", "UNICEF"),
        ("DC.creator", "ECPAT International"),
    ]
    data = extract(html, "json-ld")[0]
    assert data["author"] == [
        {
            "@type": "Organization",
            "name": "UNICEF",
            "url": f"{BASE}/organisations/unicef/",
        },
        {
            "@type": "Organization",
            "name": "ECPAT International",
            "url": f"{BASE}/organisations/ecpat-international/",
        },
    ]


@pytest.mark.parametrize(
    ("date", "precision", "highwire", "iso"),
    [
        (datetime.date(2019, 1, 1), "year", "2019", "2019"),
        (datetime.date(2022, 5, 1), "month", "2022/05", "2022-05"),
        (datetime.date(2021, 9, 1), "day", "2021/09/01", "2021-09-01"),
    ],
)
def test_it_writes_dates_at_their_precision(client, date, precision, highwire, iso):
    html = page(client, make_report(date=date, date_precision=precision))
    assert meta_pairs(html, "citation_publication_date") == [
        ("citation_publication_date", highwire)
    ]
    assert meta_pairs(html, "DC.date") == [("DC.date", iso)]
    assert extract(html, "json-ld")[0]["datePublished"] == iso


def test_it_leaves_out_what_the_record_does_not_say(client):
    bare = make_resource("Untitled note", types=(), languages=(), summary="")
    html = page(client, bare)
    names = [name for name, _ in meta_pairs(html, "citation_")]
    assert names == [
        "citation_title",
        "citation_publication_date",
        "citation_date",
        "citation_abstract_html_url",
        "citation_public_url",
    ]
    data = extract(html, "json-ld")[0]
    assert data["@type"] == "CreativeWork"
    assert "author" not in data and "encoding" not in data


def test_it_describes_the_record_in_dublin_core(client):
    report = make_report()
    add_authors(report, "Jane Doe")
    report.refresh_from_db()
    html = page(client, report)
    [found] = extract(html, "dublincore")
    assert found["namespaces"] == {
        "DC": "http://purl.org/dc/elements/1.1/",
        "DCTERMS": "http://purl.org/dc/terms/",
    }
    pairs = [
        (item["name"], item["content"])
        for item in found["elements"] + found["terms"]
        if item.get("name", "").startswith(("DC.", "DCTERMS."))
    ]
    expected = [
        ("DC.title", report.title + ": " + report.subtitle),
        ("DC.creator", "Jane Doe"),
        ("DC.publisher", "WeProtect Global Alliance"),
        ("DC.publisher", "Economist Impact"),
        ("DC.date", "2021-09-01"),
        ("DCTERMS.issued", "2021-09-01"),
        ("DCTERMS.modified", report.updated_at.isoformat(timespec="seconds")),
        ("DC.description", report.summary),
        ("DCTERMS.abstract", report.abstract),
        ("DC.type", "Report"),
        ("DC.language", "en"),
        ("DC.language", "fr"),
        *[("DC.subject", subject) for subject in subjects(report)],
        ("DC.coverage", "Kenya"),  # regions in alphabetical order
        ("DC.coverage", "United Kingdom"),
        ("DC.identifier", f"{BASE}/resources/global-threat-assessment/"),
        ("DC.identifier", "https://doi.org/10.1234/GTA.2021"),
        ("DC.identifier", "urn:isbn:978-92-806-5355-9"),
        ("DC.rights", "CC BY 4.0"),
        ("DC.relation", "https://example.org/global-threat-assessment"),
    ]
    # extruct lists elements and terms apart; the page's order is kept in each.
    assert sorted(pairs) == sorted(expected)
    assert meta_pairs(html, "DC") == expected


def test_it_describes_the_record_in_json_ld(client):
    report = make_report()
    add_authors(report, "Jane Doe", "Amir Khan")
    document = add_pdf(report)
    report.refresh_from_db()
    [data] = extract(page(client, report), "json-ld")
    url = f"{BASE}/resources/global-threat-assessment/"
    assert data == {
        "@context": "https://schema.org",
        "@type": "Report",
        "@id": url,
        "url": url,
        "name": report.title + ": " + report.subtitle,
        "dateModified": report.updated_at.isoformat(timespec="seconds"),
        "description": report.summary,
        "abstract": report.abstract,
        "genre": "Report",
        "datePublished": "2021-09-01",
        "author": [
            {"@type": "Person", "name": "Jane Doe"},
            {"@type": "Person", "name": "Amir Khan"},
        ],
        "publisher": [
            {
                "@type": "Organization",
                "name": "WeProtect Global Alliance",
                "url": f"{BASE}/organisations/weprotect-global-alliance/",
            },
            {
                "@type": "Organization",
                "name": "Economist Impact",
                "url": f"{BASE}/organisations/economist-impact/",
            },
        ],
        "inLanguage": ["en", "fr"],
        "about": [
            {"@type": "DefinedTerm", "name": t.name, "url": f"{BASE}/topics/{t.slug}/"}
            for t in report.topics.all()
        ],
        "keywords": ["grooming", "livestreaming"],
        "spatialCoverage": [
            {"@type": "Place", "name": "Kenya"},
            {"@type": "Place", "name": "United Kingdom"},
        ],
        "identifier": [
            {
                "@type": "PropertyValue",
                "propertyID": "DOI",
                "value": "10.1234/GTA.2021",
            },
            {
                "@type": "PropertyValue",
                "propertyID": "ISBN",
                "value": "978-92-806-5355-9",
            },
        ],
        "sameAs": [
            "https://doi.org/10.1234/GTA.2021",
            "https://example.org/global-threat-assessment",
        ],
        "license": "CC BY 4.0",
        "thumbnailUrl": data["image"],
        "image": data["image"],
        "encoding": [
            {
                "@type": "MediaObject",
                "name": "Full report",
                "contentUrl": f"{url}documents/{document.pk}/",
                "encodingFormat": "application/pdf",
                "contentSize": "2.4 MB",
            }
        ],
    }
    assert data["image"].startswith(f"{url}documents/{document.pk}/thumbnail?v=")


def test_it_gives_link_previews_opengraph(client):
    report = make_report(summary="word " * 100)
    document = add_pdf(report)
    report.refresh_from_db()
    [found] = extract(page(client, report), "opengraph")
    properties = dict(found["properties"])
    url = f"{BASE}/resources/global-threat-assessment/"
    assert properties["og:title"] == report.title + ": " + report.subtitle
    assert properties["og:type"] == "article"
    assert properties["og:url"] == url
    assert properties["og:site_name"] == "Clearinghouse"
    assert len(properties["og:description"]) == 300
    assert properties["og:description"] == ("word " * 60)[:299] + "…"
    assert properties["og:image"].startswith(f"{url}documents/{document.pk}/thumbnail")
    assert properties["article:published_time"] == "2021-09-01"
    tags = [value for name, value in found["properties"] if name == "article:tag"]
    assert tags == subjects(report)


@pytest.mark.parametrize(
    ("type_slug", "schema_type", "og_type"),
    [
        ("research-article", "ScholarlyArticle", "article"),
        ("briefing", "Report", "article"),
        ("dataset", "Dataset", "article"),
        ("video", "VideoObject", "video.other"),
        ("blog-post", "BlogPosting", "article"),
        ("news", "NewsArticle", "article"),
        ("toolkit", "CreativeWork", "article"),
        ("training-material", "LearningResource", "article"),
    ],
)
def test_it_names_the_kind_of_work_by_type(client, type_slug, schema_type, og_type):
    html = page(client, make_report(types=(type_slug,)))
    assert extract(html, "json-ld")[0]["@type"] == schema_type
    assert dict(extract(html, "opengraph")[0]["properties"])["og:type"] == og_type
    # Zotero files grey literature as a report, with its institution.
    institution = meta_pairs(html, "citation_technical_report_institution")
    assert bool(institution) == (
        type_slug in ("briefing", "toolkit", "training-material")
    )


def test_it_offers_a_dataset_s_files_as_a_distribution(client):
    dataset = make_report(types=("dataset",))
    document = add_pdf(dataset, media_type="text/csv", title="Data", thumbnail="")
    data = extract(page(client, dataset), "json-ld")[0]
    assert data["creator"] == [
        {
            "@type": "Organization",
            "name": "WeProtect Global Alliance",
            "url": f"{BASE}/organisations/weprotect-global-alliance/",
        },
        {
            "@type": "Organization",
            "name": "Economist Impact",
            "url": f"{BASE}/organisations/economist-impact/",
        },
    ]
    assert data["distribution"] == [
        {
            "@type": "DataDownload",
            "name": "Data",
            "contentUrl": f"{BASE}/resources/{dataset.slug}/documents/{document.pk}/",
            "encodingFormat": "text/csv",
            "contentSize": "2.4 MB",
        }
    ]
    assert data["includedInDataCatalog"] == {
        "@type": "DataCatalog",
        "name": "Clearinghouse",
        "url": f"{BASE}/",
    }


@pytest.mark.parametrize("document_access", ["members", "groups"])
def test_it_links_files_only_where_anyone_may_download_them(client, document_access):
    personas = make_personas()
    report = make_report(document_access=document_access, groups=("Law enforcement",))
    add_pdf(report)
    for viewer in (None, personas["member"], personas["lena"], personas["editor"]):
        if viewer is not None:
            client.force_login(viewer)
        html = page(client, report)
        assert meta_pairs(html, "citation_pdf_url") == []
        assert "og:image" not in dict(extract(html, "opengraph")[0]["properties"])
        data = extract(html, "json-ld")[0]
        assert "encoding" not in data and "image" not in data
        assert "/documents/" not in html.split("</head>")[0]


def test_it_never_links_a_members_only_record_s_files(client):
    personas = make_personas()
    report = make_report(access="members")
    add_pdf(report)
    assert client.get(report.get_absolute_url()).status_code == 404
    client.force_login(personas["member"])
    html = page(client, report)
    assert meta_pairs(html, "citation_pdf_url") == []
    assert "og:image" not in dict(extract(html, "opengraph")[0]["properties"])


def test_it_asks_crawlers_not_to_index_a_curator_s_preview(client):
    personas = make_personas()
    draft = make_report(status="draft")
    add_pdf(draft)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(personas["editor"])
    html = page(client, draft)
    assert '<meta name="robots" content="noindex">' in html
    assert meta_pairs(html, "citation_pdf_url") == []
    published = page(client, make_report(slug="another-report"))
    assert '<meta name="robots"' not in published


def test_it_keeps_hostile_titles_inert_in_every_vocabulary(client):
    report = make_report(
        title=HOSTILE, subtitle="", summary=HOSTILE, keywords=[HOSTILE]
    )
    html = page(client, report)
    # The only inline script is the JSON-LD data block, whole.
    assert INLINE_SCRIPT.findall(html) == ['<script type="application/ld+json">']
    assert "<script>alert(1)" not in html
    assert extract(html, "json-ld")[0]["name"] == HOSTILE
    assert meta_pairs(html, "citation_title") == [("citation_title", HOSTILE)]
    assert meta_pairs(html, "DC.title") == [("DC.title", HOSTILE)]
    properties = dict(extract(html, "opengraph")[0]["properties"])
    assert properties["og:title"] == HOSTILE
    script = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert json.loads(script)["keywords"] == [HOSTILE]


def test_it_adds_no_metadata_to_a_tombstone(client):
    withdrawn = make_report(status="withdrawn", withdrawn_reason="A duplicate.")
    response = client.get(withdrawn.get_absolute_url())
    assert response.status_code == 410
    html = response.content.decode()
    assert meta_pairs(html, "citation_") == []
    assert extract(html, "json-ld") == []


def test_it_builds_absolute_urls_from_the_request(client, settings):
    settings.ALLOWED_HOSTS = ["library.example.org"]
    report = make_report()
    response = client.get(
        report.get_absolute_url(), HTTP_HOST="library.example.org", secure=True
    )
    html = response.content.decode()
    url = "https://library.example.org/resources/global-threat-assessment/"
    assert meta_pairs(html, "citation_abstract_html_url") == [
        ("citation_abstract_html_url", url)
    ]
    assert f'<link rel="canonical" href="{url}">' in html
