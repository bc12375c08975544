"""“Did you mean …?”: a corrected query, from the index's own words.

When a search finds (almost) nothing, each word of it that no record the
reader may see holds is compared with the indexed words that start with the
same letter (few typos change the first one); the closest by edit distance,
counting a swap of neighbours as one edit, wins, and among equally close
words the one more records hold.

The word index is shared by every viewer and holds the words of drafts and
restricted records too, so a word is only ever offered after the visibility
policy has found a record this viewer may see that holds it: a draft's rare
word can never leak through a suggestion.
"""

from __future__ import annotations

import re

from django.db.models import QuerySet
from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.process import extract

from clearinghouse.catalog.models import Resource
from clearinghouse.search.backends import get_backend
from clearinghouse.search.query import STOP_WORDS, ParsedQuery, Term
from clearinghouse.search.synonyms import load_groups

#: Suggest only when a search finds fewer hits than this.
SUGGEST_BELOW = 3
#: Shorter words are too ambiguous to correct ("cat" → "car"? "cap"?).
MIN_LENGTH = 4
#: Words of a query looked at, at most: each costs a few small queries.
MAX_WORDS = 6
#: Close candidates checked against what the viewer may see, per word.
CANDIDATES = 5


def did_you_mean(text: str, parsed: ParsedQuery, viewer: object) -> str | None:
    """The typed text with its misspelt words corrected, or None."""
    visible = Resource.objects.visible_to(viewer)
    corrections = {}
    for word in _checked_words(parsed)[:MAX_WORDS]:
        if _found(word, visible):
            continue
        better = _correction(word, visible)
        if better:
            corrections[word] = better
    if not corrections:
        return None
    return _rewrite(text, corrections)


def _checked_words(parsed: ParsedQuery) -> list[str]:
    """The typed words worth checking: not stop words, not too short, and
    not a word of the synonym table ("CSEM" is right, though no record
    spells it so)."""
    terms = [t for c in parsed.required for t in getattr(c, "terms", (c,))]
    known = {word for group in load_groups() for term in group.terms for word in term}
    words = [
        word
        for term in terms
        if isinstance(term, Term) and not term.prefix
        for word in term.words
        if len(word) >= MIN_LENGTH and word.isalpha() and word not in STOP_WORDS
    ]
    return [word for word in dict.fromkeys(words) if word not in known]


def _found(word: str, visible: QuerySet) -> bool:
    """True when a search for the typed word alone finds a record the viewer
    may see, in any field, documents and word forms included."""
    expression = Term((word,)).fts()
    return visible.filter(pk__in=get_backend().matching(expression)).exists()


def _seen(word: str, visible: QuerySet) -> bool:
    """True when the description of a record the viewer may see holds this
    very word: only such words are offered."""
    return visible.filter(pk__in=get_backend().word_matching(word)).exists()


def _correction(word: str, visible: QuerySet) -> str | None:
    limit = 1 if len(word) < 7 else 2
    known = dict(get_backend().words_starting(word[0]))
    close = extract(
        word,
        list(known),
        scorer=DamerauLevenshtein.distance,
        score_cutoff=limit,
        limit=None,
    )
    ranked = sorted(close, key=lambda found: (found[1], -known[found[0]], found[0]))
    for candidate, _, _ in ranked[:CANDIDATES]:
        if candidate != word and _seen(candidate, visible):
            return candidate
    return None


def _rewrite(text: str, corrections: dict[str, str]) -> str:
    """The typed text with each corrected word replaced where it stands,
    quotes and operators kept."""

    def replace(match: re.Match) -> str:
        typed = match.group(0)
        better = corrections.get(typed.lower())
        if better is None:
            return typed
        return (
            better.upper()
            if typed.isupper()
            else (better.capitalize() if typed[0].isupper() else better)
        )

    return re.sub(r"[^\W_]+", replace, text)
