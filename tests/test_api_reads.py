"""Reading endpoints: resource lists, related, organisations, topics, regions,
suggestions, and what curators see beside readers."""

import datetime
import json

from django.test import TestCase

from clearinghouse.api.tokens import create_token
from clearinghouse.catalog.models import Region
from tests.world import make_organisation, make_personas, make_resource


class ReadTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.personas = make_personas()
        make_organisation(
            "Internet Watch Foundation",
            acronym="IWF",
            kind="ngo",
            website="https://iwf.example",
        )
        cls.grooming = make_resource(
            "Online grooming threat assessment",
            slug="online-grooming",
            topics=("grooming",),
            publishers=("Internet Watch Foundation",),
            regions=("GB",),
            date=datetime.date(2023, 5, 1),
        )
        cls.gaming = make_resource(
            "Grooming on gaming platforms",
            slug="gaming",
            topics=("grooming",),
            publishers=("Internet Watch Foundation",),
            date=datetime.date(2022, 1, 1),
        )
        cls.labour = make_resource(
            "Forced labour in supply chains",
            slug="forced-labour",
            topics=("forced-labour",),
            publishers=("International Labour Organization",),
            regions=("KE",),
            date=datetime.date(2019, 1, 1),
            text="Audits of suppliers.",
            document_access="members",
        )

    def get(self, url: str, user: object = None) -> dict:
        headers = {}
        if user is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {create_token(user, 'r')[1]}"
        response = self.client.get(url, **headers)
        self.assertEqual(200, response.status_code, response.content)
        return response.json()


class ResourceListTests(ReadTestCase):
    def test_it_lists_newest_first_with_the_search_filters(self) -> None:
        cases = {
            "/api/resources": ["online-grooming", "gaming", "forced-labour"],
            "/api/resources?topic=grooming": ["online-grooming", "gaming"],
            "/api/resources?q=gaming": ["gaming"],
            "/api/resources?region=europe": ["online-grooming"],
            "/api/resources?sort=oldest&page_size=2": ["forced-labour", "gaming"],
            "/api/resources?publisher=international-labour-organization": [
                "forced-labour"
            ],
        }
        for url, slugs in cases.items():
            with self.subTest(url=url):
                self.assertEqual(slugs, [r["slug"] for r in self.get(url)["results"]])

    def test_it_gives_summaries_and_explains_ignored_filters(self) -> None:
        body = self.get("/api/resources?topic=nope&page_size=1")
        self.assertEqual(
            {
                "total": 3,
                "page": 1,
                "pages": 3,
                "page_size": 1,
                "next": "http://testserver/api/resources?topic=nope&page_size=1&page=2",
                "previous": None,
                "notices": ["There is no topic 'nope', so that filter was ignored."],
                "results": [
                    {
                        "id": str(self.grooming.uid),
                        "slug": "online-grooming",
                        "url": "http://testserver/resources/online-grooming/",
                        "title": "Online grooming threat assessment",
                        "type": "Report",
                        "types": ["report"],
                        "date": "2023-05-01",
                        "publishers": ["Internet Watch Foundation"],
                        "topics": ["grooming"],
                        "summary": "A summary of Online grooming threat assessment.",
                    }
                ],
            },
            body,
        )


class ResourceDetailTests(ReadTestCase):
    def test_it_hides_the_link_to_a_document_the_reader_may_not_download(self) -> None:
        anonymous = self.get("/api/resources/forced-labour")["documents"]
        member = self.get("/api/resources/forced-labour", self.personas["member"])
        document = self.labour.documents.get()
        self.assertEqual(
            [
                None,
                f"http://testserver/resources/forced-labour/documents/{document.pk}/",
            ],
            [anonymous[0]["url"], member["documents"][0]["url"]],
        )

    def test_it_shows_curation_to_curators_only(self) -> None:
        reader = self.get("/api/resources/gaming", self.personas["member"])
        curator = self.get("/api/resources/gaming", self.personas["reviewer"])
        curation = curator["curation"]
        self.assertEqual(
            (False, "published", "public", ["withdraw"], [], None),
            (
                "curation" in reader,
                curation["status"],
                curation["document_access"],
                curation["actions"],
                curation["files"],
                curation["created_by"],
            ),
        )

    def test_it_lists_related_resources_the_caller_may_see(self) -> None:
        body = self.get("/api/resources/online-grooming/related")
        self.assertEqual(["gaming"], [r["slug"] for r in body["results"]])
        self.assertEqual(
            404, self.client.get("/api/resources/nope/related").status_code
        )


class VocabularyTests(ReadTestCase):
    def test_it_lists_organisations_with_their_visible_records(self) -> None:
        body = self.get("/api/organisations?q=watch")
        self.assertEqual(
            [
                {
                    "slug": "internet-watch-foundation",
                    "name": "Internet Watch Foundation",
                    "acronym": "IWF",
                    "aliases": [],
                    "kind": "ngo",
                    "country": None,
                    "website": "https://iwf.example",
                    "description": "",
                    "url": "http://testserver/organisations/internet-watch-foundation/",
                    "resources": 2,
                    "resources_url": "http://testserver/api/resources?"
                    "publisher=internet-watch-foundation",
                }
            ],
            body["results"],
        )
        self.assertEqual(
            (["IWF"], ["International Labour Organization"]),
            (
                [o["acronym"] for o in self.get("/api/organisations?q=iwf")["results"]],
                [o["name"] for o in self.get("/api/organisations?q=labour")["results"]],
            ),
        )

    def test_it_gives_one_organisation_or_a_404(self) -> None:
        body = self.get("/api/organisations/internet-watch-foundation")
        self.assertEqual(("IWF", 2), (body["acronym"], body["resources"]))
        self.assertEqual(404, self.client.get("/api/organisations/nope").status_code)

    def test_it_gives_the_topic_tree_with_subtree_counts(self) -> None:
        tree = self.get("/api/topics")
        by_slug = {}

        def walk(nodes: list) -> None:
            for node in nodes:
                by_slug[node["slug"]] = node
                walk(node["children"])

        walk(tree)
        self.assertEqual(
            (2, 2, 3, ["grooming"]),
            (
                by_slug["grooming"]["count"],
                by_slug["csea"]["count"],
                by_slug["forms-of-abuse"]["count"],
                [c["slug"] for c in by_slug["csea"]["children"] if c["count"]],
            ),
        )

    def test_it_gives_one_topic_with_its_place_in_the_tree(self) -> None:
        body = self.get("/api/topics/grooming")
        self.assertEqual(
            {
                "slug": "grooming",
                "name": "Grooming",
                "count": 2,
                "resources_url": "http://testserver/api/resources?topic=grooming",
                "parent": {
                    "slug": "csea",
                    "name": "Child sexual exploitation and abuse",
                    "count": 2,
                },
                "ancestors": ["forms-of-abuse", "csea"],
                "children": [],
            },
            {
                **{
                    k: body[k]
                    for k in (
                        "slug",
                        "name",
                        "count",
                        "resources_url",
                        "parent",
                        "children",
                    )
                },
                "ancestors": [a["slug"] for a in body["ancestors"]],
            },
        )

    def test_it_lists_regions_with_counts(self) -> None:
        regions = {r["code"]: r for r in self.get("/api/regions")}
        kenya = Region.objects.get(code="KE")
        self.assertEqual(
            (
                {
                    "code": "KE",
                    "slug": kenya.slug,
                    "name": "Kenya",
                    "kind": "country",
                    "parent": kenya.parent.slug,
                    "count": 1,
                },
                1,
            ),
            (regions["KE"], regions[Region.objects.get(slug="europe").code]["count"]),
        )
        countries = self.get("/api/regions?kind=country")
        self.assertEqual({"country"}, {r["kind"] for r in countries})


class SuggestTests(ReadTestCase):
    def test_it_suggests_titles_by_the_prefix_of_the_last_word(self) -> None:
        cases = {
            "gro": [
                "Grooming on gaming platforms",
                "Online grooming threat assessment",
            ],
            "online gro": ["Online grooming threat assessment"],
            "Groo": [
                "Grooming on gaming platforms",
                "Online grooming threat assessment",
            ],
            "gaming plat": ["Grooming on gaming platforms"],
            "grooming ": [
                "Grooming on gaming platforms",
                "Online grooming threat assessment",
            ],
            "supply": ["Forced labour in supply chains"],
            "g": [],
            "": [],
            '"unclosed': [],
            "zzz": [],
        }
        for typed, titles in cases.items():
            with self.subTest(typed=typed):
                body = self.get(f"/api/suggest?q={typed}")
                self.assertEqual(titles, [r["title"] for r in body["resources"]])

    def test_it_suggests_topics_and_organisations_by_name(self) -> None:
        body = self.get("/api/suggest?q=inter")
        self.assertEqual(
            (
                ["international-cooperation", "international-frameworks"],
                ["International Labour Organization", "Internet Watch Foundation"],
            ),
            (
                sorted(t["slug"] for t in body["topics"]),
                sorted(o["name"] for o in body["organisations"]),
            ),
        )
        self.assertEqual(
            ["grooming"],
            [t["slug"] for t in self.get("/api/suggest?q=groom")["topics"]],
        )
        self.assertEqual(
            ["IWF"],
            [o["acronym"] for o in self.get("/api/suggest?q=iw")["organisations"]],
        )


class ExportTests(ReadTestCase):
    def test_it_exports_a_search_result_in_every_format(self) -> None:
        expected = {
            "jsonl": (
                "application/jsonl; charset=utf-8",
                "library.jsonl",
                '"title": "Grooming on gaming platforms"',
            ),
            "csv": (
                "text/csv; charset=utf-8",
                "library.csv",
                "Grooming on gaming platforms",
            ),
            "bibtex": (
                "application/x-bibtex; charset=utf-8",
                "library.bib",
                "Grooming on gaming platforms",
            ),
            "ris": (
                "application/x-research-info-systems; charset=utf-8",
                "library.ris",
                "TI  - Grooming on gaming platforms",
            ),
            "csljson": (
                "application/vnd.citationstyles.csl+json; charset=utf-8",
                "library.json",
                '"title": "Grooming on gaming platforms"',
            ),
        }
        for name, (media_type, filename, excerpt) in expected.items():
            with self.subTest(format=name):
                response = self.client.get(f"/api/export?format={name}&q=gaming")
                text = response.content.decode("utf-8-sig")
                self.assertEqual(
                    (
                        200,
                        media_type,
                        f'attachment; filename="{filename}"',
                        "1",
                        "1",
                        True,
                        False,
                    ),
                    (
                        response.status_code,
                        response["Content-Type"],
                        response["Content-Disposition"],
                        response["X-Result-Count"],
                        response["X-Exported-Count"],
                        excerpt in text,
                        "Online grooming" in text,
                    ),
                )

    def test_it_keeps_provenance_for_curators(self) -> None:
        self.gaming.provenance = {"source": "api", "by": "editor"}
        self.gaming.save()
        reader = self.client.get("/api/export?format=jsonl&q=gaming").content
        secret = create_token(self.personas["editor"], "x")[1]
        curator = self.client.get(
            "/api/export?format=jsonl&q=gaming", HTTP_AUTHORIZATION=f"Bearer {secret}"
        ).content
        self.assertEqual(
            ({}, {"source": "api", "by": "editor"}),
            (json.loads(reader)["provenance"], json.loads(curator)["provenance"]),
        )

    def test_it_names_the_formats_it_knows(self) -> None:
        response = self.client.get("/api/export?format=docx")
        self.assertEqual(
            (
                400,
                "format",
                "Input should be 'jsonl', 'csv', 'bibtex', 'ris' or 'csljson'",
            ),
            (
                response.status_code,
                response.json()["errors"][0]["field"],
                response.json()["errors"][0]["message"],
            ),
        )
