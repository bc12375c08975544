"""The catalog's vocabularies, with their phrase indexes built once.

Build one ``Vocabulary`` per batch and pass it to every ``suggest_metadata``
call: indexing a few hundred organisations, topics and regions costs more
than matching them against one document.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from clearinghouse.ingest.suggest.matching import Page, Phrase, PhraseIndex
from clearinghouse.ingest.suggest.publishers import (
    organisation_index,
    organisation_phrases,
)
from clearinghouse.ingest.suggest.suggestion import Suggestion
from clearinghouse.ingest.suggest.terms import region_index, topic_index, topic_words

#: One vocabulary entry as the catalog passes it:
#: organisations {"id", "name", "acronym", "aliases"}, topics {"id", "slug",
#: "name"}, regions {"id", "code", "name", "aliases", "kind"}. Without "id",
#: the name, slug or code identifies the entry.
Entry = Mapping[str, object]


@dataclass
class Vocabulary:
    """Organisations, topics and regions to recognise in documents."""

    organisations: Sequence[Entry] = field(default_factory=list)
    topics: Sequence[Entry] = field(default_factory=list)
    regions: Sequence[Entry] = field(default_factory=list)

    @classmethod
    def from_mapping(cls, vocab: Mapping[str, Sequence[Entry]]) -> "Vocabulary":
        """From {"organisations": [...], "topics": [...], "regions": [...]}."""
        return cls(
            organisations=vocab.get("organisations", []),
            topics=vocab.get("topics", []),
            regions=vocab.get("regions", []),
        )

    @cached_property
    def organisation_index(self) -> PhraseIndex:
        """Organisations' names, acronyms and aliases."""
        return organisation_index(self.organisations)

    @cached_property
    def topic_index(self) -> PhraseIndex:
        """Topic terms, with organisations' names hiding the terms inside them."""
        return topic_index(self.topics, self._organisation_masks)

    @cached_property
    def region_index(self) -> PhraseIndex:
        """Place names, with organisations' names hiding the places inside them."""
        return region_index(self.regions, self._organisation_masks)

    @cached_property
    def subject_words(self) -> frozenset[str]:
        """The words of all topic terms, folded."""
        return topic_words(self.topics)

    @cached_property
    def _organisation_masks(self) -> list[Phrase]:
        phrases = organisation_phrases(self.organisations)
        return [replace(p, mask=True) for p in phrases]

    @cached_property
    def labels(self) -> dict[str, dict[str, str]]:
        """Entry names by field and id: what a curator reads for a value."""
        return {
            "publishers": {
                str(o.get("id") or o["name"]): o["name"] for o in self.organisations
            },
            "topics": {str(t.get("id") or t["slug"]): t["name"] for t in self.topics},
            "regions": {str(r.get("id") or r["code"]): r["name"] for r in self.regions},
        }

    def labelled(self, suggestion: Suggestion) -> Suggestion:
        """``suggestion`` with the name of the entry its value identifies."""
        label = self.labels.get(suggestion.field, {}).get(suggestion.value)
        return replace(suggestion, label=label) if label else suggestion

    def is_organisation_name(self, line: str) -> bool:
        """Whether ``line`` is nothing but organisation names (a logo's text)."""
        page = Page.from_text(0, line)
        if not page.words:
            return False
        covered = sum(m.last - m.first + 1 for m in self.organisation_index.find(page))
        return covered == len(page.words)
