"""The one place that decides what a viewer may see.

Every channel (pages, search hits and facet counts, related items, API, feeds,
sitemap, exports, files) asks this module; none filters "published" by hand.

Rules:
- Curators with the ``catalog.preview_resource`` permission (editors, reviewers,
  admins) see every record that is not withdrawn, in any state.
- Everyone else sees records that are published, past their embargo date, and
  whose access level admits them: public for all; members for approved
  members only — active accounts in the "Members" group (``catalog.roles``),
  which an administrator approves; a signed-in account that is not approved
  sees what an anonymous reader sees; named groups for active accounts in one
  of those groups.
- A withdrawn record is a tombstone: its page says it was withdrawn (to viewers
  whom its access level admits) and its documents are gone (HTTP 410).
- A document may be more restricted than its record's metadata, never less.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q
from django.utils import timezone

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from clearinghouse.catalog.models import Resource

    Viewer = AbstractBaseUser | AnonymousUser


def is_curator(viewer: Viewer | None) -> bool:
    return bool(
        viewer is not None
        and viewer.is_active
        and viewer.has_perm("catalog.preview_resource")
    )


def is_member(viewer: Viewer | None) -> bool:
    """True for an approved member: an active account in the "Members" group."""
    from clearinghouse.catalog.roles import MEMBERS

    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return False
    return viewer.groups.filter(name=MEMBERS).exists()


def access_admits(viewer: Viewer | None, field: str = "access") -> Q:
    """A Q object: the access level stored in ``field`` admits this viewer."""
    from clearinghouse.catalog.models import Resource

    admitted = Q(**{field: "public"})
    if viewer is not None and viewer.is_authenticated and viewer.is_active:
        if is_member(viewer):
            admitted |= Q(**{field: "members"})
        in_groups = Resource.groups.through.objects.filter(
            group__in=viewer.groups.all()
        ).values("resource_id")
        admitted |= Q(**{field: "groups"}, pk__in=in_groups)
    return admitted


class ResourceQuerySet(models.QuerySet):
    def visible_to(self, viewer: Viewer | None) -> ResourceQuerySet:
        """The records this viewer may find, list, count and open."""
        if is_curator(viewer):
            return self.exclude(status="withdrawn")
        today = timezone.localdate()
        return self.filter(
            Q(status="published"),
            Q(embargo_until__isnull=True) | Q(embargo_until__lte=today),
            access_admits(viewer),
        )

    def tombstones_visible_to(self, viewer: Viewer | None) -> ResourceQuerySet:
        """Withdrawn records whose tombstone page this viewer may see."""
        withdrawn = self.filter(status="withdrawn")
        if is_curator(viewer):
            return withdrawn
        return withdrawn.filter(access_admits(viewer))

    def public(self) -> ResourceQuerySet:
        """What an anonymous reader sees: the base of feeds, sitemaps, harvests."""
        return self.visible_to(AnonymousUser())


def may_download(viewer: Viewer | None, resource: Resource) -> bool:
    """True when the viewer may fetch this resource's documents."""
    from clearinghouse.catalog.models import Resource

    if resource.status == "withdrawn":
        return False
    if is_curator(viewer):
        return True
    if not Resource.objects.visible_to(viewer).filter(pk=resource.pk).exists():
        return False
    return _admits_level(viewer, resource, resource.effective_document_access)


def _admits_level(viewer: Viewer | None, resource: Resource, access: str) -> bool:
    if access == "public":
        return True
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return False
    if access == "members":
        return is_member(viewer)
    return resource.groups.filter(pk__in=viewer.groups.all()).exists()
