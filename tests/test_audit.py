"""The audit log: each kind of event, read-only everywhere, and no addresses."""

import io
import json
import tempfile
from pathlib import Path

from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.urls import reverse

from clearinghouse.catalog import members
from clearinghouse.catalog.actors import acting_as
from clearinghouse.catalog.models import (
    AccessRequest,
    AuditEvent,
    Membership,
    Revision,
)
from clearinghouse.catalog.roles import ADMINISTRATOR, MEMBERS
from tests.test_api_visibility import bearer
from tests.test_downloads import attach_file
from tests.world import make_personas, make_resource

# What a browser sends that the library must never keep.
CLIENT = {"REMOTE_ADDR": "203.0.113.77", "HTTP_USER_AGENT": "Marker-Browser/9.1"}
CLIENT_TRACES = ("203.0.113.77", "Marker-Browser")


def events(*actions: str) -> list[tuple]:
    """(action, actor, object, detail) of the events with these actions."""
    found = AuditEvent.objects.filter(action__in=actions).order_by("pk")
    return [(e.action, e.actor_name, e.object_repr, e.detail) for e in found]


class AuditTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.personas = make_personas()
        cls.member, cls.newcomer = cls.personas["member"], cls.personas["newcomer"]
        cls.root = User.objects.create_superuser("root", "root@example.org", "r00t-pw")
        cls.ada = User.objects.create_user("ada", is_staff=True)
        cls.ada.groups.add(Group.objects.get(name=ADMINISTRATOR))


class SignInTests(AuditTestCase):
    def sign_in(self, username: str, password: str, url: str = "/accounts/login/"):
        return self.client.post(
            url, {"username": username, "password": password}, **CLIENT
        )

    def test_it_records_a_sign_in_and_a_sign_out(self) -> None:
        self.assertEqual(302, self.sign_in("member", "member-pass-1234").status_code)
        self.client.post("/accounts/logout/", **CLIENT)
        self.assertEqual(
            [("sign_in", "member", "member", {}), ("sign_out", "member", "member", {})],
            events("sign_in", "sign_out"),
        )

    def test_it_records_a_failed_sign_in_with_the_username_only(self) -> None:
        self.sign_in("member", "wrong-secret-typed")
        self.sign_in("secret-typed-as-a-name", "another-secret", url="/admin/login/")
        self.assertEqual(
            [
                ("sign_in_failed", "", "", {"username": "member"}),
                ("sign_in_failed", "", "", {"username": "(no such account)"}),
            ],
            events("sign_in_failed"),
        )
        stored = json.dumps(list(AuditEvent.objects.values()), default=str)
        self.assertNotIn("secret", stored)


class PermissionChangeTests(AuditTestCase):
    def test_it_records_groups_given_and_taken_from_both_sides(self) -> None:
        members_group = Group.objects.get(name=MEMBERS)
        with acting_as(self.ada):
            self.newcomer.groups.add(members_group)
            members_group.user_set.remove(self.newcomer)
            self.newcomer.groups.add(members_group)
            self.newcomer.groups.clear()
        self.assertEqual(
            [
                ("user.groups", "ada", "newcomer", {"added": ["Members"]}),
                ("user.groups", "ada", "newcomer", {"removed": ["Members"]}),
                ("user.groups", "ada", "newcomer", {"added": ["Members"]}),
                ("user.groups", "ada", "newcomer", {"removed": ["Members"]}),
            ],
            events("user.groups")[-4:],
        )

    def test_it_records_permissions_of_users_and_groups(self) -> None:
        publish = Permission.objects.get(codename="publish_resource")
        hotline = Group.objects.create(name="Hotline analysts")
        with acting_as(self.root):
            self.newcomer.user_permissions.add(publish)
            hotline.permissions.add(publish)
            publish.group_set.remove(hotline)
        self.assertEqual(
            [
                (
                    "user.permissions",
                    "root",
                    "newcomer",
                    {"added": ["catalog.publish_resource"]},
                ),
                (
                    "group.permissions",
                    "root",
                    "Hotline analysts",
                    {"added": ["catalog.publish_resource"]},
                ),
                (
                    "group.permissions",
                    "root",
                    "Hotline analysts",
                    {"removed": ["catalog.publish_resource"]},
                ),
            ],
            events("user.permissions", "group.permissions")[-3:],
        )

    def test_it_records_a_change_made_in_the_admin_by_its_curator(self) -> None:
        self.client.force_login(self.root)
        newcomer = self.newcomer
        response = self.client.post(
            reverse("admin:auth_user_change", args=[newcomer.pk]),
            {
                "username": "newcomer",
                "is_active": "on",
                "is_staff": "on",
                "groups": [Group.objects.get(name=MEMBERS).pk],
                "date_joined_0": "2024-01-01",
                "date_joined_1": "10:00:00",
            },
        )
        self.assertEqual(302, response.status_code)
        self.assertEqual(
            [
                ("user.flags", "root", "newcomer", {"is_staff": [False, True]}),
                ("user.groups", "root", "newcomer", {"added": ["Members"]}),
            ],
            events("user.flags", "user.groups")[-2:],
        )

    def test_it_records_membership_decisions(self) -> None:
        user = User.objects.create_user("amina", email="a@example.org", is_active=False)
        application = Membership.objects.create(
            user=user, name="Amina", organisation="Helpline", reason="Training."
        )
        members.approve(application, self.ada, str)
        self.assertEqual(
            [("membership.approve", "ada", "amina", {})],
            events("membership.approve"),
        )


class ExportAndDownloadTests(AuditTestCase):
    def test_it_records_an_export_from_the_command_line(self) -> None:
        make_resource("Exported report")
        folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        call_command("export", "-o", str(folder / "all.jsonl"), stderr=io.StringIO())
        [(action, actor, _, detail)] = events("export")
        self.assertEqual(
            (
                "export",
                "",
                {
                    "via": "export",
                    "count": 1,
                    "format": "jsonl",
                    "query": "",
                    "public": False,
                },
            ),
            (action, actor, detail),
        )

    def test_it_records_an_export_from_the_admin(self) -> None:
        report = make_resource("Exported report")
        self.client.force_login(self.personas["editor"])
        response = self.client.post(
            reverse("admin:catalog_resource_changelist"),
            {
                "action": "export_as_jsonl",
                "index": "0",
                "_selected_action": [report.pk],
            },
        )
        self.assertEqual(200, response.status_code)
        self.assertEqual(
            [("export", "editor", "", {"via": "admin", "count": 1, "format": "jsonl"})],
            events("export"),
        )

    def test_it_records_readers_exports_only_when_they_hold_restricted_records(
        self,
    ) -> None:
        make_resource("Open guide")
        make_resource("Members briefing", access="members")
        self.client.get("/library/export.bib")  # anonymous: public records only
        self.client.force_login(self.member)
        self.client.get("/library/export.ris?q=guide")  # public records only
        self.client.get("/library/export.bib")
        self.client.logout()
        self.client.get("/api/export?format=csv", **bearer(self.member))
        counts = {"count": 2, "restricted": 1}
        self.assertEqual(
            [
                ("export", "member", "", {"via": "web", "format": "bibtex", **counts}),
                ("export", "member", "", {"via": "api", "format": "csv", **counts}),
            ],
            events("export"),
        )

    def test_it_records_downloads_of_restricted_documents_only(self) -> None:
        public = attach_file(make_resource("Open guide"), b"%PDF-1.4 open")
        restricted = attach_file(
            make_resource("Toolkit", document_access="members"), b"%PDF-1.4 closed"
        )
        self.client.force_login(self.member)
        for document in (public, restricted):
            self.assertEqual(
                200, self.client.get(document.get_absolute_url(), **CLIENT).status_code
            )
        # A PDF viewer's further ranges are the same download.
        self.client.get(restricted.get_absolute_url(), HTTP_RANGE="bytes=5-9")
        self.client.logout()
        self.assertEqual(
            403, self.client.get(restricted.get_absolute_url()).status_code
        )
        self.assertEqual(
            [
                (
                    "download",
                    "member",
                    str(restricted),
                    {"resource": restricted.resource.slug, "access": "members"},
                )
            ],
            events("download"),
        )


class ReadOnlyTests(AuditTestCase):
    def setUp(self) -> None:
        self.event = AuditEvent.objects.create(action="sign_in", actor_name="member")

    def test_it_refuses_to_change_or_delete_an_event_in_code(self) -> None:
        with self.assertRaises(PermissionError):
            self.event.save()
        with self.assertRaises(PermissionError):
            self.event.delete()
        with self.assertRaises(PermissionError):
            AuditEvent.objects.all().delete()
        with self.assertRaises(PermissionError):
            AuditEvent.objects.update(action="nothing")
        self.assertTrue(AuditEvent.objects.filter(pk=self.event.pk).exists())

    def test_it_lets_nobody_add_change_or_delete_in_the_admin(self) -> None:
        self.client.force_login(self.root)
        change = reverse("admin:catalog_auditevent_change", args=[self.event.pk])
        delete = reverse("admin:catalog_auditevent_delete", args=[self.event.pk])
        changelist = reverse("admin:catalog_auditevent_changelist")
        self.assertEqual(200, self.client.get(changelist).status_code)
        self.assertEqual(
            200, self.client.get(changelist, {"action": "sign_in"}).status_code
        )
        self.assertNotContains(self.client.get(change), 'name="_save"')
        self.assertEqual(
            [403, 403, 403],
            [
                self.client.get(reverse("admin:catalog_auditevent_add")).status_code,
                self.client.post(change, {"action": "forged"}).status_code,
                self.client.post(delete, {"post": "yes"}).status_code,
            ],
        )
        self.event.refresh_from_db()
        self.assertEqual("sign_in", self.event.action)

    def test_it_shows_the_log_to_administrators_not_to_editors(self) -> None:
        changelist = reverse("admin:catalog_auditevent_changelist")
        self.client.force_login(self.ada)
        self.assertEqual(200, self.client.get(changelist).status_code)
        self.client.force_login(self.personas["editor"])
        self.assertEqual(403, self.client.get(changelist).status_code)


class NoAddressTests(AuditTestCase):
    def test_no_model_of_the_people_side_has_a_field_for_addresses(self) -> None:
        for model in (AuditEvent, Revision, AccessRequest, Membership):
            names = " ".join(f.name for f in model._meta.get_fields()).lower()
            with self.subTest(model=model.__name__):
                for word in ("ip", "address", "agent", "host"):
                    self.assertNotRegex(names, rf"(^|_| ){word}($|_| )")

    def test_nothing_a_browser_sends_about_itself_is_stored_anywhere(self) -> None:
        restricted = attach_file(
            make_resource("Toolkit", slug="toolkit", document_access="members"),
            b"%PDF-1.4 closed",
        )
        self.client.post(
            "/accounts/login/", {"username": "member", "password": "nope"}, **CLIENT
        )
        self.client.post(
            "/accounts/login/",
            {"username": "newcomer", "password": "newcomer-pass-1234"},
            **CLIENT,
        )
        self.client.post(
            reverse("request_access", args=["toolkit"]), {"message": "Hi"}, **CLIENT
        )
        self.client.force_login(self.member)
        self.client.get(restricted.get_absolute_url(), **CLIENT)
        self.client.post("/accounts/logout/", **CLIENT)
        self.assertEqual(
            [
                "sign_in_failed",
                "sign_in",
                "access.request",
                "sign_in",  # force_login signs in as a browser would
                "download",
                "sign_out",
            ],
            list(
                AuditEvent.objects.filter(
                    action__in=[
                        "sign_in_failed",
                        "sign_in",
                        "access.request",
                        "download",
                        "sign_out",
                    ]
                )
                .order_by("pk")
                .values_list("action", flat=True)
            ),
        )
        for table, text in every_table():
            for trace in CLIENT_TRACES:
                with self.subTest(table=table, trace=trace):
                    self.assertNotIn(trace, text)


def every_table() -> list[tuple[str, str]]:
    """Each database table with all its rows as text."""
    dumped = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 (own names)
            dumped.append((table, repr(cursor.fetchall())))
    return dumped
