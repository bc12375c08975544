"""The audit log: sign-ins, permission changes, decisions, exports, downloads.

``record(action, obj, **detail)`` writes one ``AuditEvent``; the receivers
below write the events that Django signals announce. Events are written in
the caller's transaction, so a change that is rolled back leaves no event.

Privacy: no IP address and no user agent is ever stored, only the account
(id and username) and what it did. A failed sign-in keeps the username typed,
never the password (Django passes it masked, and it is not read here).

    action               object     detail
    sign_in              user
    sign_in_failed                  {"username"} (an existing account's, or none)
    sign_out             user
    user.create          user       {"is_staff", "is_superuser", "is_active"}
    user.flags           user       {flag: [before, after]}
    user.groups          user       {"added" | "removed": [group names]}
    user.permissions     user       {"added" | "removed": ["app.codename"]}
    group.permissions    group      {"added" | "removed": ["app.codename"]}
    membership.apply     user       {"organisation"}
    membership.approve   user
    membership.reject    user
    access.request       resource   {"user"}
    access.grant         resource   {"user", "groups"}
    access.refuse        resource   {"user"}
    export                          {"via", "format", "count", ...}; from the
                                    library page or API only when it holds
                                    records anonymous readers may not see
    download             document   {"resource", "access"}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.db import models
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.http import HttpRequest

from clearinghouse.catalog import actors
from clearinghouse.catalog.models import AuditEvent
from clearinghouse.catalog.visibility import may_download

if TYPE_CHECKING:
    from clearinghouse.catalog.models import Document, Resource

FLAGS = ("is_staff", "is_superuser", "is_active")


def record(
    action: str,
    obj: models.Model | None = None,
    *,
    actor: object = None,
    **detail: object,
) -> AuditEvent:
    """Write one event; the actor defaults to whoever is acting now."""
    actor = actor if getattr(actor, "pk", None) else actors.current_actor()
    return AuditEvent.objects.create(
        actor_id=actor.pk if actor else None,
        actor_name=actor.get_username() if actor else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        detail=detail,
    )


def record_export(command: str, count: int, **detail: object) -> AuditEvent:
    """An export of records (``clearinghouse export``, an admin export action)."""
    return record("export", via=command, count=count, **detail)


def record_reader_export(
    viewer: object, ids: list[int], via: str, **detail: object
) -> AuditEvent | None:
    """An export through the library page or the API, kept only when it holds
    records an anonymous reader may not see: what anyone may take of public
    records is nobody's business, and keeping it would track readers."""
    from clearinghouse.catalog.models import Resource

    if not getattr(viewer, "is_authenticated", False) or not ids:
        return None
    restricted = len(ids) - Resource.objects.public().filter(pk__in=ids).count()
    if not restricted:
        return None
    return record(
        "export", actor=viewer, via=via, count=len(ids), restricted=restricted, **detail
    )


def record_download(
    request: HttpRequest, document: Document, resource: Resource
) -> None:
    """A restricted document sent: one anonymous readers may not fetch.

    A PDF viewer fetches a file in many byte ranges; only the first request
    (no range, or one starting at 0) counts as a download.
    """
    if request.method != "GET" or may_download(AnonymousUser(), resource):
        return
    asked = request.headers.get("Range", "").replace(" ", "")
    if asked and not asked.startswith("bytes=0-"):
        return
    record(
        "download",
        document,
        actor=request.user,
        resource=resource.slug,
        access=resource.effective_document_access,
    )


def _signed_in(sender: object, request: HttpRequest, user: object, **_: object) -> None:
    record("sign_in", user, actor=user)


def _sign_in_failed(sender: object, credentials: dict, **_: object) -> None:
    # A name that is no account's is often a password typed in the wrong box:
    # it is never kept.
    users = get_user_model()
    typed = str(credentials.get(users.USERNAME_FIELD, ""))[:150]
    known = users.objects.filter(**{f"{users.USERNAME_FIELD}__iexact": typed})
    username = typed if typed and known.exists() else UNKNOWN_ACCOUNT
    record("sign_in_failed", username=username)


UNKNOWN_ACCOUNT = "(no such account)"


def _signed_out(
    sender: object, request: HttpRequest, user: object, **_: object
) -> None:
    if user is not None:
        record("sign_out", user, actor=user)


def _remember_flags(sender: type, instance: object, **kwargs: object) -> None:
    """Keep the flags as stored, to compare once the save is done."""
    fields = kwargs.get("update_fields")
    if instance.pk is None or (fields is not None and not set(fields) & set(FLAGS)):
        instance._audit_flags = None
        return
    instance._audit_flags = sender.objects.filter(pk=instance.pk).values(*FLAGS).first()


def _flags_saved(
    sender: type, instance: object, created: bool, **kwargs: object
) -> None:
    if kwargs.get("raw"):
        return
    now = {flag: getattr(instance, flag) for flag in FLAGS}
    if created:
        record("user.create", instance, **now)
        return
    before = getattr(instance, "_audit_flags", None)
    if not before:
        return
    changed = {f: [before[f], now[f]] for f in FLAGS if before[f] != now[f]}
    if changed:
        record("user.flags", instance, **changed)


def _names(model: type, pks: set) -> list[str]:
    if model is Group:
        return sorted(Group.objects.filter(pk__in=pks).values_list("name", flat=True))
    if model is Permission:
        found = Permission.objects.filter(pk__in=pks).select_related("content_type")
        return sorted(f"{p.content_type.app_label}.{p.codename}" for p in found)
    return sorted(str(o) for o in model.objects.filter(pk__in=pks))


@dataclass(frozen=True)
class Link:
    """A many-to-many relation whose changes are audited, seen from both ends."""

    action: str
    owner: type  # the side the event is about: a user, or a group
    forward: str  # the owner's field
    backward: str  # the other side's accessor for owners

    def changed(self, sender: type, **kwargs: object) -> None:
        for obj, names, change in self.changes(kwargs):
            record(self.action, obj, **{change: names})

    def changes(self, kwargs: dict) -> list[tuple[models.Model, list[str], str]]:
        """(owner, names of what it gained or lost, "added" or "removed")."""
        action, instance, reverse = (
            kwargs["action"],
            kwargs["instance"],
            kwargs["reverse"],
        )
        if action == "pre_clear":
            related = getattr(instance, self.backward if reverse else self.forward)
            instance._audit_cleared = set(related.values_list("pk", flat=True))
            return []
        if action not in ("post_add", "post_remove", "post_clear"):
            return []
        pks = set(kwargs["pk_set"] or getattr(instance, "_audit_cleared", set()))
        if not pks:
            return []
        change = "added" if action == "post_add" else "removed"
        if not reverse:
            return [(instance, _names(kwargs["model"], pks), change)]
        # Seen from the other side (group.user_set.add(...)): one event per owner.
        names = _names(type(instance), {instance.pk})
        return [(o, names, change) for o in self.owner.objects.filter(pk__in=pks)]


def connect() -> None:
    """Connect the receivers (``CatalogConfig.ready``)."""
    user = get_user_model()
    user_logged_in.connect(_signed_in, dispatch_uid="audit")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="audit")
    user_logged_out.connect(_signed_out, dispatch_uid="audit")
    pre_save.connect(_remember_flags, sender=user, dispatch_uid="audit")
    post_save.connect(_flags_saved, sender=user, dispatch_uid="audit")
    links = [
        (user.groups.through, Link("user.groups", user, "groups", "user_set")),
        (
            user.user_permissions.through,
            Link("user.permissions", user, "user_permissions", "user_set"),
        ),
        (
            Group.permissions.through,
            Link("group.permissions", Group, "permissions", "group_set"),
        ),
    ]
    for through, link in links:
        m2m_changed.connect(
            link.changed, sender=through, dispatch_uid=link.action, weak=False
        )
