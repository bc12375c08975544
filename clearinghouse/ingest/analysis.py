"""What follows reading: metadata suggestions and the duplicate signature.

Both are pure functions of the text, costly on long documents, and run where
the reading ran, in an extraction worker, so that a batch keeps both cores
busy and the process writing to the database only writes. The worker gets the
catalog's vocabulary as plain lists (``vocabulary_lists``) and builds its
indexes once per batch.
"""

import hashlib
import logging
import pickle
from dataclasses import asdict

from clearinghouse.ingest import duplicates
from clearinghouse.ingest.extraction import Extraction

logger = logging.getLogger(__name__)

#: {"organisations": [...], "topics": [...], "regions": [...]}, as
#: ``suggest.Vocabulary.from_mapping`` takes it.
VocabularyLists = dict[str, list[dict]]


def analyse(extraction: Extraction, vocabulary) -> Extraction:
    """Fill ``extraction.suggestions`` and ``extraction.signature``.

    Suggestions and signatures are aids: a bug in them is logged and noted
    in the warnings, and must not cost the curator the text and pages."""
    extraction.suggestions = suggest(extraction, vocabulary)
    try:
        extraction.signature = duplicates.text_signature(extraction.text)
    except Exception:
        logger.exception("the duplicate signature failed")
        extraction.warnings.append("near-duplicate finding failed; see the log")
        extraction.signature = None
    return extraction


def suggest(extraction: Extraction, vocabulary) -> list[dict]:
    """Metadata suggestions as plain dicts, best first in each field."""
    from clearinghouse.ingest.suggest import suggest_metadata

    try:
        found = suggest_metadata(
            extraction.page_texts,
            extraction.metadata,
            vocabulary,
            first_page_lines=extraction.first_page_lines,
        )
    except Exception:
        logger.exception("metadata suggestions failed")
        extraction.warnings.append("metadata suggestions failed; see the log")
        return []
    return [asdict(s) for s in found]


def vocabulary_lists() -> VocabularyLists:
    """The catalog's organisations, topics and regions, as plain lists that
    pickle small and travel to worker processes."""
    from clearinghouse.catalog.models import Organisation, Region, Topic

    return {
        "organisations": list(
            Organisation.objects.values("id", "name", "acronym", "aliases")
        ),
        "topics": list(Topic.objects.values("id", "slug", "name")),
        "regions": list(Region.objects.values("id", "code", "name", "aliases", "kind")),
    }


def fingerprint(lists: VocabularyLists) -> str:
    """A short digest of the lists: a worker rebuilds its indexes only when
    the catalog's vocabulary changed."""
    return hashlib.blake2b(pickle.dumps(lists), digest_size=16).hexdigest()


def build_vocabulary(lists: VocabularyLists):
    """A ``suggest.Vocabulary`` with its indexes built now, not on first use."""
    from clearinghouse.ingest.suggest import Vocabulary

    vocabulary = Vocabulary.from_mapping(lists)
    for index in ("organisation_index", "topic_index", "region_index"):
        getattr(vocabulary, index)
    return vocabulary
