"""Terms an imported record names: found by name, code or alias, created when
missing (and reported in ``ImportReport.new_terms``, never dropped).

Only languages are never created: they must be ISO 639-1 codes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils.text import slugify

from clearinghouse.catalog.models import (
    Language,
    Organisation,
    Person,
    Region,
    ResourceType,
    Topic,
)
from clearinghouse.formats.native import RecordError

if TYPE_CHECKING:
    from clearinghouse.formats.importing import ImportReport


class Vocabulary:
    """Finds terms by name, code or alias; creates the missing ones (reported)."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.cache: dict[tuple[str, str], object] = {}

    def checkpoint(self) -> dict[str, int]:
        """Where the report's new terms stand, to go back to with ``rollback``."""
        return {kind: len(names) for kind, names in self.report.new_terms.items()}

    def rollback(self, checkpoint: dict[str, int]) -> None:
        """Forget terms created since ``checkpoint``: their rows were rolled back."""
        self.cache.clear()
        for kind, names in list(self.report.new_terms.items()):
            del names[checkpoint.get(kind, 0) :]
            if not names:
                del self.report.new_terms[kind]

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
