"""Revisions: every write path keeps one, the diff shows what changed, restore.

Each write path runs inside ``captureOnCommitCallbacks(execute=True)``, so the
safety net (``catalog.revisions``: a check after commit) runs as in
production. A path that forgot to record its own revision would leave the
work to the net, whose revisions say "change": every test below asserts the
path's own action instead, so forgetting fails here.
"""

import io
import json
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from clearinghouse.api.tokens import create_token
from clearinghouse.catalog import diffs, merging, revisions, workflow
from clearinghouse.catalog.models import Resource, Revision
from clearinghouse.catalog.roles import permissions_named
from clearinghouse.ingest.pipeline import ingest_file
from tests.test_admin import management, resource_post
from tests.world import make_personas, make_resource


def actions_of(resource: Resource) -> list[tuple[str, str, str]]:
    """(action, actor, channel) of the record's revisions, oldest first."""
    return list(
        Revision.objects.filter(resource=resource)
        .order_by("pk")
        .values_list("action", "actor_name", "channel")
    )


def write_pdf(path: Path) -> Path:
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.drawString(60, 780, "Referral pathways for survivors of trafficking.")
    pdf.showPage()
    pdf.save()
    return path


class RevisionTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        personas = make_personas()
        cls.editor, cls.reviewer = personas["editor"], personas["reviewer"]
        cls.member = personas["member"]

    def setUp(self) -> None:
        self.resource = make_resource(
            "Online grooming trends",
            status="draft",
            summary="Grooming moves to private messaging.",
            publishers=("ECPAT International", "UNICEF"),
        )
        # The state the test world made, as if an earlier path had kept it.
        revisions.record_revision(self.resource, action="create")


class WritePathTests(RevisionTestCase):
    def test_it_keeps_an_admin_add_as_created_by_the_editor(self) -> None:
        self.client.force_login(self.editor)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("admin:catalog_resource_add"),
                resource_post(title="Sextortion briefing", slug="sextortion-b"),
            )
        added = Resource.objects.get(slug="sextortion-b")
        self.assertEqual([("create", "editor", "admin")], actions_of(added))

    def test_it_keeps_an_admin_change_with_the_fields_changed(self) -> None:
        self.client.force_login(self.editor)
        url = reverse("admin:catalog_resource_change", args=[self.resource.pk])
        post = resource_post(
            title="Online grooming trends 2024",
            slug=self.resource.slug,
            summary=self.resource.summary,
            **management("publisher_links", total=0, initial=0),
        )
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, post)
        self.assertEqual(302, response.status_code)
        latest = revisions.latest_revision(self.resource)
        self.assertEqual(
            ("edit", "editor", "admin", "Online grooming trends 2024"),
            (
                latest.action,
                latest.actor_name,
                latest.channel,
                latest.snapshot["title"],
            ),
        )
        self.assertIn("Title", latest.comment)

    def test_it_keeps_nothing_when_a_save_changes_nothing(self) -> None:
        before = actions_of(self.resource)
        with self.captureOnCommitCallbacks(execute=True):
            self.resource.save()
            revisions.record_revision(self.resource, self.editor)
        self.assertEqual(before, actions_of(self.resource))

    def test_it_keeps_one_revision_per_workflow_transition(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            workflow.submit_for_review(self.resource, self.editor, "Ready.")
            workflow.send_back(self.resource, self.reviewer, "Add a source.")
            workflow.publish(self.resource, self.reviewer)
            workflow.withdraw(self.resource, self.reviewer, "Superseded.")
        history = Revision.objects.filter(resource=self.resource).order_by("pk")
        self.assertEqual(
            [
                ("create", "", ""),
                ("submit", "editor", "Ready."),
                ("send_back", "reviewer", "Add a source."),
                ("publish", "reviewer", ""),
                ("withdraw", "reviewer", "Superseded."),
            ],
            [(r.action, r.actor_name, r.comment) for r in history],
        )
        self.assertEqual("withdrawn", history.last().snapshot["status"])

    def test_it_keeps_an_import_from_the_command_line(self) -> None:
        path = Path(self.enterContext(tempfile.TemporaryDirectory())) / "records.jsonl"
        record = {"title": "Imported toolkit", "slug": "imported-toolkit"}
        path.write_text(json.dumps(record) + "\n")
        with self.captureOnCommitCallbacks(execute=True):
            call_command(
                "import", str(path), stdout=io.StringIO(), stderr=io.StringIO()
            )
        imported = Resource.objects.get(slug="imported-toolkit")
        self.assertEqual([("import", "", "command")], actions_of(imported))

    def test_it_keeps_api_writes_with_the_token_holder(self) -> None:
        secret = create_token(self.editor, "revisions")[1]
        headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
        body = {"title": "API briefing", "slug": "api-briefing"}
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                "/api/resources",
                json.dumps(body),
                content_type="application/json",
                **headers,
            )
        created = Resource.objects.get(slug="api-briefing")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.patch(
                f"/api/resources/{created.uid}",
                json.dumps({"summary": "Now with a summary."}),
                content_type="application/json",
                **headers,
            )
        self.assertEqual(
            [("import", "editor", "api"), ("import", "editor", "api")],
            actions_of(created),
        )
        self.assertEqual(
            "Saved through the API",
            revisions.describe(revisions.latest_revision(created)),
        )

    def test_it_keeps_an_ingested_file_and_an_attached_one(self) -> None:
        folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        with self.captureOnCommitCallbacks(execute=True):
            outcome = ingest_file(
                write_pdf(folder / "referrals.pdf"), actor=self.editor, enqueue=False
            )
        self.assertEqual(
            [("ingest", "editor", "command")], actions_of(outcome.resource)
        )
        with self.captureOnCommitCallbacks(execute=True):
            ingest_file(
                write_pdf(folder / "annex.pdf"),
                resource=self.resource,
                actor=self.editor,
                enqueue=False,
            )
        latest = revisions.latest_revision(self.resource)
        self.assertEqual(
            ("ingest", "Added annex.pdf.", ["annex.pdf"]),
            (
                latest.action,
                latest.comment,
                [d["name"] for d in latest.snapshot["documents"]],
            ),
        )

    def test_it_keeps_both_records_of_a_merge(self) -> None:
        duplicate = make_resource("grooming trends", status="draft")
        with self.captureOnCommitCallbacks(execute=True):
            merging.merge(self.resource, duplicate, self.reviewer)
        self.assertEqual("merge", revisions.latest_revision(self.resource).action)
        retired = revisions.latest_revision(duplicate)
        self.assertEqual(
            ("merge", "reviewer", "withdrawn"),
            (retired.action, retired.actor_name, retired.snapshot["status"]),
        )

    def test_the_net_keeps_a_change_made_by_a_path_that_records_none(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            self.resource.summary = "Changed straight through the ORM."
            self.resource.save()
        latest = revisions.latest_revision(self.resource)
        self.assertEqual(
            ("change", "Changed straight through the ORM."),
            (latest.action, latest.snapshot["summary"]),
        )

    def test_a_rolled_back_change_leaves_no_revision(self) -> None:
        before = actions_of(self.resource)
        with self.assertRaises(workflow.WorkflowError):
            workflow.send_back(self.resource, self.reviewer, "Not in review yet.")
        self.assertEqual(before, actions_of(self.resource))


class DiffTests(TestCase):
    def test_it_marks_removed_and_added_words_and_escapes_them(self) -> None:
        before, after = diffs.text_diff(
            "Grooming <b>online</b> rises.", "Grooming in chat <b>apps</b> rises."
        )
        self.assertEqual(
            "Grooming <del>&lt;b&gt;online&lt;/b&gt;</del> rises.", str(before)
        )
        self.assertEqual(
            "Grooming <ins>in chat &lt;b&gt;apps&lt;/b&gt;</ins> rises.", str(after)
        )

    def test_it_compares_only_the_fields_that_differ(self) -> None:
        old = {"title": "A", "publishers": ["ECPAT", "UNICEF"], "featured": False}
        new = {"title": "A", "publishers": ["UNICEF", "ECPAT"], "featured": True}
        changes = {
            c.name: (str(c.before), str(c.after)) for c in diffs.compare(old, new)
        }
        self.assertEqual(["publishers", "featured"], list(changes))
        self.assertEqual(("no", "yes"), changes["featured"])
        self.assertIn("(new order)", changes["publishers"][1])

    def test_it_shows_list_items_added_and_removed(self) -> None:
        before, after = diffs.list_diff(["grooming"], ["sextortion"], ordered=False)
        self.assertIn("<del>grooming</del>", str(before))
        self.assertIn("<ins>sextortion</ins>", str(after))


class HistoryPageTests(RevisionTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.resource.title = "Online grooming trends <2024>"
        self.resource.summary = "Grooming moves to encrypted messaging."
        self.resource.save()
        revisions.record_revision(self.resource, self.editor, "Updated.")
        self.first, self.second = Revision.objects.filter(
            resource=self.resource
        ).order_by("pk")

    def url(self, name: str, *args: object) -> str:
        return reverse(f"admin:catalog_resource_{name}", args=[self.resource.pk, *args])

    def test_it_lists_the_revisions_newest_first(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.get(self.url("history"))
        self.assertEqual(200, response.status_code)
        self.assertEqual([2, 1], [row["number"] for row in response.context["rows"]])
        self.assertContains(response, "Updated.")

    def test_it_compares_a_revision_with_the_one_before_it(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.get(self.url("revision", self.second.pk))
        changed = [c.name for c in response.context["changes"]]
        self.assertEqual(["title", "summary"], changed)
        self.assertContains(response, "<ins> &lt;2024&gt;</ins>", html=False)
        self.assertNotContains(response, "<2024>", html=False)

    def test_it_compares_a_revision_with_the_record_now(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.get(
            self.url("revision", self.first.pk), {"against": "current"}
        )
        self.assertEqual(
            ["title", "summary"], [c.name for c in response.context["changes"]]
        )
        self.assertTrue(response.context["may_restore"])

    def test_it_restores_a_revision_as_a_new_one(self) -> None:
        self.client.force_login(self.editor)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.url("restore", self.first.pk))
        self.assertRedirects(response, self.url("change"))
        self.resource.refresh_from_db()
        self.assertEqual("Online grooming trends", self.resource.title)
        latest = revisions.latest_revision(self.resource)
        self.assertEqual(
            ("restore", "editor", "admin"),
            (latest.action, latest.actor_name, latest.channel),
        )
        self.assertTrue(latest.comment.startswith("Restored revision 1 ("))
        self.assertEqual(3, Revision.objects.filter(resource=self.resource).count())
        self.assertEqual(
            ["ECPAT International", "UNICEF"],
            [o.name for o in self.resource.ordered_publishers()],
        )

    def test_a_restore_keeps_the_status_the_workflow_gave(self) -> None:
        workflow.submit_for_review(self.resource, self.editor)
        self.client.force_login(self.editor)
        self.client.post(self.url("restore", self.first.pk))
        self.resource.refresh_from_db()
        self.assertEqual(
            ("review", "Online grooming trends"),
            (self.resource.status, self.resource.title),
        )
        self.assertEqual(
            ["submit"],
            [e["action"] for e in workflow.history(self.resource)],
        )

    def test_it_refuses_restore_without_the_change_permission(self) -> None:
        viewer = self.member
        viewer.is_staff = True
        viewer.save()
        viewer.user_permissions.add(*_permissions("view_resource"))
        self.client.force_login(viewer)
        self.assertEqual(200, self.client.get(self.url("history")).status_code)
        response = self.client.post(self.url("restore", self.first.pk))
        self.assertEqual(403, response.status_code)
        self.resource.refresh_from_db()
        self.assertEqual("Online grooming trends <2024>", self.resource.title)
        with self.assertRaises(revisions.RevisionError):
            revisions.restore(self.first, viewer, 1)

    def test_it_refuses_restore_by_get_and_history_to_readers(self) -> None:
        self.client.force_login(self.editor)
        self.assertEqual(
            405, self.client.get(self.url("restore", self.first.pk)).status_code
        )
        self.client.force_login(self.member)
        response = self.client.get(self.url("history"))
        self.assertEqual(302, response.status_code)  # to the admin's sign-in
        self.assertNotIn("grooming", response.content.decode().lower())

    def test_it_answers_404_for_another_records_revision(self) -> None:
        other = make_resource("Another record")
        revisions.record_revision(other)
        stranger = revisions.latest_revision(other)
        self.client.force_login(self.editor)
        self.assertEqual(
            404, self.client.get(self.url("revision", stranger.pk)).status_code
        )

    def test_it_keeps_the_history_of_a_deleted_record(self) -> None:
        uid = self.resource.uid
        self.resource.delete()
        kept = Revision.objects.filter(resource_uid=uid)
        self.assertEqual([None, None], [r.resource_id for r in kept])

    def test_it_lists_every_records_revisions_read_only(self) -> None:
        self.client.force_login(self.editor)
        changelist = self.client.get(reverse("admin:catalog_revision_changelist"))
        self.assertContains(changelist, self.url("revision", self.second.pk))
        change = reverse("admin:catalog_revision_change", args=[self.second.pk])
        self.assertContains(self.client.get(change), "Updated.")
        self.assertNotContains(self.client.get(change), 'name="_save"')
        add = reverse("admin:catalog_revision_add")
        self.assertEqual(403, self.client.get(add).status_code)

    def test_the_record_page_links_to_the_history(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.get(self.url("change"))
        self.assertContains(response, self.url("history"))


def _permissions(*codenames: str) -> list:
    return permissions_named(list(codenames))
