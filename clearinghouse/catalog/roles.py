"""Curator roles as Django groups, with the permissions each role needs.

Editors describe records and submit them for review; reviewers also publish,
send back and withdraw; administrators may do everything in the catalog,
including managing vocabularies. Superusers are outside these roles.

Codenames without an app label are catalog permissions. Every role may view
auth groups, because choosing the groups that may see a restricted record
(an autocomplete in the admin) needs it.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

EDITOR, REVIEWER, ADMINISTRATOR = "Editor", "Reviewer", "Administrator"

CATALOG_MODELS = [
    "resource",
    "resourcepublisher",
    "resourceauthor",
    "document",
    "organisation",
    "person",
    "collection",
    "topic",
    "region",
    "language",
    "resourcetype",
]
EDITOR_MODELS = [
    "resource",
    "resourcepublisher",
    "resourceauthor",
    "document",
    "organisation",
    "person",
    "collection",
]

# Parts of a record: curators who edit a record may also remove a wrong
# publisher, author or file from it (the admin inlines' delete boxes).
RECORD_PARTS = ["resourcepublisher", "resourceauthor", "document"]
VOCABULARY_MODELS = ["topic", "region", "language", "resourcetype"]

CURATOR_PERMISSIONS = (
    [f"{verb}_{model}" for model in EDITOR_MODELS for verb in ("view", "add", "change")]
    + [f"delete_{model}" for model in RECORD_PARTS]
    + [f"view_{model}" for model in VOCABULARY_MODELS]
    + ["preview_resource", "submit_resource", "auth.view_group"]
)

ROLE_PERMISSIONS = {
    EDITOR: CURATOR_PERMISSIONS,
    REVIEWER: [*CURATOR_PERMISSIONS, "publish_resource"],
    ADMINISTRATOR: [
        f"{verb}_{model}"
        for model in CATALOG_MODELS
        for verb in ("view", "add", "change", "delete")
    ]
    + ["preview_resource", "submit_resource", "publish_resource", "auth.view_group"],
}


def ensure_roles(**_: object) -> None:
    """Create the role groups and set their catalog permissions (idempotent)."""
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*permissions_named(codenames))


def permissions_named(codenames: list[str]) -> list[Permission]:
    """Permissions from "codename" (a catalog one) or "app_label.codename"."""
    wanted = Q(pk__in=[])
    for name in codenames:
        app_label, _, codename = name.rpartition(".")
        wanted |= Q(content_type__app_label=app_label or "catalog", codename=codename)
    return list(Permission.objects.filter(wanted))
