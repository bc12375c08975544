"""Members: applying through the registration form, approval by an administrator.

An application (``register``) creates an inactive account without a password
and a ``Membership`` row; administrators are emailed. Approving it activates
the account, puts it in the "Members" group (which is what the visibility
policy asks) and emails the applicant a link to choose a password; rejecting
it leaves the account inactive. Each decision is audited.

An address already known gets the same answer on the page (nobody learns who
has an account here); its owner is emailed instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from clearinghouse.catalog import audit, emails
from clearinghouse.catalog.actors import acting_as
from clearinghouse.catalog.models import Application, Membership
from clearinghouse.catalog.roles import MEMBERS

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

#: Builds an absolute address from a path (``request.build_absolute_uri``).
Linker = Callable[[str], str]
DECIDE_PERMISSION = "catalog.change_membership"


class MembershipError(Exception):
    """A decision refused, with the reason for an administrator."""


def registration_open() -> bool:
    return bool(settings.REGISTRATION)


def register(
    name: str, email: str, organisation: str, reason: str, link: Linker
) -> Membership | None:
    """Apply for membership; None when the address is known already."""
    email = email.strip()
    users = get_user_model().objects
    if users.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
        reset = link(reverse("password_reset"))
        emails.send([email], "application_duplicate", _context(reset_url=reset))
        return None
    try:
        with transaction.atomic():
            user = users.create_user(_username(email), email=email, is_active=False)
            membership = Membership.objects.create(
                user=user, name=name, organisation=organisation, reason=reason
            )
            audit.record("membership.apply", user, organisation=organisation)
    except IntegrityError:  # the same address sent twice at once
        return None
    admin_url = link(reverse("admin:catalog_membership_change", args=[membership.pk]))
    emails.send(
        emails.curator_addresses(),
        "application_received",
        _context(membership=membership, admin_url=admin_url),
    )
    return membership


def _username(email: str) -> str:
    """The address itself where it makes a valid username, else a made-up one."""
    candidate = email.lower()[:150]
    try:
        UnicodeUsernameValidator()(candidate)
    except ValidationError:
        candidate = ""
    taken = get_user_model().objects.filter(username__iexact=candidate).exists()
    if candidate and not taken:
        return candidate
    return f"member-{timezone.now():%Y%m%d%H%M%S%f}"


def is_approved(user: AbstractBaseUser) -> bool:
    return user.groups.filter(name=MEMBERS).exists()


def approve(membership: Membership, actor: AbstractBaseUser, link: Linker) -> None:
    """Activate the account and make it a member; the applicant is emailed."""
    _check(membership, actor)
    user = membership.user
    with transaction.atomic(), acting_as(actor):
        user.is_active = True
        user.save(update_fields=["is_active"])
        user.groups.add(Group.objects.get_or_create(name=MEMBERS)[0])
        _decide(membership, Application.APPROVED, actor)
        audit.record("membership.approve", user)
    emails.send([user.email], "application_approved", _welcome(user, link))


def reject(membership: Membership, actor: AbstractBaseUser) -> None:
    """Refuse the application; the account stays inactive."""
    _check(membership, actor)
    with transaction.atomic(), acting_as(actor):
        _decide(membership, Application.REJECTED, actor)
        audit.record("membership.reject", membership.user)
    emails.send([membership.user.email], "application_rejected", _context())


def _check(membership: Membership, actor: AbstractBaseUser) -> None:
    if not (actor.is_active and actor.has_perm(DECIDE_PERMISSION)):
        raise MembershipError(
            f"{actor.get_username()} may not decide membership applications "
            f"(the {DECIDE_PERMISSION} permission is needed)."
        )
    if membership.status != Application.PENDING:
        raise MembershipError(
            f"The application of {membership.name} was "
            f"{membership.get_status_display().lower()} already."
        )


def _decide(membership: Membership, status: str, actor: AbstractBaseUser) -> None:
    membership.status = status
    membership.decided_by = actor
    membership.decided_at = timezone.now()
    membership.save(update_fields=["status", "decided_by", "decided_at"])


def _welcome(user: AbstractBaseUser, link: Linker) -> dict:
    """The approval mail's links: choose a password, or sign in."""
    if user.has_usable_password():
        return _context(user=user, login_url=link(reverse("login")))
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", args=[uid, token])
    return _context(user=user, set_password_url=link(path))


def _context(**values: object) -> dict:
    return {"site_name": settings.SITE_NAME, **values}
