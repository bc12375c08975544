"""'Found on pages 3, 12 and 40': where in its documents a search matched.

Pages are real catalog_page rows, kept in the page index by the database's
triggers; searches go through the one search function, the listing page and
the API, as readers reach them.
"""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import TestCase

from clearinghouse.catalog.models import Document, Page, Resource
from clearinghouse.search.backends import sqlite
from clearinghouse.search.engine import search
from clearinghouse.search.filters import SearchParams
from clearinghouse.search.index import rebuild_index
from clearinghouse.search.query import parse
from tests.test_downloads import pdf_bytes
from tests.world import make_personas, make_resource

FILLER = "Survivors and practitioners were interviewed in four countries."


def add_document(resource: Resource, pages: dict[int, str], count: int, **fields):
    """A finished document of ``count`` pages; ``pages`` says what some hold."""
    document = Document.objects.create(
        resource=resource,
        file="files/report.pdf",
        media_type=fields.pop("media_type", "application/pdf"),
        pages=count,
        text="\n\n".join(pages.get(n, FILLER) for n in range(1, count + 1)),
        **fields,
    )
    Page.objects.bulk_create(
        Page(document=document, number=n, text=pages.get(n, FILLER))
        for n in range(1, count + 1)
    )
    return document


def page_hits(text: str, document: Document) -> list[int]:
    expression = parse(text).match_expression()
    return [n for _, n in sqlite.page_hits(expression, [document.pk])]


def found_on(query: str, viewer=None) -> dict[str, list[tuple[str, list[int], int]]]:
    """Title → (document label, pages shown, pages in all) for each hit."""
    result = search(SearchParams(q=query), viewer)
    return {
        hit.resource.title: [(f.label, f.pages, f.total) for f in hit.found_on]
        for hit in result.hits
    }


def card_lines(page: str) -> list[str]:
    """The text of every "Found on" line of a listing, tags stripped."""
    lines = re.findall(r'<p class="card__pages">(.*?)</p>', page, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", line).split()) for line in lines]


class PageIndexTests(TestCase):
    """The page index follows catalog_page through triggers alone."""

    @classmethod
    def setUpTestData(cls):
        cls.report = make_resource("Trafficking for forced labour")
        cls.document = add_document(
            cls.report, {3: "Debt bondage in fishing fleets.", 12: "Debt bondage."}, 20
        )

    def test_it_finds_the_pages_that_hold_the_words(self):
        self.assertEqual([3, 12], page_hits("debt bondage", self.document))
        self.assertEqual([3], page_hits('"fishing fleets"', self.document))

    def test_it_tokenises_pages_as_the_index_does(self):
        self.assertEqual([3], page_hits("FISHING fleet", self.document))
        self.assertEqual([3, 12], page_hits("bond*", self.document))

    def test_it_follows_a_page_edited_added_and_deleted(self):
        Page.objects.filter(document=self.document, number=3).update(
            text="Recruitment fees."
        )
        Page.objects.create(document=self.document, number=21, text="Debt bondage.")
        Page.objects.filter(document=self.document, number=12).delete()
        self.assertEqual([21], page_hits("debt bondage", self.document))
        self.assertEqual([3], page_hits("recruitment", self.document))

    def test_it_forgets_the_pages_of_a_deleted_document(self):
        other = add_document(self.report, {1: "Debt bondage."}, 1)
        other.delete()
        self.assertEqual([], page_hits("debt", other))
        self.assertEqual(
            [(self.document.pk, 3), (self.document.pk, 12)],
            sqlite.page_hits('"debt"', [self.document.pk, other.pk]),
        )

    def test_it_looks_only_into_the_documents_asked_about(self):
        elsewhere = add_document(make_resource("Other"), {1: "Debt bondage."}, 1)
        self.assertEqual([1], page_hits("debt", elsewhere))
        self.assertEqual([3, 12], page_hits("debt", self.document))

    def test_reindex_rebuilds_the_page_index(self):
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {sqlite.PAGE_TABLE} ({sqlite.PAGE_TABLE})"
                " VALUES ('delete-all')"
            )
        self.assertEqual([], page_hits("debt", self.document))
        call_command("reindex", stdout=StringIO())
        self.assertEqual([3, 12], page_hits("debt", self.document))

    def test_a_rebuild_reinstalls_the_page_table_and_its_triggers(self):
        sqlite.drop_triggers(connection)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {sqlite.PAGE_TABLE}")
        self.assertFalse(sqlite.is_installed(connection))
        Page.objects.create(document=self.document, number=30, text="Debt bondage.")
        rebuild_index()
        self.assertTrue(sqlite.is_installed(connection))
        self.assertEqual([3, 12, 30], page_hits("debt", self.document))


class FoundOnTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.personas = make_personas()
        cls.report = make_resource("Trafficking for forced labour")
        cls.pdf = add_document(
            cls.report,
            {3: "Debt bondage at sea.", 12: "Debt bondage on farms.", 40: "Bondage."},
            48,
        )
        cls.toolkit = make_resource("Hotline toolkit", document_access="members")
        add_document(cls.toolkit, {7: "Hotline reports of debt bondage."}, 9)
        cls.sextortion = make_resource("Sextortion of teenagers")
        add_document(cls.sextortion, {2: "Survivors told their stories."}, 4)
        cls.many = make_resource("Labour inspection handbook")
        add_document(cls.many, {n: "Debt bondage." for n in (2, 4, 6, 8, 10, 12)}, 14)
        cls.annexed = make_resource("Child labour in supply chains")
        add_document(cls.annexed, {5: "Cocoa farms."}, 6, title="Main report")
        add_document(
            cls.annexed,
            {1: "Cocoa cooperatives."},
            2,
            title="Annex",
            media_type="application/vnd.oasis.opendocument.text",
        )

    def test_it_names_the_pages_of_each_hit(self):
        self.assertEqual(
            {
                "Trafficking for forced labour": [("", [3, 12], 2)],
                "Labour inspection handbook": [("", [2, 4, 6, 8, 10], 6)],
            },
            found_on("debt bondage"),
        )

    def test_it_keeps_a_restricted_documents_pages_to_those_who_may_open_it(self):
        # The record is public and found by its title; its document is not.
        self.assertEqual({"Hotline toolkit": []}, found_on("hotline"))
        self.assertEqual(
            {"Hotline toolkit": [("", [7], 1)]},
            found_on("hotline", self.personas["member"]),
        )

    def test_it_says_nothing_when_the_words_are_only_in_the_title(self):
        self.assertEqual({"Sextortion of teenagers": []}, found_on("sextortion"))

    def test_it_names_the_document_when_a_record_has_several(self):
        self.assertEqual(
            {
                "Child labour in supply chains": [
                    ("Main report", [5], 1),
                    ("Annex", [1], 1),
                ]
            },
            found_on("cocoa"),
        )

    def test_it_names_only_pages_that_hold_every_word(self):
        # The record holds both words, but on different pages.
        self.assertEqual({"Trafficking for forced labour": []}, found_on("sea farms"))

    def test_it_uses_the_expression_the_hits_matched(self):
        # No record holds both words, so the engine falls back to either.
        self.assertEqual(
            {
                "Trafficking for forced labour": [("", [3], 1)],
                "Child labour in supply chains": [
                    ("Main report", [5], 1),
                    ("Annex", [1], 1),
                ],
            },
            found_on("sea cocoa"),
        )

    def test_the_listing_links_each_page_of_a_pdf(self):
        query = {"q": "bondage", "sort": "title"}
        page = self.client.get("/library/", query).content.decode()
        self.assertEqual(
            [
                "Found on 6 pages, including 2, 4, 6, 8 and 10",
                "Found on pages 3, 12 and 40",
            ],
            card_lines(page),
        )
        url = self.pdf.get_absolute_url()
        for number in (3, 12, 40):
            self.assertIn(f'<a href="{url}#page={number}">{number}</a>', page)

    def test_the_listing_gives_other_formats_page_numbers_without_links(self):
        page = self.client.get("/library/", {"q": "cocoa"}).content.decode()
        self.assertEqual(
            ["Found on page 5 in “Main report”", "Found on page 1 in “Annex”"],
            card_lines(page),
        )
        self.assertIn('#page=5">5</a>', page)
        self.assertNotIn('#page=1">1</a>', page)

    def test_the_api_adds_pages_only_where_there_are_some(self):
        body = self.client.get("/api/search", {"q": "debt bondage"}).json()
        by_title = {r["title"]: r for r in body["results"]}
        self.assertEqual(
            [
                {
                    "document": str(self.pdf),
                    "url": f"http://testserver{self.pdf.get_absolute_url()}",
                    "pages": [3, 12],
                    "total": 2,
                }
            ],
            by_title["Trafficking for forced labour"]["found_on_pages"],
        )
        body = self.client.get("/api/search", {"q": "sextortion"}).json()
        self.assertNotIn("found_on_pages", body["results"][0])

    def test_the_api_keeps_restricted_pages_from_anonymous_callers(self):
        body = self.client.get("/api/search", {"q": "hotline"}).json()
        self.assertNotIn("found_on_pages", body["results"][0])
        self.client.force_login(self.personas["member"])
        body = self.client.get("/api/search", {"q": "hotline"}).json()
        self.assertEqual(
            [[7]], [p["pages"] for p in body["results"][0]["found_on_pages"]]
        )


@pytest.mark.django_db
def test_a_page_ingested_from_a_pdf_is_found_on_its_page(tmp_path, client):
    """End to end: a real three-page PDF through `clearinghouse ingest`."""
    path = tmp_path / "hotline-report.pdf"
    path.write_bytes(
        pdf_bytes(
            [
                "Annual report of the national hotline.",
                "Reports of online grooming rose sharply this year.",
                "Recommendations for platforms and regulators.",
            ]
        )
    )
    out = StringIO()
    call_command("ingest", str(path), "--publish", "--json", stdout=out)
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    assert summary["ok"] == 1, summary

    page = client.get("/library/", {"q": "grooming"}).content.decode()

    assert card_lines(page) == ["Found on page 2"]
    document = Document.objects.get()
    assert f'<a href="{document.get_absolute_url()}#page=2">2</a>' in page
