"""Import native records into the catalog: all of them or none (or, when
asked, the good ones).

Every record is checked before anything is written; the writes then run in one
transaction, so a bad record never leaves half an import behind. With
``continue_on_error`` each record is written in a savepoint of its own: the
good ones are kept and the bad ones reported. Records match existing ones
(``matching.py``) and update them instead of duplicating them; a match that
would change nothing is skipped. Unknown organisations, people, topics, types,
regions and groups are created and reported, never dropped.

How a match is updated depends on the format (``Format.native``): the
library's own formats (JSON Lines, CSV) set every field the file gives; the
citation managers' formats only fill fields the record has left empty, so a
Zotero export never overwrites what curators wrote. Records those formats
create are drafts, since they say nothing about status or access.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

from django.db import DatabaseError, transaction

from clearinghouse.catalog.models import Resource, Status
from clearinghouse.catalog.revisions import record_revision
from clearinghouse.formats.format import Format
from clearinghouse.formats.matching import Matcher
from clearinghouse.formats.native import RecordError, clean_record
from clearinghouse.formats.saving import ALL_FIELDS, is_empty, snapshot, write_record
from clearinghouse.formats.vocabulary import Vocabulary, unique_slug

__all__ = [
    "ImportFailed",
    "ImportReport",
    "Vocabulary",
    "find_existing",
    "import_file",
    "import_records",
    "save_record",
    "unique_slug",
]


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # matched, nothing to change
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    new_terms: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFailed(Exception):
    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"{len(report.errors)} record(s) could not be imported")
        self.report = report


@dataclass(frozen=True)
class ImportRules:
    """How records are written: see the module's docstring."""

    overwrite: bool = True  # False: only fill fields a matched record has empty
    new_status: str = ""  # status of created records that name none
    source: dict | None = None  # provenance of created records that name none
    actor: object = None  # who imports: the created records' creator


def import_file(
    fmt: Format,
    stream: IO[str],
    *,
    filename: str = "",
    actor: object = None,
    **options: bool,
) -> ImportReport:
    """Import a file in ``fmt`` with the rules its kind of format calls for.

    ``options`` are ``import_records``' ``publish``, ``dry_run`` and
    ``continue_on_error``.
    """
    source = {"source": "import", "format": fmt.name, "file": filename}
    if actor is not None:
        source["by"] = actor.get_username()
    rules = ImportRules(
        overwrite=fmt.native,
        new_status="" if fmt.native else Status.DRAFT,
        source=source,
        actor=actor,
    )
    return import_records(fmt.read(stream), rules=rules, **options)


def import_records(
    rows: Iterable[tuple[int, object]],
    *,
    publish: bool = False,
    dry_run: bool = False,
    continue_on_error: bool = False,
    rules: ImportRules | None = None,
) -> ImportReport:
    """Import (line number, raw record) pairs; raises ImportFailed if any is bad
    (unless ``continue_on_error``, which imports the rest)."""
    rules = rules or ImportRules()
    report = ImportReport(dry_run=dry_run)
    records = []
    for line, raw in rows:
        try:
            records.append((line, clean_record(raw), set(raw)))
        except RecordError as error:
            report.errors.append((line, _named(raw, error)))
    # Records that passed still go through the writes (rolled back on any
    # error), so errors that need the catalog are reported in the same run.
    with transaction.atomic():
        importer = _Importer(report, rules)
        for line, record, given in records:
            if publish:
                record["status"] = Status.PUBLISHED
            try:
                importer.save(record, given, forced={"status"} if publish else set())
            except (RecordError, DatabaseError) as error:
                report.errors.append((line, _named(record, error)))
        report.errors.sort(key=lambda error: error[0])
        if report.errors and not continue_on_error:
            raise ImportFailed(report)  # leaving the block rolls everything back
        if dry_run:
            transaction.set_rollback(True)
    return report


def _named(record: object, error: Exception) -> str:
    """The error, after the title of the record it is about when there is one."""
    title = record.get("title") if isinstance(record, dict) else None
    if isinstance(title, str) and title.strip():
        short = title.strip() if len(title) <= 60 else title.strip()[:59] + "…"
        return f"“{short}”: {error}"
    return str(error)


class _Unchanged(Exception):
    """Raised inside a record's savepoint to undo an update that changed nothing."""


class _Importer:
    def __init__(self, report: ImportReport, rules: ImportRules) -> None:
        self.report = report
        self.rules = rules
        self.vocab = Vocabulary(report)
        self.matcher = Matcher()

    def save(self, record: dict, given: set[str], forced: set[str]) -> None:
        existing = self.matcher.find(record)
        checkpoint = self.vocab.checkpoint()
        try:
            with transaction.atomic():
                if existing is None:
                    resource = self._create(record, given | forced)
                else:
                    resource = self._update(existing, record, given | forced, forced)
                record_revision(resource, self.rules.actor, action="import")
        except _Unchanged:
            self.vocab.rollback(checkpoint)
            self.report.skipped.append(existing.title)
            return
        except Exception:
            self.vocab.rollback(checkpoint)
            raise
        self.matcher.add(resource)
        target = self.report.created if existing is None else self.report.updated
        target.append(resource.title)

    def _create(self, record: dict, given: set[str]) -> Resource:
        if "status" not in given and self.rules.new_status:
            record["status"] = self.rules.new_status
        if "provenance" not in given and self.rules.source:
            record["provenance"] = self.rules.source
        resource = write_record(None, record, ALL_FIELDS, self.vocab)
        if self.rules.actor is not None:
            resource.created_by = self.rules.actor
            resource.save(update_fields=["created_by"])
        return resource

    def _update(
        self, resource: Resource, record: dict, given: set[str], forced: set[str]
    ) -> Resource:
        fields = given if self.rules.overwrite else _empty(resource, given) | forced
        before = snapshot(resource)
        resource = write_record(resource, record, fields, self.vocab)
        if snapshot(resource) == before:
            raise _Unchanged
        return resource


def _empty(resource: Resource, given: set[str]) -> set[str]:
    """The given fields the record has no value for yet."""
    return {name for name in given if is_empty(resource, name)}


def save_record(record: dict, vocab: Vocabulary, report: ImportReport) -> Resource:
    """Create or update (every field) one resource from a clean record."""
    resource = find_existing(record)
    created = resource is None
    resource = write_record(resource, record, ALL_FIELDS, vocab)
    record_revision(resource, action="import")
    (report.created if created else report.updated).append(resource.title)
    return resource


def find_existing(record: dict) -> Resource | None:
    """The catalog's record for this one, by id, DOI, or title with the same
    source URL or year (one record's check; imports use ``matching.Matcher``)."""
    if record["id"] and (found := Resource.objects.filter(uid=record["id"]).first()):
        return found
    if record["doi"]:
        found = Resource.objects.filter(doi__iexact=record["doi"]).first()
        if found:
            return found
    same_title = Resource.objects.filter(title__iexact=record["title"])
    if record["url"] and (found := same_title.filter(url=record["url"]).first()):
        return found
    if record["date"]:
        return same_title.filter(date__year=record["date"][0].year).first()
    return None
