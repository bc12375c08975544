"""Sets for selective harvesting: topics (a hierarchy) and resource types.

setSpecs (section 2.7.2 of the protocol):

    topic                                   every record with a topic
    topic:defining-problems                 that topic and every topic below it
    topic:defining-problems:terminology     a narrower topic, and its subtree
    type                                    every record with a type
    type:report                             one type

A topic's setSpec spells its whole path from the top of the tree, ":" between
slugs, so that harvesting a set takes in its whole subtree, as the protocol's
hierarchical sets do. A record's header names its own topics and types (the
sets above them are implied).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from clearinghouse.catalog.models import Resource, ResourceType, Topic


@dataclass(frozen=True)
class OAISet:
    spec: str
    name: str
    description: str = ""


class SetTree:
    """Every set, read once per request (two small queries)."""

    def __init__(self) -> None:
        topics = list(
            Topic.objects.only("pk", "slug", "name", "parent_id", "description")
        )
        self.topics = {topic.pk: topic for topic in topics}
        self.types = list(ResourceType.objects.only("pk", "slug", "label"))
        self.topic_specs = {pk: self._path(pk) for pk in self.topics}

    def _path(self, pk: int) -> str:
        slugs, seen = [], set()
        while pk is not None and pk not in seen:  # a cycle must not hang a request
            seen.add(pk)
            topic = self.topics[pk]
            slugs.append(topic.slug)
            pk = topic.parent_id
        return ":".join(["topic", *reversed(slugs)])

    def all_sets(self) -> list[OAISet]:
        """Topics in tree order, then types."""
        listed = [OAISet("topic", "Topics", "Records by topic.")]
        listed += [
            OAISet(self.topic_specs[t.pk], f"Topic: {t.name}", t.description)
            for t in self.in_tree_order()
        ]
        listed.append(OAISet("type", "Types", "Records by type of resource."))
        listed += [OAISet(f"type:{t.slug}", f"Type: {t.label}") for t in self.types]
        return listed

    def in_tree_order(self) -> list[Topic]:
        """Depth first, siblings in the taxonomy's order (position, name)."""
        children: dict[int | None, list[Topic]] = {}
        for topic in self.topics.values():  # already in Topic's Meta.ordering
            parent = topic.parent_id if topic.parent_id in self.topics else None
            children.setdefault(parent, []).append(topic)
        ordered, stack = [], list(reversed(children.get(None, [])))
        while stack:
            topic = stack.pop()
            ordered.append(topic)
            stack.extend(reversed(children.pop(topic.pk, [])))
        return ordered

    def specs_of(self, resource: Resource) -> list[str]:
        """The setSpecs a record's header names (topics and types prefetched)."""
        topics = sorted(self.topic_specs[t.pk] for t in resource.topics.all())
        types = [f"type:{t.slug}" for t in resource.types.all()]
        return topics + types

    def restrict(self, records: QuerySet, spec: str) -> QuerySet | None:
        """The records in a set; None when no such set exists."""
        if spec in ("topic", "type"):
            return records.filter(pk__in=tagged(spec, None))
        if spec.startswith("type:"):
            chosen = [t.pk for t in self.types if f"type:{t.slug}" == spec]
        else:
            chosen = [
                pk
                for pk, path in self.topic_specs.items()
                if path == spec or path.startswith(spec + ":")
            ]
        if not chosen:
            return None
        return records.filter(pk__in=tagged(spec.split(":")[0], chosen))


def tagged(kind: str, pks: list[int] | None) -> QuerySet:
    """Ids of records with a topic or type (any, when ``pks`` is None)."""
    through = {"topic": Resource.topics.through, "type": Resource.types.through}[kind]
    column = {"topic": "topic_id", "type": "resourcetype_id"}[kind]
    links = through.objects.all()
    if pks is not None:
        links = links.filter(**{f"{column}__in": pks})
    return links.values("resource_id")
