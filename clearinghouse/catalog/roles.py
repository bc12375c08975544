"""Curator roles as Django groups, with the permissions each role needs.

Editors describe records and submit them for review; reviewers also publish,
send back and withdraw; administrators may do everything in the catalog,
including managing vocabularies, deciding membership applications and access
requests, and reading the audit log; they also manage accounts (which groups
a person is in), but only superusers make superusers or give permissions one
by one. Superusers are outside these roles.

"Members" is a group too, with no permissions: being in it is what makes an
account an approved member, whom records open to members admit
(``catalog.visibility``).

Codenames without an app label are catalog permissions. Every role may view
auth groups, because choosing the groups that may see a restricted record
(an autocomplete in the admin) needs it.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

EDITOR, REVIEWER, ADMINISTRATOR = "Editor", "Reviewer", "Administrator"
MEMBERS = "Members"

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
# Applications and requests are decided (changed), never added by hand; the
# audit log and revisions are only read.
DECIDED_MODELS = ["membership", "accessrequest"]
READ_ONLY_MODELS = ["auditevent", "revision"]
# The search vocabulary: administrators edit it, curators may read it.
SYNONYM_MODELS = ["synonymgroup", "synonymterm"]

CURATOR_PERMISSIONS = (
    [f"{verb}_{model}" for model in EDITOR_MODELS for verb in ("view", "add", "change")]
    + [f"delete_{model}" for model in RECORD_PARTS]
    + [f"view_{model}" for model in VOCABULARY_MODELS]
    + ["view_revision", "preview_resource", "submit_resource", "auth.view_group"]
    + [f"search.view_{model}" for model in SYNONYM_MODELS]
)

ROLE_PERMISSIONS = {
    EDITOR: CURATOR_PERMISSIONS,
    REVIEWER: [*CURATOR_PERMISSIONS, "publish_resource"],
    ADMINISTRATOR: [
        f"{verb}_{model}"
        for model in CATALOG_MODELS
        for verb in ("view", "add", "change", "delete")
    ]
    + [f"{verb}_{model}" for model in DECIDED_MODELS for verb in ("view", "change")]
    + [f"view_{model}" for model in READ_ONLY_MODELS]
    + ["preview_resource", "submit_resource", "publish_resource", "auth.view_group"]
    + ["auth.view_user", "auth.change_user"]
    + [
        f"search.{verb}_{model}"
        for model in SYNONYM_MODELS
        for verb in ("view", "add", "change", "delete")
    ],
}


def ensure_roles(**_: object) -> None:
    """Create the role groups and "Members", and set the roles' permissions
    (idempotent)."""
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*permissions_named(codenames))
    Group.objects.get_or_create(name=MEMBERS)


def permissions_named(codenames: list[str]) -> list[Permission]:
    """Permissions from "codename" (a catalog one) or "app_label.codename"."""
    wanted = Q(pk__in=[])
    for name in codenames:
        app_label, _, codename = name.rpartition(".")
        wanted |= Q(content_type__app_label=app_label or "catalog", codename=codename)
    return list(Permission.objects.filter(wanted))
