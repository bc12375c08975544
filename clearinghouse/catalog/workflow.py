"""The one way to move a resource between states: draft, review, published, withdrawn.

Every channel that changes a record's status (admin actions and buttons, the
CLI, the API) calls these functions. Each checks the actor's permission and the
record's current state, stores the change, keeps a revision of the record
(``catalog.revisions``: who, when, the comment) and appends an entry to
``provenance["history"]``::

    {"action": "publish", "from": "review", "to": "published",
     "by": "rosa", "at": "2024-05-01T10:00:00+00:00", "comment": ""}

A refused change raises WorkflowError with a message fit to show a curator.

    action          from             to          permission        needs
    submit          draft            review      submit_resource
    publish         draft, review    published   publish_resource
    send_back       review           draft       publish_resource  comment
    withdraw        published        withdrawn   publish_resource  reason
    restore_draft   withdrawn        draft       publish_resource
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from clearinghouse.catalog.models import Resource, Status
from clearinghouse.catalog.revisions import record_revision

if TYPE_CHECKING:
    from clearinghouse.catalog.visibility import Viewer


class WorkflowError(Exception):
    """A transition refused: wrong state, missing permission or missing comment."""


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    permission: str
    refusal: str
    comment_required: str = ""

    def allowed_from(self, status: str) -> bool:
        return status in self.sources


SUBMIT = Transition(
    action="submit",
    label="Submit for review",
    sources=(Status.DRAFT,),
    target=Status.REVIEW,
    permission="catalog.submit_resource",
    refusal="only a draft can be submitted for review",
)
PUBLISH = Transition(
    action="publish",
    label="Publish",
    sources=(Status.DRAFT, Status.REVIEW),
    target=Status.PUBLISHED,
    permission="catalog.publish_resource",
    refusal="only a draft or a record in review can be published",
)
SEND_BACK = Transition(
    action="send_back",
    label="Send back to draft",
    sources=(Status.REVIEW,),
    target=Status.DRAFT,
    permission="catalog.publish_resource",
    refusal="only a record in review can be sent back",
    comment_required="Say what needs to change: a comment is required to send "
    "a record back.",
)
WITHDRAW = Transition(
    action="withdraw",
    label="Withdraw",
    sources=(Status.PUBLISHED,),
    target=Status.WITHDRAWN,
    permission="catalog.publish_resource",
    refusal="only a published record can be withdrawn",
    comment_required="A reason is required to withdraw a record; readers see it "
    "on the record's page.",
)
RESTORE_DRAFT = Transition(
    action="restore_draft",
    label="Restore as draft",
    sources=(Status.WITHDRAWN,),
    target=Status.DRAFT,
    permission="catalog.publish_resource",
    refusal="only a withdrawn record can be restored as a draft",
)

TRANSITIONS = {
    t.action: t for t in (SUBMIT, PUBLISH, SEND_BACK, WITHDRAW, RESTORE_DRAFT)
}

STATE_PHRASES = {
    Status.DRAFT: "is a draft",
    Status.REVIEW: "is in review",
    Status.PUBLISHED: "is published",
    Status.WITHDRAWN: "is withdrawn",
}


def submit_for_review(resource: Resource, actor: Viewer, comment: str = "") -> None:
    """Draft → review. Needs ``catalog.submit_resource``."""
    apply_transition(resource, SUBMIT.action, actor, comment)


def publish(resource: Resource, actor: Viewer, comment: str = "") -> None:
    """Draft or review → published. Needs ``catalog.publish_resource``."""
    apply_transition(resource, PUBLISH.action, actor, comment)


def send_back(resource: Resource, actor: Viewer, comment: str) -> None:
    """Review → draft, with a comment for the editor (kept in review_comment)."""
    apply_transition(resource, SEND_BACK.action, actor, comment)


def withdraw(resource: Resource, actor: Viewer, reason: str) -> None:
    """Published → withdrawn, with a reason shown on the tombstone page."""
    apply_transition(resource, WITHDRAW.action, actor, reason)


def restore_draft(resource: Resource, actor: Viewer, comment: str = "") -> None:
    """Withdrawn → draft, so the record can be corrected and published again."""
    apply_transition(resource, RESTORE_DRAFT.action, actor, comment)


def may_perform(transition: Transition, actor: Viewer | None) -> bool:
    """True when the actor holds the permission the transition needs."""
    return bool(
        actor is not None and actor.is_active and actor.has_perm(transition.permission)
    )


def allowed_transitions(resource: Resource, actor: Viewer | None) -> list[Transition]:
    """The transitions this actor may apply to the record in its current state."""
    return [
        t
        for t in TRANSITIONS.values()
        if t.allowed_from(resource.status) and may_perform(t, actor)
    ]


def apply_transition(
    resource: Resource, action: str, actor: Viewer | None, comment: str = ""
) -> None:
    """Apply the named transition, or raise WorkflowError saying why not.

    The state is checked against the database row (locked for the change), so
    two curators acting on one record at once cannot both succeed.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise WorkflowError(f"Unknown workflow action {action!r}.")
    if not may_perform(transition, actor):
        name = actor.get_username() if actor is not None else ""
        raise WorkflowError(
            f"{name or 'An anonymous user'} may not {transition.label.lower()} "
            f"(the {transition.permission} permission is needed)."
        )
    comment = (comment or "").strip()
    if transition.comment_required and not comment:
        raise WorkflowError(transition.comment_required)
    with transaction.atomic():
        row = (
            Resource.objects.select_for_update()
            .filter(pk=resource.pk)
            .values("status", "provenance")
            .first()
        )
        if row is None:
            raise WorkflowError(f"“{resource}” is not saved yet.")
        if not transition.allowed_from(row["status"]):
            raise WorkflowError(
                f"“{resource}” {STATE_PHRASES[row['status']]}: {transition.refusal}."
            )
        _record(resource, transition, row, actor, comment)


def _record(
    resource: Resource, transition: Transition, row: dict, actor: Viewer, comment: str
) -> None:
    resource.status = transition.target
    if transition is SEND_BACK:
        resource.review_comment = comment
    elif transition is PUBLISH:
        resource.review_comment = ""
    if transition is WITHDRAW:
        resource.withdrawn_reason = comment
    elif transition is RESTORE_DRAFT:
        resource.withdrawn_reason = ""
    provenance = dict(row["provenance"] or {})
    provenance["history"] = [
        *provenance.get("history", []),
        {
            "action": transition.action,
            "from": row["status"],
            "to": transition.target,
            "by": actor.get_username(),
            "at": timezone.now().isoformat(timespec="seconds"),
            "comment": comment,
        },
    ]
    resource.provenance = provenance
    resource.save(
        update_fields=[
            "status",
            "review_comment",
            "withdrawn_reason",
            "provenance",
            "updated_at",
        ]
    )
    record_revision(resource, actor, comment, action=transition.action)


def history(resource: Resource) -> list[dict]:
    """The workflow history entries of a record, oldest first."""
    entries = (resource.provenance or {}).get("history", [])
    return [entry for entry in entries if isinstance(entry, dict)]
