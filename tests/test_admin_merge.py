"""Merging duplicate records in the admin: documents, identifiers, provenance."""

import datetime

from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.test import TestCase
from django.urls import reverse

from clearinghouse.catalog import merging
from clearinghouse.catalog.merging import MergeError
from clearinghouse.catalog.models import (
    Collection,
    Document,
    Person,
    Resource,
    ResourceAuthor,
)
from clearinghouse.search.engine import search
from clearinghouse.search.filters import SearchParams
from tests.world import make_personas, make_resource


def messages_of(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def attach(resource: Resource, name: str, text: str = "", **fields) -> Document:
    """A read document on ``resource``, after its others."""
    return Document.objects.create(
        resource=resource,
        file=f"files/{name}",
        original_name=name,
        text=text,
        position=resource.documents.count(),
        **fields,
    )


def merge_url(first: Resource, second: Resource) -> str:
    return reverse("admin:catalog_resource_merge", args=[first.pk, second.pk])


class MergeTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        personas = make_personas()
        cls.editor, cls.reviewer = personas["editor"], personas["reviewer"]

    def setUp(self) -> None:
        # A published record with one document, and the draft ingest made
        # when the same report came in again with its annex.
        self.kept = make_resource(
            "Disrupting Harm in Kenya",
            publishers=("ECPAT International",),
            topics=("grooming",),
            doi="",
            summary="",
            keywords=["grooming"],
            provenance={"source": "admin"},
        )
        self.duplicate = make_resource(
            "dh kenya",
            status="draft",
            publishers=("UNICEF", "ECPAT International"),
            topics=("sextortion",),
            regions=("KE",),
            languages=("en", "sw"),
            doi="10.1000/dh.kenya",
            isbn="9789231000000",
            url="https://example.org/dh-kenya",
            date=None,
            keywords=["Grooming", "online safety"],
            provenance={"ingest": {"file": "dh_kenya.pdf", "title": "file name"}},
        )
        self.report = attach(self.kept, "report.pdf", "Findings on coercion.")
        self.copy = attach(self.duplicate, "dh_kenya.pdf", "Findings on coercion.")
        self.annex = attach(self.duplicate, "annex.pdf", "Fieldwork in Mombasa.")
        ana = Person.objects.create(name="Ana Ruiz", slug="ana-ruiz")
        ResourceAuthor.objects.create(resource=self.duplicate, person=ana)
        kit = Collection.objects.create(name="Starter kit", slug="starter")
        kit.resources.add(self.duplicate)

    def merge(self, user, target: Resource, source: Resource) -> object:
        self.client.force_login(user)
        return self.client.post(
            merge_url(target, source), {"survivor": target.pk}, follow=True
        )

    def fresh(self, resource: Resource) -> Resource:
        return Resource.objects.get(pk=resource.pk)


class MergeTests(MergeTestCase):
    def test_it_moves_documents_and_unites_the_descriptions(self) -> None:
        response = self.merge(self.editor, self.kept, self.duplicate)
        self.assertRedirects(
            response, reverse("admin:catalog_resource_change", args=[self.kept.pk])
        )
        self.assertEqual(
            [
                "Merged “dh kenya” into “Disrupting Harm in Kenya”: 2 documents "
                "moved; filled summary, source URL, DOI, ISBN, keywords; added 1 "
                "publisher, 1 author, 1 topic, 1 region, 1 language, 1 collection. "
                "“dh kenya” is withdrawn and points here."
            ],
            messages_of(response),
        )
        kept = self.fresh(self.kept)
        self.assertEqual(
            [("report.pdf", 0), ("dh_kenya.pdf", 1), ("annex.pdf", 2)],
            [(d.original_name, d.position) for d in kept.documents.all()],
        )
        self.assertEqual(
            (
                "Disrupting Harm in Kenya",
                "10.1000/dh.kenya",
                "9789231000000",
                "https://example.org/dh-kenya",
                "1 September 2021",
                ["grooming", "online safety"],
                ["ECPAT International", "UNICEF"],
                ["Ana Ruiz"],
                ["grooming", "sextortion"],
                ["KE"],
                ["en", "sw"],
                ["Starter kit"],
            ),
            (
                kept.title,
                kept.doi,
                kept.isbn,
                kept.url,
                kept.date_display,
                kept.keywords,
                [o.name for o in kept.ordered_publishers()],
                [p.name for p in kept.ordered_authors()],
                sorted(t.slug for t in kept.topics.all()),
                [r.code for r in kept.regions.all()],
                sorted(x.code for x in kept.languages.all()),
                [c.name for c in kept.collections.all()],
            ),
        )

    def test_it_keeps_the_identifiers_and_provenance_of_the_merged_record(self):
        self.merge(self.editor, self.kept, self.duplicate)
        merged = self.fresh(self.kept).provenance["merged"]
        self.assertEqual(1, len(merged))
        entry = {k: v for k, v in merged[0].items() if k != "at"}
        self.assertEqual(
            {
                "id": self.duplicate.pk,
                "uid": str(self.duplicate.uid),
                "slug": self.duplicate.slug,
                "title": "dh kenya",
                "status": "draft",
                "doi": "10.1000/dh.kenya",
                "isbn": "9789231000000",
                "url": "https://example.org/dh-kenya",
                "documents": [self.copy.pk, self.annex.pk],
                "provenance": {
                    "ingest": {"file": "dh_kenya.pdf", "title": "file name"}
                },
                "by": "editor",
            },
            entry,
        )

    def test_it_leaves_a_withdrawn_tombstone_pointing_at_the_record_kept(self):
        self.merge(self.editor, self.kept, self.duplicate)
        gone = self.fresh(self.duplicate)
        self.assertEqual(
            (
                "withdrawn",
                "Merged into another record of the library, which now holds its "
                "documents.",
                {
                    "id": self.kept.pk,
                    "uid": str(self.kept.uid),
                    "slug": self.kept.slug,
                    "title": "Disrupting Harm in Kenya",
                    "access_was": {
                        "access": "public",
                        "document_access": "",
                        "groups": [],
                    },
                },
                [],
            ),
            (
                gone.status,
                gone.withdrawn_reason,
                gone.provenance["replaced_by"],
                list(gone.documents.all()),
            ),
        )
        self.assertEqual(
            [("merge", "draft", "withdrawn", "editor")],
            [
                (h["action"], h["from"], h["to"], h["by"])
                for h in gone.provenance["history"]
            ],
        )

    def test_it_gives_a_draft_that_readers_never_saw_no_public_tombstone(self):
        self.merge(self.editor, self.kept, self.duplicate)
        self.client.logout()
        self.assertEqual(
            404, self.client.get(f"/resources/{self.duplicate.slug}/").status_code
        )
        self.client.force_login(self.reviewer)
        self.assertEqual(
            410, self.client.get(f"/resources/{self.duplicate.slug}/").status_code
        )

    def test_it_tells_readers_of_a_merged_published_record_where_it_went(self):
        Resource.objects.filter(pk=self.duplicate.pk).update(status="published")
        self.merge(self.reviewer, self.kept, self.duplicate)
        self.client.logout()
        response = self.client.get(f"/resources/{self.duplicate.slug}/")
        self.assertContains(
            response,
            f'<a href="/resources/{self.kept.slug}/">Disrupting Harm in Kenya</a>',
            status_code=410,
        )

    def test_it_links_no_merged_record_the_reader_may_not_see(self):
        Resource.objects.filter(pk=self.duplicate.pk).update(status="published")
        self.merge(self.reviewer, self.kept, self.duplicate)
        Resource.objects.filter(pk=self.kept.pk).update(access="members")
        self.client.logout()
        response = self.client.get(f"/resources/{self.duplicate.slug}/")
        self.assertEqual(410, response.status_code)
        self.assertNotContains(response, f"/resources/{self.kept.slug}/", 410)
        self.assertNotContains(response, "Disrupting Harm in Kenya", 410)

    def test_it_finds_the_moved_text_under_the_record_kept(self) -> None:
        self.merge(self.editor, self.kept, self.duplicate)
        hits = search(SearchParams(q="Mombasa"), self.editor).hits
        self.assertEqual([self.kept.pk], [hit.resource.pk for hit in hits])

    def test_it_points_possible_duplicate_hints_at_the_record_kept(self) -> None:
        other = make_resource("Kenya country report", status="draft")
        hinted = attach(
            other,
            "kenya.pdf",
            possible_duplicates=[
                {"resource": self.duplicate.pk, "score": 0.9, "reason": "text alike"},
                {"resource": self.kept.pk, "score": 0.8, "reason": "title alike"},
            ],
        )
        Document.objects.filter(pk=self.report.pk).update(
            possible_duplicates=[
                {"resource": self.duplicate.pk, "score": 0.97, "reason": "same text"}
            ]
        )
        self.merge(self.editor, self.kept, self.duplicate)
        hinted.refresh_from_db()
        self.report.refresh_from_db()
        self.assertEqual(
            (
                [{"resource": self.kept.pk, "score": 0.9, "reason": "text alike"}],
                [],
            ),
            (hinted.possible_duplicates, self.report.possible_duplicates),
        )


class ConfirmationTests(MergeTestCase):
    def test_it_offers_the_published_record_as_the_one_to_keep(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.get(merge_url(self.duplicate, self.kept))
        self.assertEqual(
            self.kept.pk, response.context["form"].fields["survivor"].initial
        )
        self.assertContains(response, "10.1000/dh.kenya")
        self.assertEqual("draft", self.fresh(self.duplicate).status)

    def test_it_merges_into_the_record_the_curator_picks(self) -> None:
        # Keeping the draft withdraws the published record: an editor may not.
        refused = self.merge(self.editor, self.duplicate, self.kept)
        self.assertEqual(
            [
                "“Disrupting Harm in Kenya” is published: merging withdraws it, "
                "which needs the catalog.publish_resource permission."
            ],
            refused.context["form"].non_field_errors(),
        )
        self.assertEqual("published", self.fresh(self.kept).status)
        self.merge(self.reviewer, self.duplicate, self.kept)
        self.assertEqual(
            ("draft", "withdrawn", 3),
            (
                self.fresh(self.duplicate).status,
                self.fresh(self.kept).status,
                self.duplicate.documents.count(),
            ),
        )

    def test_it_refuses_to_merge_a_record_into_itself(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.get(merge_url(self.kept, self.kept), follow=True)
        self.assertEqual(
            ["A record cannot be merged into itself."], messages_of(response)
        )
        with self.assertRaisesMessage(MergeError, "cannot be merged into itself"):
            merging.merge(self.kept, self.fresh(self.kept), self.editor)

    def test_it_explains_a_refusal_on_the_confirmation_page(self) -> None:
        law_enforcement = Group.objects.get(name="Law enforcement")
        Resource.objects.filter(pk=self.duplicate.pk).update(access="groups")
        self.duplicate.groups.add(law_enforcement)
        response = self.merge(self.editor, self.kept, self.duplicate)
        self.assertEqual(
            [
                "“dh kenya” is more restricted (Named groups) than “Disrupting Harm "
                "in Kenya” (Public): keep the stricter record, or make their "
                "access match first."
            ],
            response.context["form"].non_field_errors(),
        )
        self.assertEqual(
            ("draft", 2),
            (self.fresh(self.duplicate).status, self.duplicate.documents.count()),
        )

    def test_it_refuses_to_lift_an_embargo(self) -> None:
        later = datetime.date.today() + datetime.timedelta(days=30)
        Resource.objects.filter(pk=self.duplicate.pk).update(embargo_until=later)
        self.assertEqual(
            f"“dh kenya” is under embargo until {later}: give “Disrupting Harm "
            f"in Kenya” the same embargo first.",
            merging.widened_access(self.kept, self.fresh(self.duplicate)),
        )

    def test_it_refuses_withdrawn_records(self) -> None:
        Resource.objects.filter(pk=self.duplicate.pk).update(status="withdrawn")
        with self.assertRaisesMessage(
            MergeError, "“dh kenya” is withdrawn: restore it as a draft before merging."
        ):
            merging.merge(self.kept, self.duplicate, self.reviewer)


class EntryPointTests(MergeTestCase):
    def action(self, *records: Resource) -> object:
        self.client.force_login(self.editor)
        return self.client.post(
            reverse("admin:catalog_resource_changelist"),
            {
                "action": "merge_records",
                "index": "0",
                "_selected_action": [r.pk for r in records],
            },
            follow=True,
        )

    def test_it_sends_two_selected_records_to_the_confirmation_page(self) -> None:
        response = self.action(self.duplicate, self.kept)
        self.assertRedirects(
            response,
            merge_url(*sorted((self.kept, self.duplicate), key=lambda r: r.pk)),
        )

    def test_it_asks_for_exactly_two_records(self) -> None:
        third = make_resource("Another")
        for records in [(self.kept,), (self.kept, self.duplicate, third)]:
            with self.subTest(count=len(records)):
                response = self.action(*records)
                self.assertEqual(
                    [
                        "Select exactly two records to merge: the one to keep and "
                        "its duplicate."
                    ],
                    messages_of(response),
                )

    def test_it_lists_possible_duplicates_with_a_merge_button(self) -> None:
        Document.objects.filter(pk=self.copy.pk).update(
            possible_duplicates=[
                {"resource": self.kept.pk, "score": 0.97, "reason": "same text"}
            ]
        )
        self.client.force_login(self.editor)
        response = self.client.get(
            reverse("admin:catalog_resource_change", args=[self.duplicate.pk])
        )
        self.assertEqual(
            [(self.kept, 0.97, "same text", None)],
            [
                (h.other, h.score, h.reason, h.merged_from)
                for h in response.context["duplicate_hints"]
            ],
        )
        change = reverse("admin:catalog_resource_change", args=[self.kept.pk])
        self.assertContains(
            response, f'<a href="{change}">Disrupting Harm in Kenya</a>', html=True
        )
        self.assertContains(
            response,
            f'<a class="button" href="{merge_url(self.duplicate, self.kept)}">'
            f"Merge…</a>",
            html=True,
        )

    def test_it_shows_a_hint_at_a_merged_record_as_the_record_kept(self) -> None:
        other = make_resource("Kenya country report", status="draft")
        attach(
            other,
            "kenya.pdf",
            possible_duplicates=[
                {"resource": self.duplicate.pk, "score": 0.9, "reason": "text alike"}
            ],
        )
        self.merge(self.editor, self.kept, self.duplicate)
        # A hint written before the merge, as if by an extraction running then.
        Document.objects.filter(resource=other).update(
            possible_duplicates=[
                {"resource": self.duplicate.pk, "score": 0.9, "reason": "text alike"}
            ]
        )
        response = self.client.get(
            reverse("admin:catalog_resource_change", args=[other.pk])
        )
        self.assertEqual(
            [(self.kept.pk, self.duplicate.pk)],
            [
                (h.other.pk, h.merged_from.pk)
                for h in response.context["duplicate_hints"]
            ],
        )
