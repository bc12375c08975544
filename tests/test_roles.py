"""Curator roles: the groups, and the permissions each one grants."""

from django.contrib.auth.models import Group, User
from django.test import TestCase

from clearinghouse.catalog.roles import (
    ADMINISTRATOR,
    EDITOR,
    REVIEWER,
    ROLE_PERMISSIONS,
    ensure_roles,
    permissions_named,
)
from tests.world import make_personas


def user_in(role: str) -> User:
    user = User.objects.create_user(f"someone-{role.lower()}", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return User.objects.get(pk=user.pk)  # a fresh permission cache


class RoleTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        make_personas()
        cls.editor = user_in(EDITOR)
        cls.reviewer = user_in(REVIEWER)
        cls.administrator = user_in(ADMINISTRATOR)

    def test_it_names_only_permissions_that_exist(self) -> None:
        for role, codenames in ROLE_PERMISSIONS.items():
            with self.subTest(role=role):
                self.assertEqual(len(set(codenames)), len(permissions_named(codenames)))

    def test_it_lets_administrators_edit_the_synonyms_and_curators_read_them(
        self,
    ) -> None:
        self.assertEqual(
            [(True, False), (True, False), (True, True)],
            [
                (
                    user.has_perm("search.view_synonymgroup"),
                    user.has_perm("search.change_synonymgroup"),
                )
                for user in (self.editor, self.reviewer, self.administrator)
            ],
        )

    def test_it_grants_each_role_its_workflow_permissions(self) -> None:
        perms = [
            "catalog.preview_resource",
            "catalog.submit_resource",
            "catalog.publish_resource",
        ]
        cases = {
            "editor": (self.editor, [True, True, False]),
            "reviewer": (self.reviewer, [True, True, True]),
            "administrator": (self.administrator, [True, True, True]),
        }
        for name, (user, expected) in cases.items():
            with self.subTest(role=name):
                self.assertEqual(expected, [user.has_perm(p) for p in perms])

    def test_it_keeps_vocabularies_and_deletion_to_administrators(self) -> None:
        perms = [
            "catalog.change_topic",
            "catalog.delete_resource",
            "catalog.delete_resourcepublisher",
            "catalog.view_region",
            "auth.view_group",
            "auth.change_group",
        ]
        cases = {
            "editor": (self.editor, [False, False, True, True, True, False]),
            "reviewer": (self.reviewer, [False, False, True, True, True, False]),
            "administrator": (
                self.administrator,
                [True, True, True, True, True, False],
            ),
        }
        for name, (user, expected) in cases.items():
            with self.subTest(role=name):
                self.assertEqual(expected, [user.has_perm(p) for p in perms])

    def test_it_can_run_again_without_changing_anything(self) -> None:
        def snapshot() -> dict:
            return {
                group.name: sorted(group.permissions.values_list("pk", flat=True))
                for group in Group.objects.filter(name__in=ROLE_PERMISSIONS)
            }

        before = snapshot()
        ensure_roles()
        self.assertEqual(before, snapshot())
        self.assertEqual(sorted(ROLE_PERMISSIONS), sorted(before))
