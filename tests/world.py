"""A small named world for tests: records built with make_resource, and personas.

Personas (see STYLE.md): an anonymous reader, ``member`` (an approved member:
in the "Members" group), ``editor``, ``reviewer``, ``lena`` (an approved
member in the "Law enforcement" group) and ``newcomer`` (signed in, not
approved: sees what an anonymous reader sees).
"""

import datetime
import itertools

from django.contrib.auth.models import AnonymousUser, Group, User
from django.utils.text import slugify

from clearinghouse.catalog.models import (
    Document,
    Language,
    Organisation,
    Region,
    Resource,
    ResourcePublisher,
    ResourceType,
    Topic,
)
from clearinghouse.catalog.roles import EDITOR, MEMBERS, REVIEWER, ensure_roles

_counter = itertools.count(1)


def make_organisation(name: str, **overrides) -> Organisation:
    defaults = {"slug": slugify(name)[:120], **overrides}
    org, _ = Organisation.objects.get_or_create(name=name, defaults=defaults)
    return org


def make_resource(
    title: str = "",
    *,
    types: tuple[str, ...] = ("report",),
    topics: tuple[str, ...] = (),
    publishers: tuple[str, ...] = (),
    regions: tuple[str, ...] = (),
    languages: tuple[str, ...] = ("en",),
    groups: tuple[str, ...] = (),
    text: str = "",
    **overrides,
) -> Resource:
    """A published, public resource unless overrides say otherwise.

    ``topics`` are slugs, ``publishers`` names (created when missing),
    ``regions`` codes, ``text`` becomes an attached document's extracted text.
    """
    n = next(_counter)
    title = title or f"Resource {n}"
    fields = {
        "title": title,
        "slug": overrides.pop("slug", f"{slugify(title)[:100]}-{n}"),
        "summary": f"A summary of {title}.",
        "status": "published",
        "access": "public",
        "date": datetime.date(2021, 9, 1),
        "date_precision": "day",
        **overrides,
    }
    resource = Resource.objects.create(**fields)
    resource.types.set(ResourceType.objects.filter(slug__in=types))
    resource.topics.set(Topic.objects.filter(slug__in=topics))
    resource.regions.set(Region.objects.filter(code__in=regions))
    resource.languages.set(Language.objects.filter(code__in=languages))
    resource.groups.set([Group.objects.get_or_create(name=g)[0] for g in groups])
    for position, name in enumerate(publishers):
        ResourcePublisher.objects.create(
            resource=resource, organisation=make_organisation(name), position=position
        )
    if text:
        Document.objects.create(
            resource=resource,
            file="files/test.pdf",
            original_name="test.pdf",
            media_type="application/pdf",
            size=len(text),
            pages=1,
            text=text,
        )
    return resource


def make_personas() -> dict:
    """anonymous, member, editor, reviewer, lena (law enforcement) and newcomer."""
    ensure_roles()
    members = Group.objects.get(name=MEMBERS)
    member = User.objects.create_user("member", password="member-pass-1234")
    member.groups.add(members)
    editor = User.objects.create_user(
        "editor", password="editor-pass-1234", is_staff=True
    )
    editor.groups.add(Group.objects.get(name=EDITOR))
    reviewer = User.objects.create_user(
        "reviewer", password="reviewer-pass-1234", is_staff=True
    )
    reviewer.groups.add(Group.objects.get(name=REVIEWER))
    lena = User.objects.create_user("lena", password="lena-pass-1234")
    lena.groups.add(Group.objects.get_or_create(name="Law enforcement")[0], members)
    newcomer = User.objects.create_user("newcomer", password="newcomer-pass-1234")
    return {
        "anonymous": AnonymousUser(),
        "member": member,
        "editor": editor,
        "reviewer": reviewer,
        "lena": lena,
        "newcomer": newcomer,
    }
