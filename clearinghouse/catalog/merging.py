"""Merging two records that describe one resource: one survives, one retires.

``merge(target, source, actor)`` moves every document of ``source`` to
``target`` (after target's own, in their order), fills target's empty fields
from source, adds source's publishers, authors, types, topics, regions,
languages, keywords and collections, and keeps what identified source in
``target.provenance["merged"]``, oldest first::

    [{"id": 41, "uid": "…", "slug": "…", "title": "…", "status": "draft",
      "doi": "", "isbn": "", "url": "", "documents": [87, 88],
      "provenance": {…source's own provenance…}, "by": "rosa", "at": "…"}]

``source`` becomes a withdrawn tombstone: its reason names the record that
replaced it (when readers may see that record) and
``provenance["replaced_by"]`` holds {"id", "uid", "slug", "title"}. A source
readers never saw (a draft, a record in review) keeps no public tombstone: its
access becomes "named groups" with none named, so only curators see it.
Possible-duplicate hints that pointed at source point at target. All of it
happens in one transaction, or none of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from clearinghouse.catalog.models import Access, Document, Resource, Status
from clearinghouse.catalog.models.resource import stricter_access
from clearinghouse.catalog.revisions import record_merge

if TYPE_CHECKING:
    from clearinghouse.catalog.visibility import Viewer

#: Text fields copied from source where target's is empty.
FILLED = (
    "subtitle",
    "summary",
    "abstract",
    "url",
    "doi",
    "isbn",
    "licence",
    "content_warning",
)
#: Many-to-many fields whose values target gains.
UNITED = ("types", "topics", "regions", "languages", "collections")
CHANGE_PERMISSION = "catalog.change_resource"
PUBLISH_PERMISSION = "catalog.publish_resource"


class MergeError(Exception):
    """A merge refused, with the reason for a curator."""


@dataclass
class MergeOutcome:
    """What a merge did: documents moved, fields filled, values added by field."""

    documents: int = 0
    filled: list[str] = field(default_factory=list)
    added: dict[str, int] = field(default_factory=dict)


#: The withdrawal reason readers see. It never names the record kept: who may
#: see that record can change after the merge, so the tombstone page links to
#: it only while the viewer may see it.
MERGED_REASON = (
    "Merged into another record of the library, which now holds its documents."
)


def merge(target: Resource, source: Resource, actor: Viewer) -> MergeOutcome:
    """Merge ``source`` into ``target``; MergeError says why when it may not."""
    if target.pk == source.pk:
        raise MergeError("A record cannot be merged into itself.")
    with transaction.atomic():
        # Locked and re-read, so a curator's edit in between is not lost.
        list(Resource.objects.select_for_update().filter(pk__in=[target.pk, source.pk]))
        target.refresh_from_db()
        source.refresh_from_db()
        check_merge(target, source, actor)
        moved = _move_documents(target, source)
        outcome = MergeOutcome(
            len(moved), _fill(target, source), _unite(target, source)
        )
        _remember(target, source, actor, moved)
        target.save()
        _retire(source, target, actor)
        repoint_hints(source.pk, target.pk)
        record_merge(target, source, actor)
    return outcome


def check_merge(target: Resource, source: Resource, actor: Viewer) -> None:
    """Raise MergeError when ``actor`` may not merge ``source`` into ``target``."""
    for resource in (target, source):
        if resource.status == Status.WITHDRAWN:
            raise MergeError(
                f"“{resource}” is withdrawn: restore it as a draft before merging."
            )
    if not _may(actor, CHANGE_PERMISSION):
        raise MergeError("Merging records needs the permission to change records.")
    if source.status == Status.PUBLISHED and not _may(actor, PUBLISH_PERMISSION):
        raise MergeError(
            f"“{source}” is published: merging withdraws it, which needs the "
            f"{PUBLISH_PERMISSION} permission."
        )
    if reason := widened_access(target, source):
        raise MergeError(reason)


def _may(actor: Viewer | None, permission: str) -> bool:
    return bool(actor is not None and actor.is_active and actor.has_perm(permission))


def widened_access(target: Resource, source: Resource) -> str:
    """Why source's documents would reach more readers inside target; "" if not.

    Merging never loosens access: the curator makes the levels match first.
    """
    if stricter_access(target.access, source.access) != target.access:
        return (
            f"“{source}” is more restricted ({source.get_access_display()}) than "
            f"“{target}” ({target.get_access_display()}): keep the stricter record, "
            f"or make their access match first."
        )
    mine, theirs = target.effective_document_access, source.effective_document_access
    if stricter_access(mine, theirs) != mine:
        return (
            f"The documents of “{source}” are more restricted than those of "
            f"“{target}”: make their document access match first."
        )
    if Access.GROUPS in (source.access, source.effective_document_access):
        extra = set(target.groups.all()) - set(source.groups.all())
        if extra:
            names = ", ".join(sorted(g.name for g in extra))
            return (
                f"“{target}” is open to groups that may not see “{source}” "
                f"({names}): make their groups match first."
            )
    embargo, covered = source.embargo_until, target.embargo_until
    if (
        embargo
        and embargo > timezone.localdate()
        and not (covered and covered >= embargo)
    ):
        return (
            f"“{source}” is under embargo until {embargo}: give “{target}” "
            f"the same embargo first."
        )
    return ""


def _move_documents(target: Resource, source: Resource) -> list[int]:
    """Source's documents go after target's, keeping their order; their ids."""
    last = target.documents.aggregate(last=Max("position"))["last"]
    start = 0 if last is None else last + 1
    documents = list(source.documents.order_by("position", "pk"))
    for offset, document in enumerate(documents):
        # update(), not save(): the search index triggers re-index both records.
        Document.objects.filter(pk=document.pk).update(
            resource=target, position=start + offset
        )
    return [d.pk for d in documents]


def _fill(target: Resource, source: Resource) -> list[str]:
    """Copy source's values into target's empty fields; the fields filled."""
    filled = [
        name for name in FILLED if getattr(source, name) and not getattr(target, name)
    ]
    for name in filled:
        setattr(target, name, getattr(source, name))
    if source.date and not target.date:
        target.date, target.date_precision = source.date, source.date_precision
        filled.append("date")
    keywords = list(target.keywords or [])
    known = {k.casefold() for k in keywords}
    new = [k for k in source.keywords or [] if k.casefold() not in known]
    if new:
        target.keywords = keywords + list(dict.fromkeys(new))
        filled.append("keywords")
    return filled


def _unite(target: Resource, source: Resource) -> dict[str, int]:
    """Add source's publishers, authors and classifications; counts by field."""
    added = {
        "publishers": _append_links(target, source, "publisher_links", "organisation"),
        "authors": _append_links(target, source, "author_links", "person"),
    }
    for name in UNITED:
        mine = getattr(target, name)
        before = mine.count()
        mine.add(*getattr(source, name).all())
        added[name] = mine.count() - before
    return {name: n for name, n in added.items() if n}


def _append_links(target: Resource, source: Resource, links: str, field: str) -> int:
    """Ordered links (publishers, authors) of source after target's own."""
    mine = getattr(target, links)
    have = set(mine.values_list(f"{field}_id", flat=True))
    last = mine.aggregate(last=Max("position"))["last"]
    start = 0 if last is None else last + 1
    new = [
        link
        for link in getattr(source, links).all()
        if getattr(link, f"{field}_id") not in have
    ]
    model = mine.model
    model.objects.bulk_create(
        model(resource=target, position=start + n, **{field: getattr(link, field)})
        for n, link in enumerate(new)
    )
    return len(new)


def _remember(
    target: Resource, source: Resource, actor: Viewer, documents: list[int]
) -> None:
    """Keep what identified source in target's provenance, and log the merge."""
    now = timezone.now().isoformat(timespec="seconds")
    provenance = dict(target.provenance or {})
    provenance["merged"] = [
        *provenance.get("merged", []),
        {
            "id": source.pk,
            "uid": str(source.uid),
            "slug": source.slug,
            "title": source.title,
            "status": source.status,
            "doi": source.doi,
            "isbn": source.isbn,
            "url": source.url,
            "documents": documents,
            "provenance": source.provenance or {},
            "by": actor.get_username(),
            "at": now,
        },
    ]
    provenance["history"] = [
        *provenance.get("history", []),
        _history(
            target.status,
            target.status,
            actor,
            now,
            f"merged in record {source.pk} “{source.title}”",
        ),
    ]
    target.provenance = provenance


def _history(old: str, new: str, actor: Viewer, at: str, comment: str) -> dict:
    """An entry of provenance["history"], as ``catalog.workflow`` writes them."""
    return {
        "action": "merge",
        "from": old,
        "to": new,
        "by": actor.get_username(),
        "at": at,
        "comment": comment,
    }


def _retire(source: Resource, target: Resource, actor: Viewer) -> None:
    """Withdraw source as a tombstone pointing at target."""
    now = timezone.now().isoformat(timespec="seconds")
    provenance = dict(source.provenance or {})
    provenance["replaced_by"] = {
        "id": target.pk,
        "uid": str(target.uid),
        "slug": target.slug,
        "title": target.title,
    }
    provenance["history"] = [
        *provenance.get("history", []),
        _history(
            source.status,
            Status.WITHDRAWN,
            actor,
            now,
            f"merged into record {target.pk} “{target.title}”",
        ),
    ]
    if source.status != Status.PUBLISHED:
        # Readers never saw it: a tombstone would tell them it existed.
        provenance["replaced_by"]["access_was"] = {
            "access": source.access,
            "document_access": source.document_access,
            "groups": sorted(source.groups.values_list("name", flat=True)),
        }
        source.access, source.document_access = Access.GROUPS, ""
        source.groups.clear()
    source.provenance = provenance
    source.status = Status.WITHDRAWN
    source.withdrawn_reason = MERGED_REASON
    source.save()


def repoint_hints(source_id: int, target_id: int) -> int:
    """Point possible-duplicate hints at target instead of source; hints at a
    document's own record and repeats are dropped. The documents changed."""
    changed = 0
    hinted = Document.objects.exclude(possible_duplicates=[]).only(
        "pk", "resource_id", "possible_duplicates"
    )
    for document in hinted.iterator():
        hints = document.possible_duplicates or []
        kept, seen = [], set()
        for hint in hints:
            if not isinstance(hint, dict):
                continue
            other = hint.get("resource")
            other = target_id if other == source_id else other
            if other == document.resource_id or other in seen:
                continue
            seen.add(other)
            kept.append({**hint, "resource": other})
        if kept != hints:
            Document.objects.filter(pk=document.pk).update(possible_duplicates=kept)
            changed += 1
    return changed
