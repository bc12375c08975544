"""Publishers: known organisations named on the first two and last two pages.

A report names its publisher on the cover (often as a logo's text, so only
the acronym), on the imprint page ("Published by", "©") and on the back
cover. Organisations further in are usually cited, so they are not counted.
Each mention weighs by page (cover most), by what its line says ("Published
by" for, "Funded by" and reference-list lines against) and how early it is.
"""

import re
from collections import Counter
from collections.abc import Iterable, Mapping

from clearinghouse.ingest.suggest.matching import (
    Mention,
    Page,
    Phrase,
    PhraseIndex,
    accept_name,
    fold,
)
from clearinghouse.ingest.suggest.suggestion import (
    Suggestion,
    clamp,
    page_list,
    times,
)

MAX_PUBLISHERS = 3
# Below this total weight an organisation is only mentioned, not publishing.
MIN_SCORE = 1.5
# Co-publishers must weigh at least this share of the first one.
MIN_SHARE = 0.3
# An organisation named in the title ("UNICEF Annual Report") adds this.
TITLE_BONUS = 2.0
# Pages searched for a name used as an ordinary phrase.
COMMON_PHRASE_PAGES = 80

_PUBLISHED_BY = re.compile(
    r"published by|publisher|©|\(c\)|copyright|prepared by|produced by|issued by"
    r"|commissioned by|on behalf of|suggested citation|cite as"
    r"|a (?:report|publication|study|briefing|paper) (?:by|of|from)",
    re.IGNORECASE,
)
_FUNDED_BY = re.compile(
    r"fund(?:ed|ing)|financ|support(?:ed)? (?:by|of|from)|grant|donor|sponsor"
    r"|thanks?\b|acknowledg|grateful",
    re.IGNORECASE,
)
_REFERENCE = re.compile(
    r"\(\d{4}[a-z]?\)|\bet al\b|https?://|www\.|retrieved|accessed", re.IGNORECASE
)


def organisation_phrases(organisations: Iterable[Mapping]) -> list[Phrase]:
    """Every name, acronym and alias of every organisation."""
    phrases = []
    for org in organisations:
        target = str(org.get("id") or org["name"])
        surfaces = [org["name"], org.get("acronym"), *(org.get("aliases") or [])]
        phrases.extend(Phrase(s, target) for s in dict.fromkeys(surfaces) if s)
    return phrases


def organisation_index(organisations: Iterable[Mapping]) -> PhraseIndex:
    """Organisations' names as written, acronyms exactly."""
    return PhraseIndex(organisation_phrases(organisations), accept=accept_name)


def suggest_publishers(
    page_texts: list[str],
    index: PhraseIndex,
    title: str | None = None,
    subject_words: frozenset[str] = frozenset(),
) -> list[Suggestion]:
    """Up to three organisations most likely to have published the document.

    ``subject_words`` are the words of the sector's own vocabulary: a name
    made only of them ("Sexual Abuse", a journal) reads as the subject, not
    the publisher, unless a "published by" line names it.
    """
    mentions = [m for page in _edge_pages(page_texts) for m in index.find(page)]
    in_title = list(index.find(Page(0, title))) if title else []
    common = _common_phrases(page_texts, mentions + in_title, subject_words)
    weights: dict[str, list[tuple[Mention, float]]] = {}
    for mention in mentions:
        weight = mention_weight(mention, len(page_texts), common)
        if weight > 0:
            weights.setdefault(mention.phrase.target, []).append((mention, weight))
    scores = {target: sum(w for _, w in seen) for target, seen in weights.items()}
    for mention in in_title:
        if mention.phrase.surface not in common:
            target = mention.phrase.target
            scores[target] = scores.get(target, 0.0) + TITLE_BONUS
    return _ranked(scores, weights)


def mention_weight(mention: Mention, page_count: int, common: set[str]) -> float:
    """How much one mention says "published by"; 0 when it is not a name."""
    line = mention.line
    funded = bool(_FUNDED_BY.search(line))
    published = not funded and _is_published_by(mention)
    if mention.phrase.surface in common and not published:
        return 0.0
    weight = _page_weight(mention.page.number, page_count)
    if published:
        weight *= 2.5
    elif funded:
        weight *= 0.4
    elif _REFERENCE.search(line):
        weight *= 0.3
    if mention.page.number == 1 and mention.start < 300:
        weight += 1.5  # the top of the cover: logos and imprint lines
    return weight


def _ranked(
    scores: dict[str, float], weights: dict[str, list[tuple[Mention, float]]]
) -> list[Suggestion]:
    ordered = sorted(scores, key=lambda t: (-scores[t], _first_seen(weights.get(t))))
    if not ordered:
        return []
    top = scores[ordered[0]]
    suggestions = []
    for rank, target in enumerate(ordered[:MAX_PUBLISHERS]):
        score = scores[target]
        if score < MIN_SCORE or score < MIN_SHARE * top:
            break
        confidence = (1 - 2.0 ** (-score / 2)) * (1.0 if rank == 0 else 0.85)
        source = _source(weights.get(target, []))
        suggestions.append(Suggestion("publishers", target, source, clamp(confidence)))
    return suggestions


def _source(seen: list[tuple[Mention, float]]) -> str:
    """ "'UNODC' found 4 times on pages 1 and 12" or "in the title"."""
    if not seen:
        return "named in the title"
    written = Counter(m.text for m, _ in seen).most_common(1)[0][0]
    pages = [m.page.number for m, _ in seen]
    source = f"'{written}' found {times(len(seen))} on {page_list(pages)}"
    if any(_is_published_by(m) for m, _ in seen):
        source += ", in a 'published by' or copyright line"
    return source


def _edge_pages(page_texts: list[str]) -> list[Page]:
    """The first two and the last two pages, each once, tokenised."""
    count = len(page_texts)
    indexes = sorted({0, 1, count - 2, count - 1} & set(range(count)))
    return [Page.from_text(i + 1, page_texts[i]) for i in indexes]


def _page_weight(number: int, page_count: int) -> float:
    from_end = page_count - number
    return max(
        {1: 3.0, 2: 1.5}.get(number, 0.0),
        {0: 2.0, 1: 1.0}.get(from_end, 0.0),
    )


def _common_phrases(
    page_texts: list[str], mentions: list[Mention], subject_words: frozenset[str]
) -> set[str]:
    """Names of matched organisations that read as ordinary words here: a
    short name made of subject words ("Sexual Abuse", a journal) or one the
    text also writes in lower case ("social inclusion")."""
    names = {m.phrase.surface for m in mentions if not m.phrase.acronym}
    names = {name for name in names if name.lower() != name}
    if not names:
        return set()
    generic = {name for name in names if _is_generic(name, subject_words)}
    text = "\n".join(page_texts[:COMMON_PHRASE_PAGES])
    # A substring test first: the word-boundary regex is slow on long text.
    return generic | {
        name
        for name in names - generic
        if name.lower() in text
        and re.search(r"(?<!\w)" + re.escape(name.lower()) + r"(?!\w)", text)
    }


def _is_generic(name: str, subject_words: frozenset[str]) -> bool:
    """A name of one or two subject words, such as the journal "Sexual Abuse"."""
    words = Page(0, name).keys(fold)
    return len(words) <= 2 and all(w in subject_words for w in words)


def _is_published_by(mention: Mention) -> bool:
    """Whether the mention's line says "published by" or "©", or follows a
    line ending in such words ("Published by:" / "UNODC")."""
    if _PUBLISHED_BY.search(mention.line):
        return True
    text = mention.page.text
    line_start = text.rfind("\n", 0, mention.start)
    if line_start <= 0:
        return False
    previous = text[text.rfind("\n", 0, line_start) + 1 : line_start].strip()
    return bool(_PUBLISHED_BY.search(previous)) and previous.endswith(
        ("by", "by:", ":")
    )


def _first_seen(seen: list[tuple[Mention, float]] | None) -> tuple[int, int]:
    if not seen:
        return (10**9, 0)
    mention = seen[0][0]
    return (mention.page.number, mention.first)
