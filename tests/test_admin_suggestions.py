"""Accepting ingest's suggestions on a record's admin page, over HTTP."""

import datetime
from unittest import mock

from django.contrib.auth.models import Permission, User
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.test import Client, TestCase
from django.urls import reverse

from clearinghouse.catalog.models import (
    Document,
    Language,
    Organisation,
    Region,
    Resource,
    ResourcePublisher,
    Topic,
)
from clearinghouse.ingest import accepting, isolation
from tests.test_admin_upload import files, pdf_bytes
from tests.world import make_personas

NOW = datetime.datetime(2024, 5, 1, 10, 0, tzinfo=datetime.UTC)


def messages_of(response: object) -> list[str]:
    """The messages shown on the page a POST redirected to (``follow=True``)."""
    return [str(m) for m in get_messages(response.wsgi_request)]


class SuggestionTestCase(TestCase):
    """A draft made by ingest from "dh_kenya.pdf", its one document read."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.editor = make_personas()["editor"]
        cls.ecpat = Organisation.objects.create(name="ECPAT International", slug="e")
        cls.unicef = Organisation.objects.create(name="UNICEF", slug="unicef")
        cls.grooming = Topic.objects.get(slug="grooming")
        cls.kenya = Region.objects.get(code="KE")
        cls.resource = Resource.objects.create(
            title="dh kenya",
            slug="dh-kenya",
            status="draft",
            provenance={"ingest": {"file": "dh_kenya.pdf", "title": "file name"}},
        )
        cls.document = Document.objects.create(
            resource=cls.resource,
            file="files/dh.pdf",
            original_name="dh_kenya.pdf",
            language="fr",
            suggestions=[
                suggestion("title", "Disrupting Harm in Kenya", "embedded PDF title"),
                suggestion("title", "Disrupting Harm", "largest text on page 1", 0.6),
                suggestion("date", "2022-05", "'May 2022' on page 1", 0.75),
                suggestion("publishers", str(cls.ecpat.pk), "'ECPAT' on page 1"),
                suggestion("publishers", str(cls.unicef.pk), "'UNICEF' on page 2"),
                suggestion("doi", "10.1000/dh.kenya", "'10.1000/dh.kenya' on page 1"),
                suggestion("isbn", "9789231000000", "ISBN on page 2", 0.8),
                suggestion("topics", str(cls.grooming.pk), "'grooming' 4 times"),
                suggestion("regions", str(cls.kenya.pk), "'Kenya' in the title"),
                suggestion("summary", "Children described grooming.", "page 1", 0.35),
            ],
        )

    def setUp(self) -> None:
        self.client.force_login(self.editor)

    def accept(self, field: str, value: str | None = None) -> object:
        """POST the Accept button of the first suggestion for ``field``."""
        self.document.refresh_from_db()
        for index, s in enumerate(accepting.offered(self.document)):
            if s["field"] == field and value in (None, s["value"]):
                handle = accepting.key(self.document, index, s)
                return self.post({"suggestion": handle})
        raise AssertionError(f"no suggestion for {field}")

    def post(self, data: dict) -> object:
        """POST to the accept view and follow to the record's page, so that
        each response carries only its own messages."""
        return self.client.post(self.accept_url, data, follow=True)

    @property
    def accept_url(self) -> str:
        return reverse(
            "admin:catalog_resource_accept_suggestion", args=[self.resource.pk]
        )

    @property
    def change_url(self) -> str:
        return reverse("admin:catalog_resource_change", args=[self.resource.pk])

    def fresh(self) -> Resource:
        return Resource.objects.get(pk=self.resource.pk)


def suggestion(field: str, value: str, source: str, confidence: float = 0.9) -> dict:
    return {
        "field": field,
        "value": value,
        "source": source,
        "confidence": confidence,
        "label": "",
    }


class PanelTests(SuggestionTestCase):
    def test_it_lists_suggestions_by_field_with_names_sources_and_confidence(self):
        ResourcePublisher.objects.create(
            resource=self.resource, organisation=self.ecpat
        )
        response = self.client.get(self.change_url)
        panel = response.context["suggestion_panel"]
        self.assertEqual([self.document], [entry.document for entry in panel])
        self.assertEqual(
            [
                ("Title", "Disrupting Harm in Kenya", "embedded PDF title", 90, False),
                ("Title", "Disrupting Harm", "largest text on page 1", 60, False),
                ("Publication date", "May 2022", "'May 2022' on page 1", 75, False),
                ("Publishers", "ECPAT International", "'ECPAT' on page 1", 90, True),
                ("Publishers", "UNICEF", "'UNICEF' on page 2", 90, False),
                ("DOI", "10.1000/dh.kenya", "'10.1000/dh.kenya' on page 1", 90, False),
                ("ISBN", "9789231000000", "ISBN on page 2", 80, False),
                ("Topics", "Grooming", "'grooming' 4 times", 90, False),
                ("Geographic coverage", "Kenya", "'Kenya' in the title", 90, False),
                ("Languages", "French", "language detected in the text", None, False),
                ("Summary", "Children described grooming.", "page 1", 35, False),
            ],
            [
                (group.heading, row.value, row.source, row.confidence, row.applied)
                for group in panel[0].groups
                for row in group.rows
            ],
        )
        # Empty fields (all but publishers) take their best suggestion, and the
        # title made from the file name its most confident one.
        self.assertEqual(8, response.context["accept_all_count"])

    def test_it_puts_the_buttons_in_a_form_outside_the_record_form(self) -> None:
        response = self.client.get(self.change_url)
        self.assertContains(
            response,
            f'<form id="accept-suggestion" method="post" action="{self.accept_url}">',
        )
        handle = accepting.key(self.document, 0, self.document.suggestions[0])
        self.assertContains(
            response,
            f'<button type="submit" form="accept-suggestion" name="suggestion" '
            f'value="{handle}" class="button">Accept</button>',
            html=True,
        )
        html = response.content.decode()
        self.assertLess(
            html.index("</form>", html.index('id="resource_form"')),
            html.index('id="accept-suggestion"'),
        )

    def test_it_shows_no_panel_without_suggestions(self) -> None:
        Document.objects.filter(pk=self.document.pk).update(suggestions=[], language="")
        response = self.client.get(self.change_url)
        self.assertEqual([], response.context["suggestion_panel"])
        self.assertNotContains(response, "Suggested by ingest")


class AcceptTests(SuggestionTestCase):
    def test_it_accepts_a_title_and_notes_where_it_came_from(self) -> None:
        with mock.patch("django.utils.timezone.now", return_value=NOW):
            response = self.accept("title")
        self.assertRedirects(response, f"{self.change_url}#suggestions")
        self.assertEqual(
            [
                "Accepted the suggested title “Disrupting Harm in Kenya” "
                "(from embedded PDF title)."
            ],
            messages_of(response),
        )
        resource = self.fresh()
        self.assertEqual("Disrupting Harm in Kenya", resource.title)
        self.assertEqual(
            {
                "title": [
                    {
                        "value": "Disrupting Harm in Kenya",
                        "label": "",
                        "source": "embedded PDF title",
                        "confidence": 0.9,
                        "document": self.document.pk,
                        "by": "editor",
                        "at": "2024-05-01T10:00:00+00:00",
                    }
                ]
            },
            resource.provenance["accepted"],
        )

    def test_it_accepts_a_partial_date_with_its_precision(self) -> None:
        self.accept("date")
        resource = self.fresh()
        self.assertEqual(
            (datetime.date(2022, 5, 1), "month", "May 2022"),
            (resource.date, resource.date_precision, resource.date_display),
        )

    def test_it_adds_publishers_in_order_without_repeating_them(self) -> None:
        ResourcePublisher.objects.create(
            resource=self.resource, organisation=self.unicef, position=3
        )
        self.accept("publishers", str(self.ecpat.pk))
        again = self.accept("publishers", str(self.unicef.pk))
        self.assertEqual(
            ["The record already has the publisher “UNICEF”."], messages_of(again)
        )
        self.assertEqual(
            [("UNICEF", 3), ("ECPAT International", 4)],
            [
                (link.organisation.name, link.position)
                for link in self.fresh().publisher_links.all()
            ],
        )
        self.assertEqual(["publishers"], list(self.fresh().provenance["accepted"]))

    def test_it_accepts_every_other_field(self) -> None:
        cases = [
            ("topics", lambda r: [t.slug for t in r.topics.all()], ["grooming"]),
            ("regions", lambda r: [g.code for g in r.regions.all()], ["KE"]),
            ("languages", lambda r: [x.code for x in r.languages.all()], ["fr"]),
            ("doi", lambda r: r.doi, "10.1000/dh.kenya"),
            ("isbn", lambda r: r.isbn, "9789231000000"),
            ("summary", lambda r: r.summary, "Children described grooming."),
        ]
        for field, read, expected in cases:
            with self.subTest(field=field):
                response = self.accept(field)
                self.assertEqual(200, response.status_code)
                self.assertEqual(expected, read(self.fresh()))
        self.assertEqual(
            ["topics", "regions", "languages", "doi", "isbn", "summary"],
            list(self.fresh().provenance["accepted"]),
        )

    def test_it_accepts_all_suggested_for_empty_fields_only(self) -> None:
        Resource.objects.filter(pk=self.resource.pk).update(summary="Curated.")
        self.resource.languages.add(Language.objects.get(code="en"))
        response = self.post({"all": "1"})
        self.assertEqual(
            [
                "Accepted 8 suggestions: title, publication date, publishers (2), "
                "DOI, ISBN, topics, geographic coverage."
            ],
            messages_of(response),
        )
        resource = self.fresh()
        self.assertEqual(
            (
                "Disrupting Harm in Kenya",
                "May 2022",
                ["ECPAT International", "UNICEF"],
                "10.1000/dh.kenya",
                "9789231000000",
                ["grooming"],
                ["KE"],
                ["en"],
                "Curated.",
            ),
            (
                resource.title,
                resource.date_display,
                [o.name for o in resource.ordered_publishers()],
                resource.doi,
                resource.isbn,
                [t.slug for t in resource.topics.all()],
                [r.code for r in resource.regions.all()],
                [x.code for x in resource.languages.all()],
                resource.summary,
            ),
        )
        again = self.post({"all": "1"})
        self.assertEqual(
            ["No empty field has a suggestion to accept."], messages_of(again)
        )

    def test_it_leaves_a_title_the_curator_wrote(self) -> None:
        Resource.objects.filter(pk=self.resource.pk).update(title="DH Kenya (2022)")
        self.assertNotIn("title", accepting.open_fields(self.fresh()))


class RefusalTests(SuggestionTestCase):
    def test_it_explains_a_suggestion_whose_organisation_was_deleted(self) -> None:
        self.document.refresh_from_db()
        index = 3
        handle = accepting.key(self.document, index, self.document.suggestions[index])
        Organisation.objects.filter(pk=self.ecpat.pk).delete()
        response = self.post({"suggestion": handle})
        self.assertRedirects(response, f"{self.change_url}#suggestions")
        self.assertEqual(
            [
                f"The suggested publisher ({self.ecpat.pk}) is no longer in the "
                f"library; choose one in the form instead."
            ],
            messages_of(response),
        )
        self.assertEqual([], list(self.fresh().publishers.all()))
        panel = self.client.get(self.change_url).context["suggestion_panel"]
        publishers = [g for g in panel[0].groups if g.heading == "Publishers"][0]
        self.assertEqual(
            [f"{self.ecpat.pk} (no longer in the library)", "UNICEF"],
            [row.value for row in publishers.rows],
        )

    def test_it_explains_a_suggestion_that_changed_since_the_page_was_shown(self):
        handle = accepting.key(self.document, 0, self.document.suggestions[0])
        Document.objects.filter(pk=self.document.pk).update(
            suggestions=[suggestion("title", "Another title", "first lines")]
        )
        stale = (
            "That suggestion is no longer offered (the document may have been "
            "read again); look at the current suggestions and try again."
        )
        for posted in (handle, "nonsense", f"{self.document.pk}-99-abc", ""):
            with self.subTest(posted=posted):
                response = self.post({"suggestion": posted})
                self.assertEqual([stale], messages_of(response))
        self.assertEqual("dh kenya", self.fresh().title)

    def test_it_explains_an_unreadable_date(self) -> None:
        Document.objects.filter(pk=self.document.pk).update(
            suggestions=[suggestion("date", "May 2022", "page 1")]
        )
        response = self.accept("date")
        self.assertEqual(
            ["The suggested date 'May 2022' is not YYYY, YYYY-MM or YYYY-MM-DD."],
            messages_of(response),
        )

    def test_it_takes_only_posts(self) -> None:
        self.assertEqual(405, self.client.get(self.accept_url).status_code)

    def test_it_needs_a_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.editor)
        response = client.post(self.accept_url, {"all": "1"})
        self.assertEqual((403, "dh kenya"), (response.status_code, self.fresh().title))

    def test_it_needs_the_permission_to_change_the_record(self) -> None:
        viewer = User.objects.create_user("viewer", is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_resource"))
        self.client.force_login(viewer)
        response = self.post({"all": "1"})
        self.assertEqual((403, "dh kenya"), (response.status_code, self.fresh().title))
        page = self.client.get(self.change_url)
        self.assertNotContains(page, 'form="accept-suggestion"')

    def test_it_refuses_an_actor_who_may_not_change_records(self) -> None:
        member = User.objects.get(username="member")
        with self.assertRaisesMessage(
            accepting.SuggestionError, "needs the permission to change records"
        ):
            accepting.accept(
                self.resource, self.document, self.document.suggestions[0], member
            )

    def test_it_answers_404_for_a_missing_record(self) -> None:
        url = reverse("admin:catalog_resource_accept_suggestion", args=[999999])
        self.assertEqual(404, self.client.post(url, {"all": "1"}).status_code)


class FromUploadToRecordTests(TestCase):
    """Upload a real PDF, let the worker read it, accept what it suggests."""

    @classmethod
    def tearDownClass(cls) -> None:
        isolation.shutdown()
        super().tearDownClass()

    def test_it_fills_a_new_record_from_its_document(self) -> None:
        Organisation.objects.create(name="ECPAT International", slug="ecpat")
        self.client.force_login(make_personas()["editor"])
        pdf = pdf_bytes(
            "Disrupting Harm in Kenya",
            [
                "ECPAT International",
                "May 2022",
                "DOI: 10.1000/dh.kenya.2022",
                "Children in Kenya described grooming by offenders online.",
                "The report reviews how hotlines respond to child sexual abuse "
                "material.",
            ],
        )
        self.client.post(
            reverse("admin:catalog_resource_upload"),
            {"files": files(**{"dh_kenya.pdf": pdf})},
        )
        call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
        resource = Resource.objects.get()
        url = reverse("admin:catalog_resource_accept_suggestion", args=[resource.pk])
        self.client.post(url, {"all": "1"})
        resource.refresh_from_db()
        self.assertEqual(
            (
                "Disrupting Harm in Kenya",
                "May 2022",
                ["ECPAT International"],
                "10.1000/dh.kenya.2022",
                ["KE"],
            ),
            (
                resource.title,
                resource.date_display,
                [o.name for o in resource.ordered_publishers()],
                resource.doi,
                [r.code for r in resource.regions.all()],
            ),
        )
        self.assertIn("grooming", [t.slug for t in resource.topics.all()])
