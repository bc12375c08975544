"""Revisions: every change to a record kept as its full state, with who and why.

How "every change" is caught — two layers:

1. **Each write path calls ``record_revision`` when it has finished writing**:
   the admin (``ResourceAdmin.save_related``, after the inlines and
   many-to-many fields), the workflow, the importer's ``save_record`` (which
   the API's writes and a restore also go through), ingest, and merging. The
   revision is written inside the path's own transaction, so it commits or
   rolls back with the change, and it carries the path's actor, action and
   comment.
2. **A safety net for paths that forget**: saving a ``Resource`` or a
   ``Document`` schedules, with ``transaction.on_commit``, a check that runs
   once the whole transaction is written (a ``post_save`` handler itself
   fires mid-save, before many-to-many fields and inlines are). If the
   record's state then differs from its latest revision, a revision with the
   action "change" is written, attributed to whoever is acting
   (``catalog.actors``). tests/test_revisions.py drives every write path and
   fails if one of them leaves the work to the net. (Outside a transaction
   ``on_commit`` runs the check at once; every write path here runs in one.)

A change that leaves the record as its latest revision has it (a save with
nothing changed) writes nothing. The snapshot is the native record
(``formats.native.record_from_resource``): every field, publishers and
authors in order, documents by name and checksum.

Restoring a revision goes through the importer's ``save_record``, like an
import of that record, and is itself a new revision. It restores the record's
description and access; its status (only the workflow changes that), its
provenance and workflow history, and its documents stay as they are.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import formats

from clearinghouse.catalog import actors
from clearinghouse.catalog.models import Document, Resource, Revision

if TYPE_CHECKING:
    from clearinghouse.catalog.visibility import Viewer
    from clearinghouse.formats.importing import ImportReport

logger = logging.getLogger(__name__)

ACTION_LABELS = {
    "create": "Created",
    "edit": "Edited",
    "import": "Imported",
    "ingest": "Document added",
    "merge": "Merged",
    "restore": "Restored",
    "change": "Changed",
    "accept": "Suggestion accepted",
    "submit": "Submitted for review",
    "publish": "Published",
    "send_back": "Sent back to draft",
    "withdraw": "Withdrawn",
    "restore_draft": "Restored as draft",
}
RESTORE_PERMISSION = "catalog.change_resource"
#: What a restore leaves as it is (see the module docstring).
KEPT_ON_RESTORE = ("status", "withdrawn_reason", "provenance")


@dataclass(frozen=True)
class Attribution:
    actor: Viewer | None
    comment: str
    action: str


_attribution: ContextVar[Attribution | None] = ContextVar("attribution", default=None)


class RevisionError(Exception):
    """A restore refused, with the reason for a curator."""


@contextmanager
def attributed(actor: Viewer | None, comment: str, action: str) -> Iterator[None]:
    """Revisions recorded inside the block carry this actor, comment and action.

    For a caller that writes through another path's function: a restore
    saves through the importer, whose own call would say "import".
    """
    token = _attribution.set(Attribution(actor, comment, action))
    try:
        yield
    finally:
        _attribution.reset(token)


def snapshot(resource: Resource) -> dict:
    """The record's state as stored now (read afresh, never from caches)."""
    from clearinghouse.formats.native import record_from_resource

    fresh = Resource.objects.prefetch_related(
        "types", "topics", "regions", "languages", "groups", "documents"
    ).get(pk=resource.pk)
    return record_from_resource(fresh)


def record_revision(
    resource: Resource,
    actor: Viewer | None = None,
    comment: str = "",
    *,
    action: str = "edit",
) -> Revision | None:
    """Keep the record's current state as a revision; None when unchanged."""
    if (given := _attribution.get()) is not None:
        actor, comment, action = given.actor, given.comment, given.action
    # Recorded here: the safety net need not look at this record again for
    # the saves before this call.
    _unchecked().discard(resource.pk)
    state = snapshot(resource)
    latest = latest_revision(resource)
    if latest is not None and latest.snapshot == state:
        return None
    actor = actor if getattr(actor, "pk", None) else actors.current_actor()
    return Revision.objects.create(
        resource=resource,
        resource_uid=resource.uid,
        actor=actor,
        actor_name=actor.get_username() if actor else "",
        action=action,
        channel=actors.current_channel(),
        comment=comment,
        snapshot=state,
    )


def record_merge(target: Resource, source: Resource, actor: Viewer) -> None:
    """Both records of a merge: the one that grew and the one withdrawn."""
    record_revision(target, actor, f"Merged in “{source.title}”.", action="merge")
    record_revision(source, actor, f"Merged into “{target.title}”.", action="merge")


def latest_revision(resource: Resource) -> Revision | None:
    return Revision.objects.filter(resource_id=resource.pk).order_by("-pk").first()


def revisions_of(resource: Resource) -> list[Revision]:
    """The record's revisions, newest first, each numbered from 1 (the oldest)."""
    found = list(Revision.objects.filter(resource_id=resource.pk).order_by("-pk"))
    for position, revision in enumerate(found):
        revision.number = len(found) - position
    return found


def describe(revision: Revision) -> str:
    """ "Published", "Edited" … as a curator reads the action."""
    if revision.action == "import" and revision.channel == actors.API:
        return "Saved through the API"
    return ACTION_LABELS.get(revision.action, revision.action.replace("_", " "))


def may_restore(actor: Viewer | None) -> bool:
    return bool(
        actor is not None and actor.is_active and actor.has_perm(RESTORE_PERMISSION)
    )


def restore(revision: Revision, actor: Viewer, number: int) -> ImportReport:
    """Bring the record back to ``revision`` (its ``number``-th); a new revision.

    Raises RevisionError when the actor may not, the record is gone, or the
    old state no longer passes the importer's checks.
    """
    from clearinghouse.formats.importing import ImportReport, Vocabulary, save_record
    from clearinghouse.formats.native import RecordError, clean_record

    if not may_restore(actor):
        raise RevisionError(
            f"{actor.get_username() or 'This user'} may not restore revisions "
            f"(the {RESTORE_PERMISSION} permission is needed)."
        )
    resource = revision.resource
    if resource is None:
        raise RevisionError("The record of this revision no longer exists.")
    current = snapshot(resource)
    report = ImportReport()
    when = formats.date_format(revision.created_at, "DATETIME_FORMAT")
    comment = f"Restored revision {number} ({when})."
    try:
        record = clean_record(
            {**revision.snapshot, **{k: current[k] for k in KEPT_ON_RESTORE}}
        )
        with transaction.atomic(), attributed(actor, comment, "restore"):
            save_record(record, Vocabulary(report), report)
    except RecordError as error:
        raise RevisionError(f"This revision cannot be restored: {error}.") from None
    return report


def watch_for_changes(sender: type, instance: object, **kwargs: object) -> None:
    """The safety net: check the record once its transaction is written,
    unless a write path records a revision after this save."""
    resource_id = instance.pk if sender is Resource else instance.resource_id
    if resource_id is None or kwargs.get("raw"):
        return
    actor = actors.current_actor()
    channel = actors.current_channel()
    _unchecked().add(resource_id)
    transaction.on_commit(
        lambda: _catch_unrecorded(resource_id, actor, channel), robust=True
    )


def _unchecked() -> set[int]:
    """Records saved since their last revision, in this thread. A snapshot
    costs a dozen queries: a file ingested or a record imported would pay it
    once per save without this."""
    if not hasattr(_saved, "ids"):
        _saved.ids = set()
    return _saved.ids


_saved = threading.local()


def _catch_unrecorded(resource_id: int, actor: Viewer | None, channel: str) -> None:
    if resource_id not in _unchecked():
        return  # recorded since, or checked by an earlier callback
    _unchecked().discard(resource_id)
    resource = Resource.objects.filter(pk=resource_id).first()
    if resource is None:
        return
    state = snapshot(resource)
    latest = latest_revision(resource)
    if latest is not None and latest.snapshot == state:
        return
    logger.info("Record %s changed without a revision; keeping one.", resource_id)
    Revision.objects.create(
        resource=resource,
        resource_uid=resource.uid,
        actor=actor,
        actor_name=actor.get_username() if actor else "",
        action="change",
        channel=channel,
        snapshot=state,
    )


def connect() -> None:
    """Connect the safety net (``CatalogConfig.ready``)."""
    post_save.connect(watch_for_changes, sender=Resource, dispatch_uid="revisions")
    for signal in (post_save, post_delete):
        signal.connect(watch_for_changes, sender=Document, dispatch_uid="revisions")
