"""Topics and regions: taxonomy terms and place names counted over the text.

A term's score grows with the log of its weighted count, so a topic named 40
times does not bury one named 10 times; a mention in the title counts three
times, on the cover twice. Organisation names are matched as masks first, so
"Council of Europe" adds nothing to Europe and "Focus on Labour Exploitation"
nothing to forced labour.
"""

import math
from collections import Counter
from collections.abc import Iterable, Mapping

from clearinghouse.ingest.suggest.matching import (
    Mention,
    Page,
    Phrase,
    PhraseIndex,
    accept_name,
    fold,
    is_proper_word,
)
from clearinghouse.ingest.suggest.suggestion import Suggestion, clamp, page_list, times
from clearinghouse.ingest.suggest.synonyms import REGION_SYNONYMS, TOPIC_SYNONYMS

MAX_TOPICS = 5
MAX_REGIONS = 5
# Pages read for terms: beyond this a long report only repeats itself, and
# matching (about 15 µs a word) would cost more than reading the pages.
MAX_PAGES = 40
# A term needs this weighted count (or a place in the title) to be suggested,
# and this share of the best term's score. Places need more: reports name
# countries in passing (an example, a meeting) far more than topics.
MIN_COUNT = {"topics": 2.0, "regions": 3.0}
MIN_SHARE = {"topics": 0.35, "regions": 0.5}
TITLE_WEIGHT = 3.0
COVER_WEIGHT = 2.0

#: Place names that are also people's names or parts of other places; they
#: count only when no capitalised word follows ("Chad Smith", "Jersey City").
AMBIGUOUS_PLACES = frozenset(
    {"Chad", "Jordan", "Georgia", "Jersey", "Guernsey", "Holland", "Panama", "Niger"}
)


def topic_index(topics: Iterable[Mapping], masks: list[Phrase]) -> PhraseIndex:
    """Topic names, slugs read as words and ``TOPIC_SYNONYMS``, any case."""
    phrases = list(masks)
    for topic in topics:
        target = str(topic.get("id") or topic["slug"])
        for surface, weight in _topic_terms(topic):
            phrases.append(Phrase(surface, target, weight))
    return PhraseIndex(phrases, stemmed=True, accept=_accept_term)


def topic_words(topics: Iterable[Mapping]) -> frozenset[str]:
    """Every word of every topic term, folded: the sector's subject words."""
    return frozenset(
        word
        for topic in topics
        for surface, _ in _topic_terms(topic)
        for word in Page(0, surface).keys(fold)
    )


def region_index(regions: Iterable[Mapping], masks: list[Phrase]) -> PhraseIndex:
    """Region names and aliases, capitalised as written."""
    phrases = list(masks)
    for region in regions:
        target = str(region.get("id") or region["code"])
        surfaces = [region["name"], *(region.get("aliases") or [])]
        phrases.extend(Phrase(s, target) for s in dict.fromkeys(surfaces))
        for term in REGION_SYNONYMS.get(region["code"], []):
            surface, weight = (term, 1.0) if isinstance(term, str) else term
            phrases.append(Phrase(surface, target, weight))
    return PhraseIndex(phrases, accept=_accept_place)


def suggest_topics(
    pages: list[Page], index: PhraseIndex, title: str | None
) -> list[Suggestion]:
    """The topics the text speaks of most, best first."""
    return _suggest("topics", pages, index, title, MAX_TOPICS)


def suggest_regions(
    pages: list[Page], index: PhraseIndex, title: str | None
) -> list[Suggestion]:
    """The countries and regions the text names most, best first."""
    return _suggest("regions", pages, index, title, MAX_REGIONS)


def _suggest(
    field: str, pages: list[Page], index: PhraseIndex, title: str | None, limit: int
) -> list[Suggestion]:
    zones = [(p, _zone_weight(p.number)) for p in pages[:MAX_PAGES]]
    if title:
        zones.append((Page.from_text(0, title), TITLE_WEIGHT))
    counts: Counter[str] = Counter()
    seen: dict[str, list[Mention]] = {}
    for page, zone_weight in zones:
        for mention in index.find(page):
            counts[mention.phrase.target] += mention.phrase.weight * zone_weight
            seen.setdefault(mention.phrase.target, []).append(mention)
    in_title = {t for t, ms in seen.items() if any(m.page.number == 0 for m in ms)}
    return _ranked(field, counts, seen, in_title, limit)


def _ranked(
    field: str,
    counts: Counter[str],
    seen: dict[str, list[Mention]],
    in_title: set[str],
    limit: int,
) -> list[Suggestion]:
    scores = {t: math.log2(1 + c) for t, c in counts.items()}
    eligible = [t for t in scores if counts[t] >= MIN_COUNT[field] or t in in_title]
    eligible.sort(key=lambda t: -scores[t])
    if not eligible:
        return []
    top = scores[eligible[0]]
    suggestions = []
    for target in eligible[:limit]:
        if scores[target] < MIN_SHARE[field] * top:
            break
        strength = 1 - 2.0 ** (-counts[target] / 4)
        confidence = strength * (0.5 + 0.5 * scores[target] / top)
        source = _source(seen[target], target in in_title)
        suggestions.append(
            Suggestion(field, target, source, clamp(confidence, high=0.95))
        )
    return suggestions


def _source(mentions: list[Mention], in_title: bool) -> str:
    """ "'CSAM' and 2 other terms found 14 times on pages 1, 3 and 7"."""
    on_pages = [m for m in mentions if m.page.number > 0]
    # Counted by words (cheap); only the commonest is cut from its page.
    forms = Counter(tuple(m.page.words[m.first : m.last + 1]) for m in mentions)
    written = forms.most_common()
    example = next(
        m
        for m in mentions
        if tuple(m.page.words[m.first : m.last + 1]) == written[0][0]
    )
    words = f"'{example.text}'"
    if len(written) > 1:
        words += f" and {len(written) - 1} other term{'s' if len(written) > 2 else ''}"
    parts = []
    if in_title:
        parts.append("in the title")
    if on_pages:
        pages = sorted({m.page.number for m in on_pages})
        shown = page_list(pages[:6]) + (" …" if len(pages) > 6 else "")
        parts.append(f"found {times(len(on_pages))} on {shown}")
    return f"{words} {', '.join(parts)}"


def _zone_weight(page_number: int) -> float:
    return COVER_WEIGHT if page_number == 1 else 1.0


def _topic_terms(topic: Mapping) -> list[tuple[str, float]]:
    """(phrase, weight) pairs for a topic: synonyms first (their weights win),
    then the name, the name without its bracketed acronym, and the slug."""
    terms: dict[str, float] = {}
    for term in TOPIC_SYNONYMS.get(topic["slug"], []):
        surface, weight = (term, 1.0) if isinstance(term, str) else term
        terms.setdefault(surface, weight)
    name = topic["name"]
    for surface in (name, name.split(" (")[0], topic["slug"].replace("-", " ")):
        if not any(s.casefold() == surface.casefold() for s in terms):
            terms[surface] = 1.0
    return list(terms.items())


def _accept_term(mention: Mention) -> bool:
    # Masks are organisation names: only when written as names.
    return accept_name(mention) if mention.phrase.mask else True


def _accept_place(mention: Mention) -> bool:
    if not accept_name(mention):
        return False
    if mention.phrase.surface in AMBIGUOUS_PLACES:
        return not is_proper_word(mention.next_word())
    return True
