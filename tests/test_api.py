"""The JSON API: /api/search, /api/resources/<id>, its OpenAPI schema, /healthz.

The shapes are contracts (DESIGN.md, "HTTP"): outside checks rely on them.
"""

import datetime
import uuid

from django.http import QueryDict
from django.test import TestCase

from clearinghouse.catalog.models import Person, ResourceAuthor
from clearinghouse.search.engine import search
from clearinghouse.search.filters import SearchParams
from tests.world import make_organisation, make_resource

DESIGN_RESULT_KEYS = {
    "id",
    "slug",
    "url",
    "title",
    "type",
    "date",
    "publishers",
    "topics",
    "summary",
    "snippet",
    "score",
}
FACET_NAMES = ["type", "topic", "publisher", "year", "language", "region"]


class APITestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_organisation("Internet Watch Foundation", acronym="IWF")
        make_organisation("International Labour Organization", acronym="ILO")
        cls.grooming = make_resource(
            "Online grooming threat assessment",
            slug="online-grooming",
            summary="How offenders approach children online.",
            types=("report",),
            topics=("grooming",),
            publishers=("Internet Watch Foundation",),
            regions=("GB",),
            keywords=["gaming platforms"],
            date=datetime.date(2023, 5, 1),
            date_precision="month",
            text="Chat rooms and gaming platforms.",
        )
        cls.labour = make_resource(
            "Forced labour in supply chains",
            slug="forced-labour",
            summary="Audits of suppliers.",
            types=("guidance", "report"),
            topics=("forced-labour",),
            publishers=("International Labour Organization", "Europol"),
            regions=("KE",),
            languages=("en", "fr"),
            date=datetime.date(2019, 1, 1),
            date_precision="year",
            url="https://example.org/labour",
            doi="10.1000/xyz",
        )
        ResourceAuthor.objects.create(
            resource=cls.labour,
            person=Person.objects.create(name="Ada Lovelace", slug="ada-lovelace"),
        )
        cls.draft = make_resource("Draft on grooming", status="draft")
        cls.withdrawn = make_resource("Withdrawn on grooming", status="withdrawn")


class SearchEndpointTests(APITestCase):
    def test_it_returns_the_designed_shape(self):
        response = self.client.get("/api/search", {"q": "grooming"})
        self.assertEqual(
            (200, "application/json; charset=utf-8"),
            (response.status_code, response["Content-Type"]),
        )
        body = response.json()
        score = body["results"][0].pop("score")
        self.assertIsInstance(score, float)
        self.assertEqual(
            {
                "total": 1,
                "page": 1,
                "pages": 1,
                "sort": "relevance",
                "mode": "keyword",
                "notices": [],
                "results": [
                    {
                        "id": str(self.grooming.uid),
                        "slug": "online-grooming",
                        "url": "http://testserver/resources/online-grooming/",
                        "title": "Online grooming threat assessment",
                        "type": "Report",
                        "types": ["report"],
                        "date": "2023-05",
                        "publishers": ["Internet Watch Foundation"],
                        "topics": ["grooming"],
                        "summary": "How offenders approach children online.",
                        "snippet": "Online <mark>grooming</mark> threat assessment",
                    }
                ],
                "facets": {
                    "type": [{"value": "report", "label": "Report", "count": 1}],
                    "topic": [
                        {
                            "value": "csea",
                            "label": "Child sexual exploitation and abuse",
                            "count": 1,
                        },
                        {
                            "value": "forms-of-abuse",
                            "label": "Forms of exploitation and abuse",
                            "count": 1,
                        },
                        {"value": "grooming", "label": "Grooming", "count": 1},
                    ],
                    "publisher": [
                        {
                            "value": "internet-watch-foundation",
                            "label": "Internet Watch Foundation",
                            "count": 1,
                        }
                    ],
                    "year": [{"value": "2023", "label": "2023", "count": 1}],
                    "language": [{"value": "en", "label": "English", "count": 1}],
                    "region": [
                        {"value": "europe", "label": "Europe", "count": 1},
                        {
                            "value": "northern-europe",
                            "label": "Northern Europe",
                            "count": 1,
                        },
                        {
                            "value": "united-kingdom",
                            "label": "United Kingdom",
                            "count": 1,
                        },
                    ],
                },
            },
            body,
        )

    def test_every_result_and_facet_has_the_designed_keys(self):
        body = self.client.get("/api/search").json()
        self.assertLessEqual({"total", "results", "facets"}, set(body))
        self.assertEqual(2, len(body["results"]))
        for result in body["results"]:
            self.assertLessEqual(DESIGN_RESULT_KEYS, set(result))
        self.assertEqual(FACET_NAMES, list(body["facets"]))
        for values in body["facets"].values():
            for value in values:
                self.assertEqual(["value", "label", "count"], list(value))

    def test_it_lists_newest_first_without_scores_or_snippets(self):
        body = self.client.get("/api/search").json()
        self.assertEqual(
            [("online-grooming", None, ""), ("forced-labour", None, "")],
            [(r["slug"], r["score"], r["snippet"]) for r in body["results"]],
        )
        self.assertEqual(("newest", 2), (body["sort"], body["total"]))

    def test_it_marks_hits_in_snippets(self):
        body = self.client.get("/api/search", {"q": "chat rooms"}).json()
        self.assertEqual(
            ["<mark>Chat</mark> <mark>rooms</mark> and gaming platforms."],
            [r["snippet"] for r in body["results"]],
        )

    def test_it_takes_the_same_filters_as_the_listing(self):
        queries = [
            "type=report",
            "type=report&type=guidance",
            "topic=forms-of-abuse",
            "topic=csea",
            "publisher=europol",
            "year=2019",
            "language=fr",
            "region=europe",
            "region=africa",
            "author=ada-lovelace",
            "q=gaming&sort=oldest",
            "sort=title",
            "topic=nope&year=abcd",
        ]
        for query in queries:
            with self.subTest(query=query):
                expected = search(SearchParams.from_querydict(QueryDict(query)), None)
                body = self.client.get(f"/api/search?{query}").json()
                self.assertEqual(
                    (
                        expected.total,
                        [hit.resource.slug for hit in expected.hits],
                        expected.notices,
                    ),
                    (
                        body["total"],
                        [r["slug"] for r in body["results"]],
                        body["notices"],
                    ),
                )

    def test_it_filters_to_exact_hits(self):
        cases = {
            "region=europe": ["online-grooming"],
            "region=africa": ["forced-labour"],
            "author=ada-lovelace": ["forced-labour"],
            "type=report&type=guidance": ["forced-labour"],
            "language=fr&year=2019": ["forced-labour"],
            "sort=title": ["forced-labour", "online-grooming"],
            "sort=oldest": ["forced-labour", "online-grooming"],
        }
        for query, slugs in cases.items():
            with self.subTest(query=query):
                body = self.client.get(f"/api/search?{query}").json()
                self.assertEqual(slugs, [r["slug"] for r in body["results"]])

    def test_it_explains_ignored_filters(self):
        body = self.client.get("/api/search?topic=nope&year=99999&sort=bogus").json()
        self.assertEqual(
            [
                "Unknown sort order 'bogus'; showing the default.",
                "There is no topic 'nope', so that filter was ignored.",
                "There is no year '99999', so that filter was ignored.",
            ],
            body["notices"],
        )
        self.assertEqual(2, body["total"])

    def test_it_answers_404_past_the_last_page(self):
        response = self.client.get("/api/search", {"page": "3"})
        self.assertEqual(
            (
                404,
                "application/problem+json",
                {
                    "type": "about:blank",
                    "title": "Not Found",
                    "status": 404,
                    "detail": "Page 3 is past the end: there is 1 page.",
                    "instance": "/api/search?page=3",
                },
            ),
            (response.status_code, response["Content-Type"], response.json()),
        )


class ResourceEndpointTests(APITestCase):
    def expected_labour(self) -> dict:
        return {
            "id": str(self.labour.uid),
            "slug": "forced-labour",
            "url": "http://testserver/resources/forced-labour/",
            "title": "Forced labour in supply chains",
            "type": "Report",
            "types": ["report", "guidance"],
            "date": "2019",
            "publishers": ["International Labour Organization", "Europol"],
            "topics": ["forced-labour"],
            "summary": "Audits of suppliers.",
            "subtitle": "",
            "abstract": "",
            "date_display": "2019",
            "citation": (
                "Forced labour in supply chains – "
                "International Labour Organization, Europol, 2019"
            ),
            "authors": ["Ada Lovelace"],
            "languages": ["en", "fr"],
            "regions": ["Kenya"],
            "keywords": [],
            "source_url": "https://example.org/labour",
            "doi": "10.1000/xyz",
            "isbn": None,
            "licence": None,
            "content_warning": None,
            "documents": [],
        }

    def test_it_returns_a_resource_by_id(self):
        response = self.client.get(f"/api/resources/{self.labour.uid}")
        self.assertEqual(
            (200, self.expected_labour()), (response.status_code, response.json())
        )

    def test_it_returns_a_resource_by_slug(self):
        response = self.client.get("/api/resources/forced-labour")
        self.assertEqual(
            (200, self.expected_labour()), (response.status_code, response.json())
        )

    def test_it_lists_documents_with_their_download_links(self):
        body = self.client.get(f"/api/resources/{self.grooming.uid}").json()
        document = self.grooming.documents.get()
        self.assertEqual(
            [
                {
                    "title": "test.pdf",
                    "format": "PDF",
                    "size": 32,
                    "pages": 1,
                    "url": "http://testserver/resources/online-grooming/"
                    f"documents/{document.pk}/",
                }
            ],
            body["documents"],
        )

    def test_it_answers_404_for_unknown_and_hidden_resources(self):
        for ident in [
            str(uuid.uuid4()),
            "no-such-slug",
            str(self.draft.uid),
            self.draft.slug,
            "%00",
            "x" * 300,
        ]:
            with self.subTest(ident=ident[:40]):
                response = self.client.get(f"/api/resources/{ident}")
                self.assertEqual(
                    (404, "application/problem+json"),
                    (response.status_code, response["Content-Type"]),
                )

    def test_it_answers_410_with_the_reason_for_withdrawn_resources(self):
        self.withdrawn.withdrawn_reason = "Superseded by the 2024 edition."
        self.withdrawn.save()
        for ident in [str(self.withdrawn.uid), self.withdrawn.slug]:
            with self.subTest(ident=ident):
                response = self.client.get(f"/api/resources/{ident}")
                self.assertEqual(
                    (
                        410,
                        "“Withdrawn on grooming” was withdrawn: "
                        "Superseded by the 2024 edition.",
                    ),
                    (response.status_code, response.json()["detail"]),
                )


class SchemaAndHealthTests(TestCase):
    def test_it_publishes_an_openapi_schema(self):
        response = self.client.get("/api/openapi.json")
        self.assertEqual(200, response.status_code)
        schema = response.json()
        self.assertEqual(
            (
                "Clearinghouse API",
                [
                    "/api/search",
                    "/api/suggest",
                    "/api/resources",
                    "/api/resources/{resource_id}",
                    "/api/resources/{resource_id}/related",
                    "/api/resources/{resource_id}/workflow",
                    "/api/documents",
                    "/api/resources/{resource_id}/documents",
                    "/api/organisations",
                    "/api/organisations/{slug}",
                    "/api/topics",
                    "/api/topics/{slug}",
                    "/api/regions",
                    "/api/export",
                    "/api/import",
                ],
            ),
            (schema["info"]["title"], list(schema["paths"])),
        )
        self.assertTrue(schema["openapi"].startswith("3."))
        parameters = [
            p["name"] for p in schema["paths"]["/api/search"]["get"]["parameters"]
        ]
        self.assertEqual(
            [
                "q",
                "type",
                "topic",
                "publisher",
                "year",
                "language",
                "region",
                "author",
                "sort",
                "mode",
                "page",
            ],
            parameters,
        )

    def test_it_documents_errors_as_problems_and_reads_as_open(self):
        schema = self.client.get("/api/openapi.json").json()
        read = schema["paths"]["/api/resources/{resource_id}"]["get"]
        write = schema["paths"]["/api/resources"]["post"]
        self.assertEqual(
            (
                ["application/problem+json"],
                {"$ref": "#/components/schemas/Problem"},
                [{"BearerToken": []}, {}],
                [{"BearerToken": []}, {"Session": []}],
                ["200", "400", "401", "404", "410", "304"],
            ),
            (
                list(read["responses"]["404"]["content"]),
                read["responses"]["404"]["content"]["application/problem+json"][
                    "schema"
                ],
                read["security"],
                write["security"],
                list(read["responses"]),
            ),
        )

    def test_healthz_says_ok(self):
        response = self.client.get("/healthz")
        self.assertEqual(
            (200, "application/json", {"status": "ok"}),
            (response.status_code, response["Content-Type"], response.json()),
        )
