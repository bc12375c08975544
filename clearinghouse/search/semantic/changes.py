"""Noticing records whose embedded text changed, and queueing their embedding.

The vectors are a derived index, like the full-text one that database
triggers keep; model signals are the one hook that every way of saving a
record passes through (admin, API, import, ingest, workflow). A change only
queues a task, once per record per transaction, when the transaction
commits; the worker does the embedding. ``clearinghouse embed`` catches up
with writes that bypass signals (``QuerySet.update``, raw SQL).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from clearinghouse.catalog.models import Document, Resource
from clearinghouse.search.semantic import embedder

# Resource fields whose change alters its passages (chunking.passages).
EMBEDDED_FIELDS = {"title", "subtitle", "summary", "abstract"}
EMBEDDED_FIELDS |= {"access", "document_access"}  # decide whether text is embedded
DOCUMENT_FIELDS = {"text", "state", "resource", "position"}


def connect() -> None:
    post_save.connect(_resource_saved, sender=Resource, dispatch_uid="semantic-r")
    post_save.connect(_document_changed, sender=Document, dispatch_uid="semantic-ds")
    post_delete.connect(_document_changed, sender=Document, dispatch_uid="semantic-dd")


def _resource_saved(instance: Resource, update_fields=None, **_: object) -> None:
    if update_fields is None or EMBEDDED_FIELDS.intersection(update_fields):
        queue_embedding(instance.pk)


def _document_changed(instance: Document, update_fields=None, **_: object) -> None:
    if update_fields is None or DOCUMENT_FIELDS.intersection(update_fields):
        queue_embedding(instance.resource_id)


def queue_embedding(resource_id: int) -> None:
    """Embed this record in the background once the current transaction
    commits (at once outside one)."""
    if not embedder.available():
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _Batch({resource_id})()
        return
    # One task per transaction: join the batch it already waits to send.
    # A rolled-back transaction drops its callbacks, and so its batch.
    for _, callback, _ in connection.run_on_commit:
        if isinstance(callback, _Batch) and not callback.sent:
            callback.ids.add(resource_id)
            return
    transaction.on_commit(_Batch({resource_id}))


class _Batch:
    """The records one transaction changed, queued when it commits."""

    def __init__(self, ids: set[int]) -> None:
        self.ids = ids
        self.sent = False

    def __call__(self) -> None:
        from clearinghouse.search.semantic.tasks import embed_records

        self.sent = True
        embed_records.enqueue(sorted(self.ids))
