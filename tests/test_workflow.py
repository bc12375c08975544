"""The workflow: every allowed transition, every refused one, and what is recorded."""

from django.contrib.auth.models import AnonymousUser, User
from django.test import TestCase
from django.urls import reverse

from clearinghouse.catalog import workflow
from clearinghouse.catalog.models import Resource, Revision
from clearinghouse.catalog.workflow import WorkflowError
from tests.world import make_personas, make_resource

STATUSES = ["draft", "review", "published", "withdrawn"]

# (action, from) → to; every other pair is refused.
ALLOWED = {
    ("submit", "draft"): "review",
    ("publish", "draft"): "published",
    ("publish", "review"): "published",
    ("send_back", "review"): "draft",
    ("withdraw", "published"): "withdrawn",
    ("restore_draft", "withdrawn"): "draft",
}

FUNCTIONS = {
    "submit": workflow.submit_for_review,
    "publish": workflow.publish,
    "send_back": workflow.send_back,
    "withdraw": workflow.withdraw,
    "restore_draft": workflow.restore_draft,
}


def status_in_db(resource: Resource) -> str:
    return Resource.objects.values_list("status", flat=True).get(pk=resource.pk)


class TransitionTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        personas = make_personas()
        cls.editor = personas["editor"]
        cls.reviewer = personas["reviewer"]
        cls.member = personas["member"]

    def test_it_applies_every_allowed_transition(self) -> None:
        for (action, source), target in ALLOWED.items():
            with self.subTest(action=action, source=source):
                resource = make_resource(status=source)
                FUNCTIONS[action](resource, self.reviewer, "Checked.")
                self.assertEqual(target, resource.status)
                self.assertEqual(target, status_in_db(resource))

    def test_it_refuses_every_other_transition(self) -> None:
        for action, function in FUNCTIONS.items():
            for source in STATUSES:
                if (action, source) in ALLOWED:
                    continue
                with self.subTest(action=action, source=source):
                    resource = make_resource(status=source)
                    with self.assertRaises(WorkflowError):
                        function(resource, self.reviewer, "Checked.")
                    self.assertEqual(source, status_in_db(resource))
                    self.assertEqual([], workflow.history(resource))

    def test_it_says_why_a_transition_is_refused(self) -> None:
        resource = make_resource("Sextortion trends", status="published")
        with self.assertRaisesMessage(
            WorkflowError,
            "“Sextortion trends” is published: only a draft can be submitted "
            "for review.",
        ):
            workflow.submit_for_review(resource, self.reviewer)

    def test_it_lets_an_editor_submit(self) -> None:
        resource = make_resource(status="draft")
        workflow.submit_for_review(resource, self.editor)
        self.assertEqual("review", status_in_db(resource))

    def test_it_refuses_an_editor_everything_but_submit(self) -> None:
        for (action, source), _ in ALLOWED.items():
            if action == "submit":
                continue
            with self.subTest(action=action, source=source):
                resource = make_resource(status=source)
                with self.assertRaisesMessage(
                    WorkflowError, "(the catalog.publish_resource permission"
                ):
                    FUNCTIONS[action](resource, self.editor, "Checked.")
                self.assertEqual(source, status_in_db(resource))

    def test_it_refuses_readers_and_inactive_curators(self) -> None:
        inactive = User.objects.create_user("gone", is_active=False)
        inactive.groups.set(self.reviewer.groups.all())
        actors = [None, AnonymousUser(), self.member, inactive]
        for actor in actors:
            with self.subTest(actor=actor):
                resource = make_resource(status="draft")
                with self.assertRaises(WorkflowError):
                    workflow.submit_for_review(resource, actor)
                with self.assertRaises(WorkflowError):
                    workflow.publish(resource, actor)
                self.assertEqual("draft", status_in_db(resource))

    def test_it_requires_a_comment_to_send_back(self) -> None:
        resource = make_resource(status="review")
        for comment in ("", "   \n"):
            with self.assertRaisesMessage(WorkflowError, "a comment is required"):
                workflow.send_back(resource, self.reviewer, comment)
        self.assertEqual("review", status_in_db(resource))

    def test_it_requires_a_reason_to_withdraw(self) -> None:
        resource = make_resource(status="published")
        with self.assertRaisesMessage(WorkflowError, "A reason is required"):
            workflow.withdraw(resource, self.reviewer, " ")
        self.assertEqual("published", status_in_db(resource))

    def test_it_checks_the_state_in_the_database_not_a_stale_copy(self) -> None:
        resource = make_resource(status="review")
        stale = Resource.objects.get(pk=resource.pk)
        workflow.publish(resource, self.reviewer)
        with self.assertRaisesMessage(WorkflowError, "is published"):
            workflow.send_back(stale, self.reviewer, "Needs a summary.")
        self.assertEqual("published", status_in_db(resource))

    def test_it_refuses_an_unsaved_record(self) -> None:
        with self.assertRaisesMessage(WorkflowError, "is not saved yet"):
            workflow.publish(Resource(title="Unsaved"), self.reviewer)

    def test_it_refuses_an_unknown_action(self) -> None:
        resource = make_resource(status="draft")
        with self.assertRaisesMessage(WorkflowError, "Unknown workflow action"):
            workflow.apply_transition(resource, "delete", self.reviewer)


class RecordTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        personas = make_personas()
        cls.editor = personas["editor"]
        cls.reviewer = personas["reviewer"]

    def test_it_keeps_the_review_comment_until_publication(self) -> None:
        resource = make_resource(status="draft")
        workflow.submit_for_review(resource, self.editor)
        workflow.send_back(resource, self.reviewer, "  Add the publisher.  ")
        resource.refresh_from_db()
        self.assertEqual(("draft", "Add the publisher."), self._state(resource))
        workflow.submit_for_review(resource, self.editor)
        resource.refresh_from_db()
        self.assertEqual("Add the publisher.", resource.review_comment)
        workflow.publish(resource, self.reviewer)
        resource.refresh_from_db()
        self.assertEqual(("published", ""), self._state(resource))

    def test_it_stores_the_withdrawal_reason_until_restored(self) -> None:
        resource = make_resource(status="published")
        workflow.withdraw(resource, self.reviewer, "Superseded by the 2023 edition.")
        resource.refresh_from_db()
        self.assertEqual(
            ("withdrawn", "Superseded by the 2023 edition."),
            (resource.status, resource.withdrawn_reason),
        )
        workflow.restore_draft(resource, self.reviewer)
        resource.refresh_from_db()
        self.assertEqual(("draft", ""), (resource.status, resource.withdrawn_reason))

    def test_it_appends_each_change_to_the_history(self) -> None:
        resource = make_resource(status="draft", provenance={"source": "import"})
        workflow.submit_for_review(resource, self.editor, "Ready.")
        workflow.send_back(resource, self.reviewer, "Add a summary.")
        workflow.publish(resource, self.reviewer)
        resource.refresh_from_db()
        entries = [
            {k: v for k, v in entry.items() if k != "at"}
            for entry in workflow.history(resource)
        ]
        self.assertEqual(
            [
                {
                    "action": "submit",
                    "from": "draft",
                    "to": "review",
                    "by": "editor",
                    "comment": "Ready.",
                },
                {
                    "action": "send_back",
                    "from": "review",
                    "to": "draft",
                    "by": "reviewer",
                    "comment": "Add a summary.",
                },
                {
                    "action": "publish",
                    "from": "draft",
                    "to": "published",
                    "by": "reviewer",
                    "comment": "",
                },
            ],
            entries,
        )
        self.assertEqual("import", resource.provenance["source"])

    def test_it_hides_a_withdrawn_record_but_keeps_its_tombstone(self) -> None:
        resource = make_resource(status="published")
        workflow.withdraw(resource, self.reviewer, "Published in error.")
        self.assertFalse(Resource.objects.public().filter(pk=resource.pk).exists())
        tombstones = Resource.objects.tombstones_visible_to(AnonymousUser())
        self.assertTrue(tombstones.filter(pk=resource.pk).exists())

    def test_it_lists_the_transitions_an_actor_may_apply(self) -> None:
        cases = [
            ("draft", self.editor, ["submit"]),
            ("draft", self.reviewer, ["submit", "publish"]),
            ("review", self.editor, []),
            ("review", self.reviewer, ["publish", "send_back"]),
            ("published", self.reviewer, ["withdraw"]),
            ("withdrawn", self.reviewer, ["restore_draft"]),
            ("withdrawn", self.editor, []),
        ]
        for status, actor, expected in cases:
            with self.subTest(status=status, actor=actor.username):
                resource = make_resource(status=status)
                actions = workflow.allowed_transitions(resource, actor)
                self.assertEqual(expected, [t.action for t in actions])

    def _state(self, resource: Resource) -> tuple[str, str]:
        return resource.status, resource.review_comment


class CurationTests(TestCase):
    """The workflow as curators meet it in the admin, and what it keeps."""

    @classmethod
    def setUpTestData(cls) -> None:
        personas = make_personas()
        cls.editor = personas["editor"]
        cls.reviewer = personas["reviewer"]

    def button(self, resource: Resource, action: str, comment: str = "") -> object:
        url = reverse("admin:catalog_resource_workflow", args=[resource.pk, action])
        return self.client.post(url, {"comment": comment}, follow=True)

    def test_it_keeps_a_revision_of_each_transition_with_its_comment(self) -> None:
        resource = make_resource(status="draft")
        workflow.submit_for_review(resource, self.editor, "Ready.")
        workflow.send_back(resource, self.reviewer, "Name the publisher.")
        kept = Revision.objects.filter(resource=resource).order_by("pk")
        self.assertEqual(
            [
                ("submit", "editor", "Ready.", "review"),
                ("send_back", "reviewer", "Name the publisher.", "draft"),
            ],
            [(r.action, r.actor_name, r.comment, r.snapshot["status"]) for r in kept],
        )

    def test_it_shows_the_editor_why_a_record_was_sent_back(self) -> None:
        resource = make_resource(status="review")
        self.client.force_login(self.reviewer)
        self.button(resource, "send_back", "Add the <em>publisher</em>.")
        self.client.force_login(self.editor)
        page = self.client.get(
            reverse("admin:catalog_resource_change", args=[resource.pk])
        )
        self.assertContains(
            page, "Reviewer’s comment: Add the &lt;em&gt;publisher&lt;/em&gt;."
        )

    def test_it_refuses_an_editor_the_publish_button(self) -> None:
        resource = make_resource(status="review")
        self.client.force_login(self.editor)
        response = self.button(resource, "publish")
        self.assertContains(response, "may not publish")
        self.assertEqual("review", status_in_db(resource))
        self.assertFalse(Revision.objects.filter(resource=resource).exists())

    def test_a_reviewer_approves_through_the_button(self) -> None:
        resource = make_resource(status="review")
        self.client.force_login(self.reviewer)
        self.button(resource, "publish")
        self.assertEqual("published", status_in_db(resource))
        self.assertEqual(
            ["publish"],
            list(
                Revision.objects.filter(resource=resource).values_list(
                    "action", flat=True
                )
            ),
        )
