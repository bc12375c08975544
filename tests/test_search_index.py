"""The SQLite full-text index stays equal to the catalog, kept by triggers.

Each test edits the catalog through the ORM, as the admin and importers do,
then reads the FTS5 table itself: no index call is ever made by hand.
"""

import datetime

from django.db import connection
from django.test import TestCase

from clearinghouse.catalog.models import (
    Document,
    Organisation,
    Resource,
    ResourcePublisher,
    Topic,
)
from clearinghouse.search.backends import sqlite
from clearinghouse.search.fields import FIELDS
from clearinghouse.search.index import rebuild_index
from clearinghouse.search.query import parse
from tests.world import make_organisation, make_resource


def index_rows() -> dict[int, tuple]:
    """The whole FTS table: resource id → its indexed columns."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid, {', '.join(FIELDS)} FROM {sqlite.TABLE}")
        return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}


def found(text: str) -> list[str]:
    """Titles of the resources the index matches for typed text, A–Z."""
    expression = parse(text).match_expression()
    ids = sqlite.matching(expression)
    return sorted(Resource.objects.filter(pk__in=ids).values_list("title", flat=True))


class IndexContentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_organisation(
            "Internet Watch Foundation", acronym="IWF", aliases=["The Watch"]
        )
        cls.grooming = make_resource(
            "Online grooming threat assessment",
            summary="How offenders approach children.",
            abstract="An abstract.",
            subtitle="Second edition",
            keywords=["livestreaming", "gaming platforms"],
            topics=("grooming",),
            publishers=("Internet Watch Foundation",),
            text="Chat rooms and gaming platforms.",
        )
        cls.labour = make_resource(
            "Forced labour in supply chains",
            summary="Audits of suppliers.",
            topics=("forced-labour",),
            publishers=("International Labour Organization",),
        )

    def test_it_indexes_every_field_of_a_resource(self):
        self.assertEqual(
            {
                self.grooming.pk: (
                    "Online grooming threat assessment Second edition",
                    '["livestreaming", "gaming platforms"]',
                    "Grooming",
                    'Internet Watch Foundation IWF ["The Watch"]',
                    "How offenders approach children. An abstract.",
                    "Chat rooms and gaming platforms.",
                ),
                self.labour.pk: (
                    "Forced labour in supply chains ",
                    "[]",
                    "Forced labour",
                    "International Labour Organization  []",
                    "Audits of suppliers. ",
                    None,
                ),
            },
            index_rows(),
        )

    def test_it_holds_one_row_per_resource_whatever_its_status(self):
        draft = make_resource("Draft on sextortion", status="draft")
        withdrawn = make_resource("Withdrawn on sextortion", status="withdrawn")
        self.assertEqual(
            {self.grooming.pk, self.labour.pk, draft.pk, withdrawn.pk},
            set(index_rows()),
        )

    def test_it_finds_a_new_resource_by_title(self):
        self.assertEqual([], found("sextortion"))
        make_resource("Sextortion trends")
        self.assertEqual(["Sextortion trends"], found("sextortion"))

    def test_it_follows_title_summary_and_keyword_edits(self):
        resource = self.labour
        resource.title = "Debt bondage in fisheries"
        resource.summary = "Boats at sea."
        resource.keywords = ["recruitment fees"]
        resource.save()
        self.assertEqual([], found("supply chains"))
        self.assertEqual([], found("suppliers"))
        self.assertEqual(["Debt bondage in fisheries"], found("fisheries"))
        self.assertEqual(["Debt bondage in fisheries"], found("boats"))
        self.assertEqual(["Debt bondage in fisheries"], found('"recruitment fees"'))

    def test_it_follows_a_queryset_update(self):
        Resource.objects.filter(pk=self.labour.pk).update(title="Child labour")
        self.assertEqual(["Child labour"], found("child"))
        self.assertEqual([], found("supply"))

    def test_it_follows_topics_added_and_removed(self):
        sextortion = Topic.objects.get(slug="sextortion")
        self.labour.topics.add(sextortion)
        self.assertEqual(["Forced labour in supply chains"], found("sextortion"))
        self.labour.topics.remove(sextortion)
        self.assertEqual([], found("sextortion"))
        self.grooming.topics.clear()
        self.assertIsNone(index_rows()[self.grooming.pk][FIELDS.index("topics")])

    def test_it_follows_topic_set(self):
        self.grooming.topics.set(Topic.objects.filter(slug="sextortion"))
        self.assertEqual(
            "Sextortion", index_rows()[self.grooming.pk][FIELDS.index("topics")]
        )

    def test_it_follows_publishers_added_and_removed(self):
        iwf = Organisation.objects.get(acronym="IWF")
        link = ResourcePublisher.objects.create(resource=self.labour, organisation=iwf)
        self.assertEqual(
            ["Forced labour in supply chains", "Online grooming threat assessment"],
            found("iwf"),
        )
        link.delete()
        self.assertEqual(["Online grooming threat assessment"], found("iwf"))

    def test_it_follows_a_publisher_link_pointed_at_another_organisation(self):
        # The admin's publisher inline updates the link row in place.
        link = ResourcePublisher.objects.get(resource=self.labour)
        link.organisation = Organisation.objects.get(acronym="IWF")
        link.save()
        self.assertEqual(
            ["Forced labour in supply chains", "Online grooming threat assessment"],
            found("iwf"),
        )
        self.assertEqual([], found('"international labour organization"'))

    def test_it_follows_an_organisation_renamed(self):
        iwf = Organisation.objects.get(acronym="IWF")
        iwf.name, iwf.acronym, iwf.aliases = "Hotline Alliance", "HA", ["Hotlines"]
        iwf.save()
        self.assertEqual([], found("iwf"))
        self.assertEqual([], found("watch"))
        self.assertEqual(["Online grooming threat assessment"], found("hotline"))
        self.assertEqual(["Online grooming threat assessment"], found("hotlines"))

    def test_it_follows_a_topic_renamed(self):
        Topic.objects.filter(slug="forced-labour").update(name="Coerced work")
        self.assertEqual(["Forced labour in supply chains"], found("coerced"))
        topic = Topic.objects.get(slug="grooming")
        topic.name = "Solicitation of children"
        topic.save()
        self.assertEqual(["Online grooming threat assessment"], found("solicitation"))
        self.assertEqual(
            "Solicitation of children",
            index_rows()[self.grooming.pk][FIELDS.index("topics")],
        )

    def test_it_ignores_an_organisation_edit_that_changes_no_indexed_field(self):
        before = index_rows()
        Organisation.objects.filter(acronym="IWF").update(website="https://x.test")
        self.assertEqual(before, index_rows())

    def test_it_follows_documents_added_edited_and_deleted(self):
        document = Document.objects.create(
            resource=self.labour, file="files/a.pdf", text="Cocoa farms in Ghana."
        )
        self.assertEqual(["Forced labour in supply chains"], found("cocoa"))
        document.text = "Cotton fields."
        document.save()
        self.assertEqual([], found("cocoa"))
        self.assertEqual(["Forced labour in supply chains"], found("cotton"))
        document.delete()
        self.assertEqual([], found("cotton"))
        self.assertIsNone(index_rows()[self.labour.pk][FIELDS.index("body")])

    def test_it_joins_the_text_of_several_documents(self):
        Document.objects.create(
            resource=self.grooming, file="files/b.pdf", text="Annex on sextortion."
        )
        self.assertEqual(
            "Chat rooms and gaming platforms. Annex on sextortion.",
            index_rows()[self.grooming.pk][FIELDS.index("body")],
        )

    def test_it_follows_a_document_moved_to_another_resource(self):
        document = self.grooming.documents.get()
        document.resource = self.labour
        document.save()
        self.assertEqual(["Forced labour in supply chains"], found("chat rooms"))

    def test_it_forgets_a_deleted_resource(self):
        pk = self.grooming.pk
        self.grooming.delete()
        self.assertEqual([self.labour.pk], list(index_rows()))
        self.assertEqual([], found("chat"))
        self.assertNotIn(pk, index_rows())

    def test_it_indexes_withdrawal_and_republication_alike(self):
        self.grooming.status = "withdrawn"
        self.grooming.save()
        self.assertEqual(["Online grooming threat assessment"], found("grooming"))


class RebuildTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_organisation("ECPAT International", acronym="ECPAT")
        for n, topic in enumerate(["grooming", "csam", "sextortion", "child-labour"]):
            make_resource(
                f"Record {n}",
                topics=(topic, "gender"),
                publishers=("ECPAT International", "Europol"),
                keywords=[f"keyword{n}"],
                text=f"Document text {n}.",
                date=datetime.date(2020 + n, 1, 1),
            )

    def test_it_rebuilds_the_same_rows_the_triggers_kept(self):
        # Edits of every kind, through triggers …
        first = Resource.objects.get(title="Record 0")
        first.topics.add(Topic.objects.get(slug="dark-web"))
        Document.objects.create(resource=first, file="files/x.pdf", text="More.")
        Topic.objects.filter(slug="gender").update(name="Gender and sex")
        Organisation.objects.filter(acronym="ECPAT").update(acronym="EI")
        Resource.objects.get(title="Record 3").delete()
        kept = index_rows()
        # … leave the index exactly as a rebuild from the catalog makes it.
        self.assertEqual(3, rebuild_index())
        self.assertEqual(kept, index_rows())
        self.assertEqual(3, len(kept))

    def test_it_rebuilds_an_emptied_index(self):
        kept = index_rows()
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {sqlite.TABLE}")
        self.assertEqual({}, index_rows())
        self.assertEqual(4, rebuild_index())
        self.assertEqual(kept, index_rows())

    def test_it_reinstalls_missing_triggers_on_rebuild(self):
        sqlite.drop_triggers(connection)
        self.assertFalse(sqlite.is_installed(connection))
        rebuild_index()
        self.assertTrue(sqlite.is_installed(connection))
        make_resource("Freshly added")
        self.assertEqual(["Freshly added"], found("freshly"))


def vocabulary() -> dict[str, int]:
    """The unstemmed word index: word → how many records' descriptions hold it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term, doc FROM {sqlite.VOCABULARY}")
        return dict(cursor.fetchall())


class WordIndexTests(TestCase):
    """The unstemmed words of descriptions ("did you mean"), kept by the same
    triggers; document text is left out."""

    @classmethod
    def setUpTestData(cls):
        make_organisation("Internet Watch Foundation", acronym="IWF")
        cls.grooming = make_resource(
            "Online grooming",
            summary="Offenders approach children.",
            topics=("grooming",),
            publishers=("Internet Watch Foundation",),
            text="Chat rooms.",
        )
        cls.labour = make_resource("Forced labour", summary="Fishing boats.")

    def test_it_holds_words_unstemmed_without_document_text(self):
        words = vocabulary()
        self.assertEqual(
            (1, 1, 1, 1),
            (words["grooming"], words["offenders"], words["iwf"], words["fishing"]),
        )
        self.assertEqual((None, None), (words.get("groom"), words.get("rooms")))

    def test_it_follows_every_kind_of_edit(self):
        self.labour.title = "Debt bondage"
        self.labour.save()
        Resource.objects.filter(pk=self.grooming.pk).update(summary="Chat apps.")
        Topic.objects.filter(slug="grooming").update(name="Solicitation")
        Organisation.objects.filter(acronym="IWF").update(acronym="HOTLINE")
        make_resource("Sextortion", status="draft")
        words = vocabulary()
        self.assertEqual(
            (None, 1, None, 1, None, 1, 1, 1),
            (
                words.get("forced"),
                words.get("bondage"),
                words.get("offenders"),
                words.get("apps"),
                words.get("iwf"),
                words.get("hotline"),
                words.get("solicitation"),
                words.get("sextortion"),
            ),
        )
        self.assertRebuildsAs(words)

    def test_it_forgets_a_deleted_resource(self):
        self.labour.delete()
        words = vocabulary()
        self.assertEqual((None, None), (words.get("fishing"), words.get("labour")))
        self.assertRebuildsAs(words)

    def assertRebuildsAs(self, words: dict[str, int]) -> None:
        """What the triggers kept is what a rebuild from the catalog makes."""
        rebuild_index()
        self.assertEqual(words, vocabulary())
