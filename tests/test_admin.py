"""Curation through the admin, over HTTP, as the personas of tests/world.py."""

import hashlib
import io
import shutil
import tempfile
import zipfile

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.test import TestCase, override_settings
from django.urls import reverse

from clearinghouse.catalog.models import (
    Collection,
    Document,
    Organisation,
    Person,
    Resource,
    ResourceType,
    Topic,
)
from tests.world import make_personas, make_resource

TINY_PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in entries.items():
            package.writestr(name, data)
    return buffer.getvalue()


def management(prefix: str, total: int = 0, initial: int = 0) -> dict:
    """The management form of an admin inline formset."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def resource_post(**fields: object) -> dict:
    """POST data for the resource add/change form, with empty inlines."""
    return {
        "title": "",
        "subtitle": "",
        "slug": "",
        "summary": "",
        "abstract": "",
        "keywords": "",
        "content_warning": "",
        "date": "",
        "date_precision": "day",
        "url": "",
        "doi": "",
        "isbn": "",
        "licence": "",
        "access": "public",
        "document_access": "",
        "embargo_until": "",
        **management("publisher_links"),
        **management("author_links"),
        **management("documents"),
        **fields,
    }


NEVER_ADDED = {"membership", "accessrequest", "revision", "auditevent"}


def messages_of(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


class AdminTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        personas = make_personas()
        cls.editor = personas["editor"]
        cls.reviewer = personas["reviewer"]
        cls.superuser = User.objects.create_superuser("admin", "admin@example.org")

    def action(self, name: str, *resources: Resource, **extra: str) -> object:
        """POST a changelist action for these records."""
        data = {
            "action": name,
            "index": "0",
            "_selected_action": [r.pk for r in resources],
            **extra,
        }
        return self.client.post(reverse("admin:catalog_resource_changelist"), data)

    def status_of(self, resource: Resource) -> str:
        return Resource.objects.values_list("status", flat=True).get(pk=resource.pk)


class AddResourceTests(AdminTestCase):
    def test_it_lets_an_editor_add_a_draft(self) -> None:
        unicef = Organisation.objects.create(name="UNICEF", slug="unicef")
        ecpat = Organisation.objects.create(name="ECPAT International", slug="ecpat")
        report = ResourceType.objects.get(slug="report")
        grooming = Topic.objects.get(slug="grooming")
        self.client.force_login(self.editor)
        response = self.client.post(
            reverse("admin:catalog_resource_add"),
            resource_post(
                title="Disrupting Harm in Kenya",
                slug="disrupting-harm-in-kenya",
                summary="Evidence on online child sexual exploitation and abuse.",
                keywords="grooming\nonline safety\n\ngrooming",
                date="2022-05-01",
                date_precision="month",
                types=[report.pk],
                topics=[grooming.pk],
                **management("publisher_links", total=2),
                **{
                    "publisher_links-0-organisation": ecpat.pk,
                    "publisher_links-0-position": "0",
                    "publisher_links-1-organisation": unicef.pk,
                    "publisher_links-1-position": "1",
                },
            ),
        )
        self.assertEqual(302, response.status_code)
        resource = Resource.objects.get(slug="disrupting-harm-in-kenya")
        self.assertEqual(
            ("draft", self.editor, ["grooming", "online safety"], "May 2022"),
            (
                resource.status,
                resource.created_by,
                resource.keywords,
                resource.date_display,
            ),
        )
        self.assertEqual(
            ["ECPAT International", "UNICEF"],
            [org.name for org in resource.ordered_publishers()],
        )
        self.assertEqual(["Grooming"], [t.name for t in resource.topics.all()])
        self.assertEqual({"source": "admin"}, resource.provenance)

    def test_it_refuses_documents_more_open_than_the_record(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.post(
            reverse("admin:catalog_resource_add"),
            resource_post(title="Members only", slug="members-only", access="members")
            | {"document_access": "public"},
        )
        self.assertEqual(200, response.status_code)
        self.assertEqual(
            ["Documents cannot be more open than the record itself."],
            response.context["adminform"].form.errors["document_access"],
        )
        self.assertFalse(Resource.objects.filter(slug="members-only").exists())

    def test_it_asks_for_groups_when_access_is_named_groups(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.post(
            reverse("admin:catalog_resource_add"),
            resource_post(title="Restricted", slug="restricted", access="groups"),
        )
        self.assertEqual(
            ["Name the groups who may see it."],
            response.context["adminform"].form.errors["groups"],
        )

    def test_it_keeps_the_creator_when_someone_else_edits(self) -> None:
        resource = make_resource(status="draft", created_by=self.editor)
        self.client.force_login(self.reviewer)
        response = self.client.post(
            reverse("admin:catalog_resource_change", args=[resource.pk]),
            resource_post(title="Renamed", slug=resource.slug),
        )
        self.assertEqual(302, response.status_code)
        resource.refresh_from_db()
        self.assertEqual(
            ("Renamed", self.editor), (resource.title, resource.created_by)
        )


EXPORTS = [f"export_as_{name}" for name in ("jsonl", "csv", "bibtex", "ris", "csljson")]


class WorkflowActionTests(AdminTestCase):
    def offered_actions(self) -> list[str]:
        response = self.client.get(reverse("admin:catalog_resource_changelist"))
        choices = response.context["action_form"].fields["action"].choices
        return [name for name, _ in choices if name]

    def test_it_offers_an_editor_only_submit(self) -> None:
        self.client.force_login(self.editor)
        self.assertEqual(["submit", "merge_records", *EXPORTS], self.offered_actions())

    def test_it_offers_a_reviewer_every_transition(self) -> None:
        self.client.force_login(self.reviewer)
        self.assertEqual(
            [
                "submit",
                "publish",
                "send_back",
                "withdraw",
                "restore_draft",
                "merge_records",
                *EXPORTS,
            ],
            self.offered_actions(),
        )

    def test_it_lets_an_editor_submit_for_review(self) -> None:
        drafts = [make_resource(status="draft") for _ in range(2)]
        self.client.force_login(self.editor)
        response = self.action("submit", *drafts)
        self.assertEqual(302, response.status_code)
        self.assertEqual(["review", "review"], [self.status_of(r) for r in drafts])
        self.assertEqual(["Submit for review: 2 records done."], messages_of(response))

    def test_it_refuses_publish_to_an_editor(self) -> None:
        resource = make_resource(status="review")
        self.client.force_login(self.editor)
        self.action("publish", resource)
        self.client.post(
            reverse("admin:catalog_resource_workflow", args=[resource.pk, "publish"])
        )
        self.assertEqual("review", self.status_of(resource))

    def test_it_reports_records_in_the_wrong_state(self) -> None:
        draft = make_resource("A draft", status="draft")
        published = make_resource("Already out", status="published")
        self.client.force_login(self.reviewer)
        response = self.action("publish", draft, published)
        self.assertEqual(
            [
                "“Already out” is published: only a draft or a record in review "
                "can be published.",
                "Publish: 1 record done.",
            ],
            messages_of(response),
        )
        self.assertEqual("published", self.status_of(draft))

    def test_it_lets_a_reviewer_publish(self) -> None:
        resource = make_resource(status="review")
        self.client.force_login(self.reviewer)
        self.action("publish", resource)
        self.assertEqual("published", self.status_of(resource))

    def test_it_asks_for_a_comment_before_sending_back(self) -> None:
        resource = make_resource("Needs work", status="review")
        self.client.force_login(self.reviewer)
        form_page = self.action("send_back", resource)
        self.assertTemplateUsed(form_page, "admin/catalog/resource/workflow_form.html")
        self.assertContains(form_page, "Needs work")
        empty = self.action("send_back", resource, apply="yes", comment=" ")
        self.assertEqual(200, empty.status_code)
        self.assertEqual("review", self.status_of(resource))
        done = self.action(
            "send_back", resource, apply="yes", comment="Add the publisher."
        )
        self.assertEqual(302, done.status_code)
        resource.refresh_from_db()
        self.assertEqual(
            ("draft", "Add the publisher."), (resource.status, resource.review_comment)
        )

    def test_it_withdraws_with_a_reason_from_the_record_page(self) -> None:
        resource = make_resource("Old guidance", status="published")
        url = reverse("admin:catalog_resource_workflow", args=[resource.pk, "withdraw"])
        self.client.force_login(self.reviewer)
        self.assertContains(self.client.get(url), "Reason for withdrawal")
        response = self.client.post(url, {"comment": "Superseded by 2023 edition."})
        self.assertRedirects(
            response, reverse("admin:catalog_resource_change", args=[resource.pk])
        )
        resource.refresh_from_db()
        self.assertEqual(
            ("withdrawn", "Superseded by 2023 edition."),
            (resource.status, resource.withdrawn_reason),
        )

    def test_it_shows_a_tombstone_once_withdrawn(self) -> None:
        try:
            get_template("web/tombstone.html")
        except TemplateDoesNotExist:
            self.skipTest("the public tombstone template is not written yet")
        resource = make_resource(status="published")
        self.client.force_login(self.reviewer)
        self.action("withdraw", resource, apply="yes", comment="Published in error.")
        self.client.logout()
        response = self.client.get(f"/resources/{resource.slug}/")
        self.assertContains(response, "Published in error.", status_code=410)

    def test_it_shows_the_buttons_the_curator_may_use(self) -> None:
        resource = make_resource(status="review")
        url = reverse("admin:catalog_resource_change", args=[resource.pk])
        cases = [(self.editor, []), (self.reviewer, ["publish", "send_back"])]
        for user, expected in cases:
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.get(url)
                transitions = response.context["workflow_transitions"]
                self.assertEqual(expected, [t.action for t in transitions])
        publish = reverse(
            "admin:catalog_resource_workflow", args=[resource.pk, "publish"]
        )
        self.assertContains(response, f'<a href="{publish}">Publish</a>', html=True)

    def test_it_keeps_status_out_of_the_form(self) -> None:
        resource = make_resource(status="draft")
        self.client.force_login(self.reviewer)
        self.client.post(
            reverse("admin:catalog_resource_change", args=[resource.pk]),
            resource_post(title="Sneaky", slug=resource.slug, status="published"),
        )
        self.assertEqual("draft", self.status_of(resource))


class SearchTests(AdminTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_resource(
            "Online grooming of children",
            status="draft",
            topics=("grooming",),
            keywords=["grooming"],
        )
        make_resource(
            "Global Threat Assessment",
            publishers=("WeProtect Global Alliance",),
            keywords=["sextortion"],
        )
        make_resource("Forced marriage briefing", doi="10.1000/xyz123")

    def search(self, term: str) -> list[str]:
        url = reverse("admin:catalog_resource_changelist")
        response = self.client.get(url, {"q": term})
        return sorted(r.title for r in response.context["cl"].result_list)

    def test_it_searches_titles_keywords_publishers_and_doi(self) -> None:
        self.client.force_login(self.editor)
        cases = {
            "grooming": ["Online grooming of children"],
            "sextortion": ["Global Threat Assessment"],
            "WeProtect": ["Global Threat Assessment"],
            "10.1000/xyz123": ["Forced marriage briefing"],
            "nothing-like-this": [],
        }
        for term, expected in cases.items():
            with self.subTest(term=term):
                self.assertEqual(expected, self.search(term))

    def test_it_completes_topics(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.get(
            "/admin/autocomplete/",
            {
                "app_label": "catalog",
                "model_name": "resource",
                "field_name": "topics",
                "term": "groom",
            },
        )
        grooming = Topic.objects.get(slug="grooming")
        self.assertEqual(
            {
                "results": [{"id": str(grooming.pk), "text": "Grooming"}],
                "pagination": {"more": False},
            },
            response.json(),
        )

    def test_it_completes_every_autocomplete_field_for_an_editor(self) -> None:
        self.client.force_login(self.editor)
        for field in ("types", "topics", "regions", "languages", "groups"):
            with self.subTest(field=field):
                response = self.client.get(
                    "/admin/autocomplete/",
                    {
                        "app_label": "catalog",
                        "model_name": "resource",
                        "field_name": field,
                        "term": "e",
                    },
                )
                self.assertEqual(200, response.status_code)

    def test_it_completes_organisations_for_publishers(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.get(
            "/admin/autocomplete/",
            {
                "app_label": "catalog",
                "model_name": "resourcepublisher",
                "field_name": "organisation",
                "term": "weprot",
            },
        )
        self.assertEqual(
            ["WeProtect Global Alliance"],
            [r["text"] for r in response.json()["results"]],
        )


# The smallest package the ingest sniffer takes for Word: its main part is
# declared in [Content_Types].xml.
MINIMAL_DOCX = zipped(
    {
        "[Content_Types].xml": (
            b'<Types><Override PartName="/word/document.xml" ContentType="'
            b"application/vnd.openxmlformats-officedocument"
            b'.wordprocessingml.document.main+xml"/></Types>'
        ),
        "word/document.xml": b"<w:document/>",
    }
)


class DocumentUploadTests(AdminTestCase):
    def setUp(self) -> None:
        media_root = tempfile.mkdtemp(prefix="clearinghouse-media-")
        self.addCleanup(shutil.rmtree, media_root)
        settings = override_settings(MEDIA_ROOT=media_root)
        settings.enable()
        self.addCleanup(settings.disable)

    def test_it_records_what_an_uploaded_file_is(self) -> None:
        resource = make_resource(status="draft")
        self.client.force_login(self.editor)
        response = self.client.post(
            reverse("admin:catalog_resource_change", args=[resource.pk]),
            resource_post(
                title=resource.title,
                slug=resource.slug,
                **management("documents", total=1),
                **{
                    "documents-0-file": SimpleUploadedFile("kenya.pdf", TINY_PDF),
                    "documents-0-title": "Full report",
                    "documents-0-position": "0",
                },
            ),
        )
        self.assertEqual(302, response.status_code)
        document = resource.documents.get()
        self.assertEqual(
            (
                "Full report",
                "kenya.pdf",
                "application/pdf",
                len(TINY_PDF),
                hashlib.sha256(TINY_PDF).hexdigest(),
            ),
            (
                document.title,
                document.original_name,
                document.media_type,
                document.size,
                document.sha256,
            ),
        )
        with document.file.open("rb") as stored:
            self.assertEqual(TINY_PDF, stored.read())

    def test_it_reads_the_type_from_the_bytes_not_the_name(self) -> None:
        resource = make_resource(status="draft")
        self.client.force_login(self.editor)
        response = self.client.post(
            reverse("admin:catalog_document_add"),
            {
                "resource": resource.pk,
                "file": SimpleUploadedFile("report.pdf", MINIMAL_DOCX),
                "title": "",
                "position": "0",
            },
        )
        self.assertEqual(302, response.status_code)
        self.assertEqual(DOCX, Document.objects.get(resource=resource).media_type)
        document = Document.objects.get(resource=resource)
        self.assertEqual(
            (Document.State.QUEUED, f"files/{document.sha256[:2]}"),
            (document.state, document.file.name.rsplit("/", 1)[0]),
        )

    def test_it_refuses_an_image_and_a_second_copy_at_the_door(self) -> None:
        resource = make_resource(status="draft")
        self.client.force_login(self.editor)
        add = reverse("admin:catalog_document_add")
        cases = [
            ("photo.pdf", b"\x89PNG\r\n\x1a\n" + bytes(64), "documents only"),
            ("again.docx", MINIMAL_DOCX, "already in the library"),
        ]
        self.client.post(
            add,
            {
                "resource": resource.pk,
                "file": SimpleUploadedFile("a.docx", MINIMAL_DOCX),
                "position": "0",
            },
        )
        for name, data, message in cases:
            with self.subTest(name=name):
                response = self.client.post(
                    add,
                    {
                        "resource": resource.pk,
                        "file": SimpleUploadedFile(name, data),
                        "position": "0",
                    },
                )
                self.assertEqual(200, response.status_code)
                self.assertContains(response, message)
        self.assertEqual(1, Document.objects.filter(resource=resource).count())


class EveryPageTests(AdminTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        resource = make_resource(text="Extracted text.", publishers=("ECPAT",))
        Person.objects.create(name="Ana Ruiz", slug="ana-ruiz")
        collection = Collection.objects.create(name="Starter kit", slug="starter")
        collection.resources.add(resource)

    def catalog_admins(self) -> list:
        return [m for m in admin.site._registry if m._meta.app_label == "catalog"]

    def test_it_registers_every_catalog_model_but_the_ordering_links(self) -> None:
        models = {m.__name__ for m in apps.get_app_config("catalog").get_models()}
        registered = {m.__name__ for m in self.catalog_admins()}
        # Pages are shown read-only inside their document, not on their own.
        links = {"ResourcePublisher", "ResourceAuthor", "Page", "SignatureBand"}
        self.assertEqual(models - links, registered)

    def test_it_serves_every_changelist_add_and_change_page(self) -> None:
        self.client.force_login(self.superuser)
        for model in self.catalog_admins():
            name = f"admin:catalog_{model._meta.model_name}"
            first = model._default_manager.order_by("pk").first()
            urls = [reverse(f"{name}_changelist")]
            # Applications, access requests, revisions and audit events are
            # never added by hand (tests/test_accounts.py, test_audit.py).
            if model._meta.model_name not in NEVER_ADDED:
                urls.append(reverse(f"{name}_add"))
            if first is not None:
                urls.append(reverse(f"{name}_change", args=[first.pk]))
            for url in urls:
                with self.subTest(url=url):
                    self.assertEqual(200, self.client.get(url).status_code)

    def test_it_filters_and_sorts_the_changelists(self) -> None:
        self.client.force_login(self.superuser)
        cases = [
            ("admin:catalog_resource_changelist", {"status": "published"}),
            ("admin:catalog_resource_changelist", {"year": "2021", "o": "3"}),
            ("admin:catalog_resource_changelist", {"year": "none"}),
            ("admin:catalog_region_changelist", {"kind": "country"}),
            ("admin:catalog_document_changelist", {"state": "failed"}),
            ("admin:catalog_organisation_changelist", {"o": "-5"}),
        ]
        for name, params in cases:
            with self.subTest(name=name, params=params):
                self.assertEqual(
                    200, self.client.get(reverse(name), params).status_code
                )

    def test_it_names_the_site_for_curators(self) -> None:
        self.client.force_login(self.editor)
        self.assertContains(self.client.get("/admin/"), "Clearinghouse curation")

    def test_it_lets_editors_read_but_not_change_vocabularies(self) -> None:
        self.client.force_login(self.editor)
        topics = reverse("admin:catalog_topic_changelist")
        self.assertEqual(200, self.client.get(topics).status_code)
        add_topic = reverse("admin:catalog_topic_add")
        self.assertEqual(403, self.client.get(add_topic).status_code)
