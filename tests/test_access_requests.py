"""Requesting access to restricted documents: asking, deciding, and no leaks."""

from django.contrib.auth.models import Group, User
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from clearinghouse.catalog import access_requests
from clearinghouse.catalog.models import AccessRequest, AuditEvent, Decision
from clearinghouse.catalog.roles import ADMINISTRATOR
from clearinghouse.catalog.visibility import may_download
from tests.world import make_personas, make_resource


class AccessRequestTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.personas = make_personas()
        cls.newcomer = cls.personas["newcomer"]
        cls.newcomer.email = "newcomer@example.org"
        cls.newcomer.save()
        cls.ada = User.objects.create_user(
            "ada", email="ada@library.example", is_staff=True
        )
        cls.ada.groups.add(Group.objects.get(name=ADMINISTRATOR))
        cls.toolkit = make_resource(
            "Practitioner toolkit", slug="toolkit", document_access="members", text="x"
        )
        cls.police = make_resource(
            "Investigators' guide",
            slug="police-guide",
            document_access="groups",
            groups=("Law enforcement",),
            text="x",
        )
        cls.two_groups = make_resource(
            "Hotline handbook",
            slug="hotline-handbook",
            document_access="groups",
            groups=("Law enforcement", "Hotline analysts"),
            text="x",
        )

    def url(self, resource: object) -> str:
        return reverse("request_access", args=[resource.slug])

    def ask(self, resource: object, message: str = "") -> object:
        return self.client.post(self.url(resource), {"message": message})

    def decide(self, action: str, *requests: AccessRequest) -> object:
        return self.client.post(
            reverse("admin:catalog_accessrequest_changelist"),
            {
                "action": action,
                "index": "0",
                "_selected_action": [r.pk for r in requests],
            },
            follow=True,
        )


class AskingTests(AccessRequestTestCase):
    def test_it_asks_an_anonymous_reader_to_sign_in_first(self) -> None:
        page = self.client.get(self.url(self.toolkit))
        self.assertContains(page, "Sign in to ask")
        self.assertNotContains(page, 'name="message"')
        response = self.ask(self.toolkit, "Please.")
        self.assertRedirects(
            response,
            f"{reverse('login')}?next={self.url(self.toolkit)}",
            fetch_redirect_response=False,
        )
        self.assertFalse(AccessRequest.objects.exists())

    def test_it_sets_no_cookie_for_an_anonymous_reader(self) -> None:
        response = self.client.get(self.url(self.toolkit))
        self.assertEqual({}, dict(response.cookies))

    def test_it_records_a_request_and_tells_the_administrators(self) -> None:
        self.client.force_login(self.newcomer)
        response = self.ask(self.toolkit, "I run a helpline.")
        self.assertRedirects(response, self.url(self.toolkit))
        request = AccessRequest.objects.get()
        self.assertEqual(
            (self.newcomer, self.toolkit, "I run a helpline.", Decision.PENDING),
            (request.user, request.resource, request.message, request.status),
        )
        [message] = mail.outbox
        self.assertEqual(
            (["ada@library.example"], "Access request: Practitioner toolkit"),
            (message.to, message.subject),
        )
        self.assertIn("I run a helpline.", message.body)
        self.assertIn(
            f"/admin/catalog/accessrequest/{request.pk}/change/", message.body
        )
        page = self.client.get(self.url(self.toolkit))
        self.assertContains(page, "Your request has been sent")
        self.assertEqual(
            ["access.request"],
            list(
                AuditEvent.objects.values_list("action", flat=True).filter(
                    action__startswith="access."
                )
            ),
        )

    def test_it_keeps_one_open_request_per_reader_and_record(self) -> None:
        self.client.force_login(self.newcomer)
        self.ask(self.toolkit, "First.")
        self.ask(self.toolkit, "Again.")
        self.assertEqual(["First."], [r.message for r in AccessRequest.objects.all()])
        self.assertEqual(1, len(mail.outbox))

    def test_it_sends_a_reader_who_has_access_back_to_the_record(self) -> None:
        self.client.force_login(self.personas["member"])
        response = self.ask(self.toolkit)
        self.assertRedirects(response, self.toolkit.get_absolute_url())
        self.assertFalse(AccessRequest.objects.exists())

    def test_it_never_reveals_a_record_the_reader_may_not_see(self) -> None:
        hidden = [
            make_resource("Draft audit", slug="draft-audit", status="draft"),
            make_resource("Members briefing", slug="members-brief", access="members"),
            make_resource(
                "Analysts only",
                slug="analysts",
                access="groups",
                groups=("Hotline analysts",),
            ),
        ]
        self.client.force_login(self.newcomer)
        missing = self.client.get("/resources/no-such-record/request-access/")
        for resource in hidden:
            with self.subTest(resource=resource.slug):
                page = self.client.get(self.url(resource))
                self.assertEqual(
                    (404, missing.templates[0].name, False),
                    (
                        page.status_code,
                        page.templates[0].name,
                        resource.title in page.content.decode(),
                    ),
                )
                self.assertEqual(404, self.ask(resource, "Let me in.").status_code)
        self.assertFalse(AccessRequest.objects.exists())
        self.assertEqual([], mail.outbox)

    def test_the_record_and_restricted_pages_offer_the_request(self) -> None:
        document = self.toolkit.documents.get()
        page = self.client.get(self.toolkit.get_absolute_url())
        self.assertContains(page, self.url(self.toolkit))
        restricted = self.client.get(document.get_absolute_url())
        self.assertContains(restricted, self.url(self.toolkit), status_code=403)


class DecisionTests(AccessRequestTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.newcomer)
        self.ask(self.toolkit, "For training.")
        self.ask(self.police)
        self.ask(self.two_groups)
        mail.outbox.clear()
        self.client.force_login(self.ada)

    def request_for(self, resource: object) -> AccessRequest:
        return AccessRequest.objects.get(resource=resource)

    def test_granting_members_documents_makes_the_reader_a_member(self) -> None:
        request = self.request_for(self.toolkit)
        self.assertFalse(may_download(self.newcomer, self.toolkit))
        self.assertContains(self.decide("grant", request), "Granted: 1.")
        request.refresh_from_db()
        self.assertEqual(
            (Decision.GRANTED, self.ada), (request.status, request.decided_by)
        )
        newcomer = User.objects.get(pk=self.newcomer.pk)
        self.assertEqual(["Members"], [g.name for g in newcomer.groups.all()])
        self.assertTrue(may_download(newcomer, self.toolkit))
        [message] = mail.outbox
        self.assertEqual(
            (["newcomer@example.org"], "Access granted: Practitioner toolkit"),
            (message.to, message.subject),
        )

    def test_granting_group_documents_adds_the_records_only_group(self) -> None:
        self.decide("grant", self.request_for(self.police))
        newcomer = User.objects.get(pk=self.newcomer.pk)
        self.assertEqual(["Law enforcement"], [g.name for g in newcomer.groups.all()])
        self.assertTrue(may_download(newcomer, self.police))

    def test_it_asks_which_group_when_the_record_names_several(self) -> None:
        request = self.request_for(self.two_groups)
        response = self.decide("grant", request)
        self.assertContains(response, "Choose the group to add newcomer to")
        request.refresh_from_db()
        self.assertEqual(Decision.PENDING, request.status)
        analysts = Group.objects.get(name="Hotline analysts")
        change = reverse("admin:catalog_accessrequest_change", args=[request.pk])
        page = self.client.get(change)
        self.assertEqual(
            ["Hotline analysts", "Law enforcement"],
            sorted(
                g.name for g in page.context["adminform"].form.fields["group"].queryset
            ),
        )
        self.client.post(change, {"group": analysts.pk, "note": "Welcome."})
        self.decide("grant", request)
        newcomer = User.objects.get(pk=self.newcomer.pk)
        self.assertEqual(["Hotline analysts"], [g.name for g in newcomer.groups.all()])
        self.assertIn("Welcome.", mail.outbox[-1].body)

    def test_it_never_grants_a_group_the_record_does_not_name(self) -> None:
        request = self.request_for(self.police)
        request.group = Group.objects.get(name="Editor")
        request.save()
        with self.assertRaises(access_requests.AccessRequestError):
            access_requests.grant(request, self.ada, str)
        self.assertFalse(User.objects.get(pk=self.newcomer.pk).groups.exists())

    def test_refusing_changes_nothing_and_tells_the_reader(self) -> None:
        request = self.request_for(self.toolkit)
        self.assertContains(self.decide("refuse", request), "Refused: 1.")
        request.refresh_from_db()
        self.assertEqual(Decision.REFUSED, request.status)
        self.assertFalse(may_download(self.newcomer, self.toolkit))
        [message] = mail.outbox
        self.assertIn("could not grant", message.body)
        # A refused request is closed: the reader may ask again later.
        self.client.force_login(self.newcomer)
        self.ask(self.toolkit, "With more detail this time.")
        self.assertEqual(2, AccessRequest.objects.filter(resource=self.toolkit).count())

    def test_it_decides_each_request_once(self) -> None:
        request = self.request_for(self.toolkit)
        self.decide("refuse", request)
        response = self.decide("grant", request)
        self.assertContains(response, "was refused already")
        self.assertFalse(may_download(self.newcomer, self.toolkit))

    def test_it_lets_only_administrators_decide(self) -> None:
        request = self.request_for(self.toolkit)
        self.client.force_login(self.personas["reviewer"])
        self.assertEqual(403, self.decide("grant", request).status_code)
        request.refresh_from_db()
        self.assertEqual(Decision.PENDING, request.status)

    def test_it_records_each_decision_in_the_audit_log(self) -> None:
        self.decide("grant", self.request_for(self.toolkit))
        self.decide("refuse", self.request_for(self.police))
        events = AuditEvent.objects.filter(action__in=["access.grant", "access.refuse"])
        self.assertEqual(
            [
                (
                    "access.grant",
                    "ada",
                    {"user": self.newcomer.pk, "groups": ["Members"]},
                ),
                ("access.refuse", "ada", {"user": self.newcomer.pk}),
            ],
            [(e.action, e.actor_name, e.detail) for e in events.order_by("pk")],
        )
