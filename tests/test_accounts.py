"""Accounts: applying for membership, approval in the admin, password resets,
and who may manage accounts."""

import re

from django.contrib.auth.models import Group, User
from django.core import mail
from django.test import TestCase, override_settings
from django.urls import reverse

from clearinghouse.catalog import members
from clearinghouse.catalog.models import Application, Membership, Resource
from clearinghouse.catalog.roles import ADMINISTRATOR, MEMBERS
from tests.world import make_personas, make_resource

APPLICATION = {
    "name": "Amina Otieno",
    "email": "amina@example.org",
    "organisation": "Child Helpline Kenya",
    "reason": "I train helpline counsellors on online grooming.",
}
LINK = re.compile(r"http://testserver(/accounts/reset/[^\s]+/)")


def administrator(username: str = "ada") -> User:
    user = User.objects.create_user(
        username, email=f"{username}@library.example", is_staff=True
    )
    user.groups.add(Group.objects.get(name=ADMINISTRATOR))
    return user


class AccountTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.personas = make_personas()
        cls.ada = administrator()
        cls.members_only = make_resource(
            "Helpline casework guide", slug="casework", access="members"
        )

    def apply(self, **changes: str) -> object:
        return self.client.post(reverse("register"), {**APPLICATION, **changes})

    def decide(self, action: str, membership: Membership) -> object:
        return self.client.post(
            reverse("admin:catalog_membership_changelist"),
            {"action": action, "index": "0", "_selected_action": [membership.pk]},
            follow=True,
        )


class RegistrationTests(AccountTestCase):
    def test_it_has_no_registration_unless_it_is_turned_on(self) -> None:
        self.assertFalse(members.registration_open())
        self.assertEqual(404, self.client.get(reverse("register")).status_code)
        self.assertEqual(404, self.apply().status_code)
        self.assertFalse(User.objects.filter(email=APPLICATION["email"]).exists())

    def test_it_links_the_sign_in_page_to_what_is_open(self) -> None:
        closed = self.client.get(reverse("login")).content.decode()
        with self.settings(REGISTRATION=True):
            opened = self.client.get(reverse("login")).content.decode()
        register = f'href="{reverse("register")}"'
        reset = f'href="{reverse("password_reset")}"'
        self.assertEqual(
            (True, False, True, True),
            (reset in closed, register in closed, reset in opened, register in opened),
        )

    @override_settings(REGISTRATION=True)
    def test_it_takes_an_application_as_an_inactive_account(self) -> None:
        response = self.apply()
        self.assertRedirects(response, reverse("register_sent"))
        user = User.objects.get(email="amina@example.org")
        self.assertEqual(
            ("amina@example.org", False, False),
            (user.username, user.is_active, user.has_usable_password()),
        )
        self.assertEqual(
            ("Amina Otieno", "Child Helpline Kenya", Application.PENDING),
            (
                user.membership.name,
                user.membership.organisation,
                user.membership.status,
            ),
        )
        [message] = mail.outbox
        self.assertEqual(
            (["ada@library.example"], "New membership application: Amina Otieno"),
            (message.to, message.subject),
        )
        self.assertIn(
            f"/admin/catalog/membership/{user.membership.pk}/change/", message.body
        )

    @override_settings(REGISTRATION=True)
    def test_it_cannot_sign_in_before_approval(self) -> None:
        self.apply()
        user = User.objects.get(email="amina@example.org")
        user.set_password("a-long-pass-phrase")
        user.save()
        self.assertFalse(
            self.client.login(username=user.username, password="a-long-pass-phrase")
        )

    @override_settings(REGISTRATION=True)
    def test_it_answers_a_known_address_as_any_other(self) -> None:
        User.objects.create_user("amina", email="Amina@Example.org")
        response = self.apply()
        self.assertRedirects(response, reverse("register_sent"))
        self.assertEqual(
            1, User.objects.filter(email__iexact="amina@example.org").count()
        )
        [message] = mail.outbox
        self.assertEqual(["amina@example.org"], message.to)
        self.assertIn("exists already", message.body)

    @override_settings(REGISTRATION=True)
    def test_it_names_what_is_missing_from_an_application(self) -> None:
        response = self.apply(email="not an address", reason="")
        self.assertEqual(200, response.status_code)
        self.assertContains(response, "Email address: Enter a valid email address.")
        self.assertContains(
            response, "Why you need membership: This field is required."
        )
        self.assertFalse(Membership.objects.exists())

    @override_settings(REGISTRATION=True)
    def test_it_keeps_names_on_one_line(self) -> None:
        self.apply(name="Amina\nBcc: someone@example.net")
        self.assertEqual(
            "Amina Bcc: someone@example.net", Membership.objects.get().name
        )
        self.assertEqual(1, len(mail.outbox))


@override_settings(REGISTRATION=True)
class ApprovalTests(AccountTestCase):
    def setUp(self) -> None:
        self.apply()
        mail.outbox.clear()
        self.membership = Membership.objects.get()

    def test_it_makes_an_approved_applicant_a_member_who_chooses_a_password(
        self,
    ) -> None:
        self.client.force_login(self.ada)
        response = self.decide("approve", self.membership)
        self.assertContains(response, "Approved: 1.")
        user = User.objects.get(pk=self.membership.user_id)
        self.membership.refresh_from_db()
        self.assertEqual(
            (True, True, Application.APPROVED, self.ada),
            (
                user.is_active,
                members.is_approved(user),
                self.membership.status,
                self.membership.decided_by,
            ),
        )
        [message] = mail.outbox
        self.assertEqual(["amina@example.org"], message.to)
        self.assertIn("Your username is: amina@example.org", message.body)
        self.client.logout()
        self.choose_password(LINK.search(message.body).group(1))
        self.assertTrue(
            self.client.login(username="amina@example.org", password="Kisumu-2024-lake")
        )
        page = self.client.get(reverse("resource", args=["casework"]))
        self.assertEqual(200, page.status_code)

    def test_it_rejects_an_application_and_tells_the_applicant(self) -> None:
        self.client.force_login(self.ada)
        self.assertContains(self.decide("reject", self.membership), "Rejected: 1.")
        user = User.objects.get(pk=self.membership.user_id)
        self.assertEqual((False, False), (user.is_active, members.is_approved(user)))
        [message] = mail.outbox
        self.assertIn("could not approve", message.body)

    def test_it_decides_an_application_once(self) -> None:
        self.client.force_login(self.ada)
        self.decide("reject", self.membership)
        response = self.decide("approve", self.membership)
        self.assertContains(response, "was rejected already")
        self.assertFalse(User.objects.get(pk=self.membership.user_id).is_active)

    def test_it_lets_only_administrators_decide(self) -> None:
        self.client.force_login(self.personas["reviewer"])
        response = self.decide("approve", self.membership)
        self.assertEqual(403, response.status_code)
        self.assertFalse(User.objects.get(pk=self.membership.user_id).is_active)
        with self.assertRaises(members.MembershipError):
            members.approve(self.membership, self.personas["reviewer"], str)

    def test_it_lists_pending_applications_for_administrators(self) -> None:
        self.client.force_login(self.ada)
        response = self.client.get(
            reverse("admin:catalog_membership_changelist"), {"status": "pending"}
        )
        self.assertContains(response, "Child Helpline Kenya")
        self.assertEqual(
            403, self.client.get(reverse("admin:catalog_membership_add")).status_code
        )

    def test_it_shows_an_application_to_administrators(self) -> None:
        self.client.force_login(self.ada)
        url = reverse("admin:catalog_membership_change", args=[self.membership.pk])
        self.assertContains(self.client.get(url), APPLICATION["reason"])
        self.client.force_login(self.personas["editor"])
        self.assertEqual(403, self.client.get(url).status_code)

    def choose_password(self, path: str) -> None:
        form = self.client.get(path, follow=True)
        self.assertContains(form, "Choose a password")
        done = self.client.post(
            form.redirect_chain[-1][0],
            {"new_password1": "Kisumu-2024-lake", "new_password2": "Kisumu-2024-lake"},
        )
        self.assertRedirects(done, reverse("password_reset_complete"))


class PasswordResetTests(AccountTestCase):
    def test_it_mails_a_link_that_sets_a_new_password(self) -> None:
        member = self.personas["member"]
        member.email = "member@example.org"
        member.save()
        response = self.client.post(
            reverse("password_reset"), {"email": "MEMBER@example.org"}
        )
        self.assertRedirects(response, reverse("password_reset_done"))
        [message] = mail.outbox
        self.assertEqual(["member@example.org"], message.to)
        path = LINK.search(message.body).group(1)
        form = self.client.get(path, follow=True)
        self.client.post(
            form.redirect_chain[-1][0],
            {
                "new_password1": "Mombasa-2025-port",
                "new_password2": "Mombasa-2025-port",
            },
        )
        self.assertTrue(
            self.client.login(username="member", password="Mombasa-2025-port")
        )

    def test_it_answers_an_unknown_address_the_same_way(self) -> None:
        response = self.client.post(
            reverse("password_reset"), {"email": "nobody@example.org"}
        )
        self.assertRedirects(response, reverse("password_reset_done"))
        self.assertEqual([], mail.outbox)

    def test_it_refuses_a_used_or_forged_link(self) -> None:
        response = self.client.get("/accounts/reset/MQ/forged-token/", follow=True)
        self.assertContains(response, "This link has been used or has expired")


class AccountAdminTests(AccountTestCase):
    def test_it_lets_an_administrator_put_people_in_groups_only(self) -> None:
        self.client.force_login(self.ada)
        newcomer = self.personas["newcomer"]
        url = reverse("admin:auth_user_change", args=[newcomer.pk])
        page = self.client.get(url)
        self.assertEqual(200, page.status_code)
        self.assertEqual(
            {"is_superuser", "user_permissions"},
            {"is_superuser", "user_permissions"}
            & set(page.context["adminform"].readonly_fields),
        )
        root = User.objects.create_superuser("root", "root@example.org", "x")
        root_url = reverse("admin:auth_user_change", args=[root.pk])
        self.assertEqual(403, self.client.post(root_url, {}).status_code)

    def test_it_shows_who_is_an_approved_member(self) -> None:
        self.client.force_login(self.ada)
        response = self.client.get(reverse("admin:auth_user_changelist"))
        self.assertEqual(200, response.status_code)
        approved = [
            user.username
            for user in response.context["cl"].result_list
            if response.context["cl"].model_admin.approved_member(user)
        ]
        self.assertEqual(["lena", "member"], sorted(approved))

    def test_it_gives_administrators_the_people_permissions_and_others_not(self):
        wanted = [
            "catalog.change_membership",
            "catalog.change_accessrequest",
            "catalog.view_auditevent",
            "auth.change_user",
        ]
        ada = User.objects.get(pk=self.ada.pk)
        editor = User.objects.get(pk=self.personas["editor"].pk)
        self.assertEqual(
            ([True] * 4, [False] * 4),
            ([ada.has_perm(p) for p in wanted], [editor.has_perm(p) for p in wanted]),
        )
        self.assertTrue(Group.objects.filter(name=MEMBERS).exists())

    def test_it_removes_members_access_with_the_group(self) -> None:
        member = self.personas["member"]
        member.groups.remove(Group.objects.get(name=MEMBERS))
        self.assertFalse(
            Resource.objects.visible_to(member).filter(slug="casework").exists()
        )
