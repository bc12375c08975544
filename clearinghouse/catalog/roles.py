"""Curator roles as Django groups, with the permissions each role needs.

Editors describe records and submit them for review; reviewers also publish,
send back and withdraw; administrators may do everything in the catalog,
including managing vocabularies. Superusers are outside these roles.
"""

from django.contrib.auth.models import Group, Permission

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

ROLE_PERMISSIONS = {
    EDITOR: [
        f"{verb}_{model}"
        for model in EDITOR_MODELS
        for verb in ("view", "add", "change")
    ]
    + [f"view_{model}" for model in ("topic", "region", "language", "resourcetype")]
    + ["preview_resource", "submit_resource"],
    REVIEWER: [
        f"{verb}_{model}"
        for model in EDITOR_MODELS
        for verb in ("view", "add", "change")
    ]
    + [f"view_{model}" for model in ("topic", "region", "language", "resourcetype")]
    + ["preview_resource", "submit_resource", "publish_resource"],
    ADMINISTRATOR: [
        f"{verb}_{model}"
        for model in CATALOG_MODELS
        for verb in ("view", "add", "change", "delete")
    ]
    + ["preview_resource", "submit_resource", "publish_resource"],
}


def ensure_roles(**_: object) -> None:
    """Create the role groups and set their catalog permissions (idempotent)."""
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = Permission.objects.filter(
            content_type__app_label="catalog", codename__in=codenames
        )
        group.permissions.add(*permissions)
