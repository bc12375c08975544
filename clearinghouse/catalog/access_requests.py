"""Requests for access to a record's restricted documents, and their decisions.

A signed-in reader who may see a record but not download its documents asks
for access (``request_access``); administrators are emailed. One request per
reader and record is open at a time: asking again returns the open one.

Granting admits the reader at the record's levels: a record or documents for
members make the reader an approved member (in the "Members" group); for
named groups, the reader joins the group chosen on the request, or the
record's only group. Refusing changes nothing. The reader is emailed either
way, and each step is audited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from clearinghouse.catalog import audit, emails
from clearinghouse.catalog.actors import acting_as
from clearinghouse.catalog.members import Linker
from clearinghouse.catalog.models import (
    Access,
    AccessRequest,
    Application,
    Decision,
    Membership,
    Resource,
)
from clearinghouse.catalog.roles import MEMBERS
from clearinghouse.catalog.visibility import may_download

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

DECIDE_PERMISSION = "catalog.change_accessrequest"
LEVEL_PHRASES = {Access.MEMBERS: "approved members", Access.GROUPS: "named groups"}


class AccessRequestError(Exception):
    """A request or decision refused, with the reason to show."""


def restricted_levels(resource: Resource) -> set[str]:
    """The access levels a reader must pass to download the documents."""
    return {resource.access, resource.effective_document_access} - {Access.PUBLIC}


def pending_request(user: AbstractBaseUser, resource: Resource) -> AccessRequest | None:
    if not user.is_authenticated:
        return None
    return AccessRequest.objects.filter(
        user=user, resource=resource, status=Decision.PENDING
    ).first()


def request_access(
    user: AbstractBaseUser, resource: Resource, message: str, link: Linker
) -> tuple[AccessRequest, bool]:
    """Ask for access; (the request, whether it is new). The caller has found
    the record through the visibility policy, so the reader may see it."""
    if not (user.is_authenticated and user.is_active):
        raise AccessRequestError("Sign in to request access.")
    if may_download(user, resource):
        raise AccessRequestError("You already have access to these documents.")
    if existing := pending_request(user, resource):
        return existing, False
    try:
        with transaction.atomic():
            created = AccessRequest.objects.create(
                user=user, resource=resource, message=message.strip()[:2000]
            )
            audit.record("access.request", resource, actor=user, user=user.pk)
    except IntegrityError:  # the same request sent twice at once
        return pending_request(user, resource), False
    admin_url = link(reverse("admin:catalog_accessrequest_change", args=[created.pk]))
    level = LEVEL_PHRASES[resource.effective_document_access]
    emails.send(
        emails.curator_addresses(),
        "access_requested",
        {"access_request": created, "admin_url": admin_url, "level": level},
    )
    return created, True


def grant(
    access_request: AccessRequest, actor: AbstractBaseUser, link: Linker
) -> list[str]:
    """Admit the reader; the names of the groups they were added to."""
    _check(access_request, actor)
    resource, user = access_request.resource, access_request.user
    groups = []
    if Access.MEMBERS in restricted_levels(resource):
        groups.append(Group.objects.get_or_create(name=MEMBERS)[0])
    if Access.GROUPS in restricted_levels(resource):
        groups.append(_group_to_join(access_request))
    with transaction.atomic(), acting_as(actor):
        user.groups.add(*groups)
        Membership.objects.filter(user=user, status=Application.PENDING).update(
            status=Application.APPROVED, decided_by=actor, decided_at=timezone.now()
        )
        _decide(access_request, Decision.GRANTED, actor)
        names = sorted(g.name for g in groups)
        audit.record("access.grant", resource, user=user.pk, groups=names)
    _tell_reader(access_request, "access_granted", link)
    return names


def refuse(
    access_request: AccessRequest, actor: AbstractBaseUser, link: Linker
) -> None:
    """Decline the request; nothing about the reader's access changes."""
    _check(access_request, actor)
    with transaction.atomic(), acting_as(actor):
        _decide(access_request, Decision.REFUSED, actor)
        audit.record(
            "access.refuse", access_request.resource, user=access_request.user_id
        )
    _tell_reader(access_request, "access_refused", link)


def _group_to_join(access_request: AccessRequest) -> Group:
    """The group chosen on the request, or the record's only one."""
    named = list(access_request.resource.groups.order_by("name"))
    chosen = access_request.group
    if chosen is not None and chosen in named:
        return chosen
    if chosen is None and len(named) == 1:
        return named[0]
    choices = ", ".join(g.name for g in named) or "none"
    raise AccessRequestError(
        f"Choose the group to add {access_request.user.get_username()} to on the "
        f"request for “{access_request.resource}” (one of: {choices})."
    )


def _check(access_request: AccessRequest, actor: AbstractBaseUser) -> None:
    if not (actor.is_active and actor.has_perm(DECIDE_PERMISSION)):
        raise AccessRequestError(
            f"{actor.get_username()} may not decide access requests "
            f"(the {DECIDE_PERMISSION} permission is needed)."
        )
    if access_request.status != Decision.PENDING:
        raise AccessRequestError(
            f"The request of {access_request.user.get_username()} for "
            f"“{access_request.resource}” was "
            f"{access_request.get_status_display().lower()} already."
        )


def _decide(
    access_request: AccessRequest, status: str, actor: AbstractBaseUser
) -> None:
    access_request.status = status
    access_request.decided_by = actor
    access_request.decided_at = timezone.now()
    access_request.save(update_fields=["status", "decided_by", "decided_at"])


def _tell_reader(access_request: AccessRequest, template: str, link: Linker) -> None:
    resource_url = link(access_request.resource.get_absolute_url())
    emails.send(
        [access_request.user.email],
        template,
        {"access_request": access_request, "resource_url": resource_url},
    )
