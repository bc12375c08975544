"""A draft summary: the two or three most central sentences of the first ten
pages, in the order they appear.

Centrality is the cosine between a sentence's TF-IDF vector and the centroid
of all sentences' vectors (the centroid method of MEAD, Radev et al. 2004):
linear in the number of sentences, where TextRank's graph is quadratic, and
close to it on single documents. Tables of contents, running headers and
footers, headings, imprint and acknowledgement sentences are dropped first;
sentences under an "Executive summary" or "Abstract" heading count more.
"""

import math
import re
from collections import Counter
from dataclasses import dataclass

from clearinghouse.ingest.suggest.matching import stem
from clearinghouse.ingest.suggest.suggestion import Suggestion, page_list
from clearinghouse.ingest.suggest.title import join_lines

MAX_WORDS = 80
MAX_SENTENCES = 3
PAGES = 10
# Enough sentences to find the centre of ten pages; bounds the time taken.
MAX_CANDIDATES = 250
SUMMARY_SECTION_BONUS = 1.3
# Lines longer than this are never taken for running headers or footers.
HEADER_LENGTH = 90
# Two sentences this alike (cosine) say the same thing: keep one.
REDUNDANT = 0.5

_SUMMARY_HEADING = re.compile(
    r"^(?:\d[\d.]*\s+)?(?:executive summary|summary|abstract|key findings|overview"
    r"|key messages|at a glance|introduction)$",
    re.IGNORECASE,
)
_DOT_LEADER = re.compile(r"(?:\.\s?){4,}|…{2,}|\s\d{1,3}$")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|no|nos|dr|mr|mrs|ms|st|vs|al|art|para|paras|pp?|fig|vol|ch"
    r"|inc|ltd|co|jr|sr|u\.s|u\.k|approx)|\b[A-Z])\.$",
    re.IGNORECASE,
)
# Imprint, thanks and captions: looked for in the lower-cased sentence as
# plain substrings, many times faster than one regex alternation.
BOILERPLATE = (
    "http",
    "www.",
    "@",
    "©",
    "isbn",
    "doi:",
    "doi.org",
    "acknowledg",
    "thank",
    "grateful",
    "views expressed",
    "do not necessarily",
    "all rights reserved",
    "reproduc",
    "permission",
    "suggested citation",
    "cite as",
    "this publication was",
    "disclaimer",
)
_CAPTION = re.compile(r"(?:figure|table|source|note|box|chart)s?\b")
_NOT_LETTER = re.compile(r"[\W\d_]+")
_DIGITS_AS_HASH = str.maketrans("0123456789", "##########")
_WORD = re.compile(r"[^\W\d_]{3,}")
STOPWORDS = frozenset(
    """about above after again against all also although among and any are around
    because been before being below between both but can could did does doing down
    during each either even few for from further had has have having her here hers
    him his how however into its itself just may might more most much must near
    not now off once only other our ours out over own per same she should since
    some such than that the their theirs them then there these they this those
    through thus too under until upon very was were what when where whether which
    while who whom whose why will with within without would yet you your""".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class Sentence:
    """A candidate sentence, its page and its section's bonus."""

    text: str
    page: int
    bonus: float

    @property
    def words(self) -> int:
        return len(self.text.split())


def suggest_summary(page_texts: list[str]) -> list[Suggestion]:
    """Two or three central sentences, at most ``MAX_WORDS`` words."""
    sentences = candidate_sentences(page_texts[:PAGES])
    if len(sentences) < 2:
        return []
    vectors = tfidf_vectors([s.text for s in sentences])
    centroid = _normalised(_sum(vectors))
    scores = [
        _cosine(v, centroid) * s.bonus * _position(s.page) * _length(s.words)
        for s, v in zip(sentences, vectors, strict=True)
    ]
    picked = _pick(scores, vectors, sentences)
    text = " ".join(sentences[i].text for i in picked)
    pages = [sentences[i].page for i in picked]
    source = (
        f"{len(picked)} most central of {len(sentences)} sentences, {page_list(pages)}"
    )
    return [Suggestion("summary", text, source, 0.5 if len(sentences) >= 10 else 0.35)]


def candidate_sentences(page_texts: list[str]) -> list[Sentence]:
    """Sentences fit for a summary, page by page, boilerplate removed."""
    repeated = repeated_lines(page_texts)
    sentences = []
    for number, text in enumerate(page_texts, start=1):
        if is_contents_page(text):
            continue
        for paragraph, bonus in paragraphs(text, repeated):
            for sentence in split_sentences(paragraph):
                if is_summary_sentence(sentence):
                    sentences.append(Sentence(sentence, number, bonus))
        if len(sentences) >= MAX_CANDIDATES:
            break
    return sentences


def repeated_lines(page_texts: list[str]) -> set[str]:
    """Running headers and footers: lines (digits ignored) on at least three
    pages and on at least a third of them."""
    counts: Counter[str] = Counter()
    for text in page_texts:
        lines = text.splitlines()
        counts.update({_line_key(line) for line in lines if _may_repeat(line)})
    needed = max(3, len(page_texts) / 3)
    return {line for line, n in counts.items() if n >= needed}


def is_contents_page(text: str) -> bool:
    """A table of contents: many lines ending in dot leaders or page numbers."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return False
    listed = sum(bool(_DOT_LEADER.search(line)) for line in lines)
    return listed >= 5 and listed / len(lines) > 0.3


def paragraphs(text: str, repeated: set[str]) -> list[tuple[str, float]]:
    """Paragraphs (printed lines joined) with their section's bonus; headings
    end a paragraph and are dropped, and a summary heading starts a bonus."""
    found: list[tuple[str, float]] = []
    current: list[str] = []
    bonus = 1.0

    def flush() -> None:
        if current:
            found.append((join_lines(current), bonus))
            current.clear()

    lines = [" ".join(raw.split()) for raw in text.splitlines()]
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if not line or (_may_repeat(line) and _line_key(line) in repeated):
            flush()
        elif _is_heading(line, current, following):
            flush()
            bonus = SUMMARY_SECTION_BONUS if _SUMMARY_HEADING.match(line) else 1.0
        else:
            current.append(line)
    flush()
    return found


def split_sentences(paragraph: str) -> list[str]:
    """Sentences, not cut after abbreviations ("e.g.", "No.", initials)."""
    sentences: list[str] = []
    for piece in _SENTENCE_END.split(paragraph):
        # Only the tail can hold the abbreviation: search no further.
        if sentences and _ABBREVIATION.search(sentences[-1][-10:]):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return [s.strip() for s in sentences if s.strip()]


def is_summary_sentence(sentence: str) -> bool:
    """A whole, plain sentence of prose: 8 to 40 words, starting with a
    capital, ending with a full stop, not an imprint or a caption."""
    words = sentence.split()
    if not 8 <= len(words) <= 40 or sentence[-1] not in ".!?":
        return False
    if not (sentence[0].isupper() or sentence[0] in '"“'):
        return False
    if sum(1 for w in words if w[0].isupper()) * 2 >= len(words):
        return False  # a run of names or a title-case heading
    lowered = sentence.lower()
    if any(b in lowered for b in BOILERPLATE) or _CAPTION.match(lowered):
        return False
    letters = len(_NOT_LETTER.sub("", sentence))
    return letters >= 0.75 * (len(sentence) - len(words) + 1)


def tfidf_vectors(texts: list[str]) -> list[dict[str, float]]:
    """One L2-normalised TF-IDF vector per text, stems as terms, the texts
    themselves as the collection."""
    terms = [
        Counter(stem(w) for w in _WORD.findall(t.lower()) if w not in STOPWORDS)
        for t in texts
    ]
    df = Counter(term for counts in terms for term in counts)
    n = len(texts)
    idf = {term: math.log((n + 1) / (d + 1)) + 1 for term, d in df.items()}
    return [_normalised({t: c * idf[t] for t, c in counts.items()}) for counts in terms]


def _pick(
    scores: list[float], vectors: list[dict[str, float]], sentences: list[Sentence]
) -> list[int]:
    """Best sentences that fit the word budget and do not repeat each other,
    in document order."""
    picked: list[int] = []
    budget = MAX_WORDS
    for i in sorted(range(len(scores)), key=lambda i: -scores[i]):
        if sentences[i].words > budget:
            continue
        if any(_cosine(vectors[i], vectors[j]) > REDUNDANT for j in picked):
            continue
        picked.append(i)
        budget -= sentences[i].words
        if len(picked) == MAX_SENTENCES:
            break
    return sorted(picked)


def _is_heading(line: str, current: list[str], following: str) -> bool:
    """A short line that neither ends a sentence nor runs on from the line
    before or into the line after."""
    if len(line.split()) > 10 or line[-1] in '.,;:!?)"”’-':
        return False
    if line[:1].islower() or following[:1].islower():
        return False
    return not current or current[-1][-1] in ".!?:"


def _may_repeat(line: str) -> bool:
    """Running headers and footers are short lines."""
    return 0 < len(line) <= HEADER_LENGTH and not line.isspace()


def _line_key(line: str) -> str:
    """A line with page numbers and spacing ignored, to spot repeats."""
    return " ".join(line.split()).casefold().translate(_DIGITS_AS_HASH)


def _position(page: int) -> float:
    """Earlier pages a little more: reports put their point first."""
    return 1.0 + 0.25 * (1 - (page - 1) / PAGES)


def _length(words: int) -> float:
    """Very short sentences carry less; the budget already bounds long ones."""
    return 1.0 if words >= 12 else 0.85


def _sum(vectors: list[dict[str, float]]) -> dict[str, float]:
    total: dict[str, float] = {}
    for vector in vectors:
        for term, value in vector.items():
            total[term] = total.get(term, 0.0) + value
    return total


def _normalised(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {t: v / norm for t, v in vector.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())
