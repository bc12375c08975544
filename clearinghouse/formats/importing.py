"""Import native records into the catalog: all of them, or none.

Every record is checked before anything is written; the writes then run in one
transaction, so a bad line never leaves half an import behind. Records match
existing ones by id, then DOI, then source URL, then title and year, and update
them instead of duplicating them. Unknown organisations, people, topics, types,
regions and groups are created and reported, never dropped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from clearinghouse.catalog.models import (
    Language,
    Organisation,
    Person,
    Region,
    Resource,
    ResourceAuthor,
    ResourcePublisher,
    ResourceType,
    Topic,
)
from clearinghouse.formats.native import RecordError, clean_record


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
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


def import_records(
    rows: Iterable[tuple[int, object]], *, publish: bool = False, dry_run: bool = False
) -> ImportReport:
    """Import (line number, raw record) pairs; raises ImportFailed if any is bad."""
    report = ImportReport(dry_run=dry_run)
    records = []
    for line, raw in rows:
        try:
            records.append((line, clean_record(raw)))
        except RecordError as error:
            report.errors.append((line, str(error)))
    # Records that passed still go through the writes (rolled back on any
    # error), so errors that need the catalog are reported in the same run.
    with transaction.atomic():
        vocab = Vocabulary(report)
        for line, record in records:
            if publish:
                record["status"] = "published"
            try:
                save_record(record, vocab, report)
            except RecordError as error:
                report.errors.append((line, str(error)))
        if report.errors:
            raise ImportFailed(report)  # leaving the block rolls everything back
        if dry_run:
            transaction.set_rollback(True)
    return report


class Vocabulary:
    """Finds terms by name, code or alias; creates the missing ones (reported)."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.cache: dict[tuple[str, str], object] = {}

    def organisation(self, name: str) -> Organisation:
        key = name.casefold()
        found = self.cache.get(("org", key))
        if found is None:
            found = _find_organisation(name)
            if found is None:
                found = Organisation.objects.create(
                    name=name[:250], slug=unique_slug(Organisation, name)
                )
                self.report.new_terms["organisations"].append(name)
            self.cache[("org", key)] = found
        return found

    def person(self, name: str) -> Person:
        person = Person.objects.filter(name__iexact=name).first()
        if person is None:
            person = Person.objects.create(
                name=name[:200], slug=unique_slug(Person, name)
            )
            self.report.new_terms["people"].append(name)
        return person

    def topic(self, slug: str) -> Topic:
        topic = Topic.objects.filter(slug=slugify(slug)).first()
        if topic is None:
            topic = Topic.objects.create(
                slug=slugify(slug)[:80], name=slug.replace("-", " ").capitalize()
            )
            self.report.new_terms["topics"].append(slug)
        return topic

    def resource_type(self, value: str) -> ResourceType:
        slug = slugify(re.sub(r"[/&]", "-", value))
        found = ResourceType.objects.filter(
            Q(slug=slug) | Q(label__iexact=value)
        ).first()
        if found is None:
            found = ResourceType.objects.create(slug=slug, label=value.capitalize())
            self.report.new_terms["types"].append(value)
        return found

    def region(self, value: str) -> Region:
        found = _find_region(value)
        if found is None:
            found = Region.objects.create(
                code=value.upper()[:20],
                name=value,
                kind=Region.Kind.GROUP,
                slug=unique_slug(Region, value),
            )
            self.report.new_terms["regions"].append(value)
        return found

    def language(self, code: str) -> Language:
        found = Language.objects.filter(code=code.lower()).first()
        if found is None:
            raise RecordError(f"'languages': {code!r} is not an ISO 639-1 code")
        return found

    def group(self, name: str) -> Group:
        group, created = Group.objects.get_or_create(name=name)
        if created:
            self.report.new_terms["groups"].append(name)
        return group


def _find_organisation(name: str) -> Organisation | None:
    exact = Organisation.objects.filter(
        Q(name__iexact=name) | Q(acronym__iexact=name)
    ).first()
    if exact:
        return exact
    wanted = name.casefold()
    # Aliases are a JSON list; compare in Python to stay database-neutral.
    for org in Organisation.objects.exclude(aliases=[]).only("pk", "aliases"):
        if any(alias.casefold() == wanted for alias in org.aliases):
            return Organisation.objects.get(pk=org.pk)
    return None


def _find_region(value: str) -> Region | None:
    found = Region.objects.filter(
        Q(code__iexact=value) | Q(name__iexact=value) | Q(slug=slugify(value))
    ).first()
    if found:
        return found
    wanted = value.casefold()
    for region in Region.objects.exclude(aliases=[]).only("pk", "aliases"):
        if any(alias.casefold() == wanted for alias in region.aliases):
            return Region.objects.get(pk=region.pk)
    return None


def unique_slug(model: type, text: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(text)[:100].strip("-") or "untitled"
    slug, n = base, 2
    others = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def find_existing(record: dict) -> Resource | None:
    """The catalog's record for this one, if it is already there.

    Matched by id, then DOI, then title with the same source URL or year. A URL
    alone is not enough: series share one landing page.
    """
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


SCALAR_FIELDS = (
    "title",
    "subtitle",
    "summary",
    "abstract",
    "url",
    "doi",
    "isbn",
    "licence",
    "status",
    "access",
    "embargo_until",
    "content_warning",
    "featured",
    "withdrawn_reason",
    "provenance",
)


def save_record(record: dict, vocab: Vocabulary, report: ImportReport) -> Resource:
    """Create or update one resource from a clean record."""
    resource = find_existing(record)
    created = resource is None
    if created:
        resource = Resource(uid=record["id"]) if record["id"] else Resource()
    for name in SCALAR_FIELDS:
        setattr(resource, name, record[name])
    resource.document_access = (
        ""
        if record["document_access"] == record["access"]
        else record["document_access"]
    )
    resource.date, resource.date_precision = record["date"] or (None, "day")
    if record["added"]:
        resource.created_at = record["added"]
    elif created:
        resource.created_at = timezone.now()
    wanted_slug = slugify(record["slug"])[:120] if record["slug"] else ""
    clash = Resource.objects.filter(slug=wanted_slug).exclude(pk=resource.pk).exists()
    if not wanted_slug or clash:
        wanted_slug = resource.slug or unique_slug(
            Resource, record["title"], exclude_pk=resource.pk
        )
    resource.slug = wanted_slug
    resource.keywords = record["keywords"]
    resource.save()
    _link_terms(resource, record, vocab)
    (report.created if created else report.updated).append(resource.title)
    return resource


def _link_terms(resource: Resource, record: dict, vocab: Vocabulary) -> None:
    resource.types.set([vocab.resource_type(v) for v in record["types"]])
    resource.topics.set([vocab.topic(v) for v in record["topics"]])
    resource.regions.set([vocab.region(v) for v in record["regions"]])
    resource.languages.set([vocab.language(v) for v in record["languages"]])
    resource.groups.set([vocab.group(v) for v in record["groups"]])
    resource.publisher_links.all().delete()
    orgs = list(dict.fromkeys(vocab.organisation(n) for n in record["publishers"]))
    ResourcePublisher.objects.bulk_create(
        ResourcePublisher(resource=resource, organisation=org, position=i)
        for i, org in enumerate(orgs)
    )
    resource.author_links.all().delete()
    people = list(dict.fromkeys(vocab.person(n) for n in record["authors"]))
    ResourceAuthor.objects.bulk_create(
        ResourceAuthor(resource=resource, person=person, position=i)
        for i, person in enumerate(people)
    )
