"""Metadata suggestions for a document: title, date, publishers, DOI/ISBN,
topics, regions and a draft summary, each with where it was found.

Plain data in, plain data out, so that the ingest pipeline, the admin and
tests all call ``suggest_metadata`` the same way::

    vocabulary = Vocabulary(organisations=[...], topics=[...], regions=[...])
    for suggestion in suggest_metadata(page_texts, metadata, vocabulary):
        print(suggestion.field, suggestion.value, suggestion.source)
"""

from collections.abc import Mapping, Sequence

from clearinghouse.ingest.suggest.dates import precision, suggest_date
from clearinghouse.ingest.suggest.identifiers import suggest_identifiers
from clearinghouse.ingest.suggest.matching import pages_from_texts
from clearinghouse.ingest.suggest.publishers import suggest_publishers
from clearinghouse.ingest.suggest.suggestion import FIELDS, Suggestion
from clearinghouse.ingest.suggest.summary import suggest_summary
from clearinghouse.ingest.suggest.terms import (
    MAX_PAGES,
    suggest_regions,
    suggest_topics,
)
from clearinghouse.ingest.suggest.title import Line, suggest_title
from clearinghouse.ingest.suggest.vocabulary import Vocabulary

__all__ = [
    "FIELDS",
    "Line",
    "Suggestion",
    "Vocabulary",
    "precision",
    "suggest_metadata",
]


def suggest_metadata(
    page_texts: Sequence[str],
    metadata: Mapping,
    vocab: Vocabulary | Mapping[str, Sequence[Mapping]],
    *,
    first_page_lines: Sequence[Line] | None = None,
) -> list[Suggestion]:
    """Suggestions for every field, grouped by field, best first in each.

    ``page_texts`` is the text of each page; ``metadata`` the embedded
    metadata (title, created ...); ``vocab`` a ``Vocabulary`` (build it once
    per batch) or a mapping of its three lists; ``first_page_lines`` page 1
    as (text, font size) pairs when the extractor has sizes.
    """
    page_texts = list(page_texts)
    metadata = dict(metadata)
    if not isinstance(vocab, Vocabulary):
        vocab = Vocabulary.from_mapping(vocab)
    titles = suggest_title(
        page_texts, metadata, first_page_lines, vocab.is_organisation_name
    )
    title = titles[0].value if titles else None
    pages = pages_from_texts(page_texts[:MAX_PAGES])
    suggestions = [
        *titles,
        *suggest_date(page_texts, metadata),
        *suggest_publishers(
            page_texts, vocab.organisation_index, title, vocab.subject_words
        ),
        *suggest_identifiers(page_texts),
        *suggest_topics(pages, vocab.topic_index, title),
        *suggest_regions(pages, vocab.region_index, title),
        *suggest_summary(page_texts),
    ]
    return [vocab.labelled(s) for s in suggestions]
