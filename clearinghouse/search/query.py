"""Parse what a reader types into a small query tree, then into FTS5 syntax.

Readers may use "quoted phrases", -exclusion, OR (or |), NOT and a trailing *
for prefixes; everything else is words. Every word is re-tokenised the way the
index tokenises text and emitted as a quoted FTS5 string, so no user text ever
reaches MATCH unescaped (https://www.sqlite.org/fts5.html#full_text_query_syntax).

Short queries (up to MAX_STRICT_TERMS words) find what holds every word, as a
catalogue search should. Longer ones — questions, claims, pasted titles — are
*broad*: what holds any of the words, ranked by BM25, since almost nothing
holds all of ten words and the ranking already puts records with more of them
first (docs/benchmarks.md, "Relevance", has the measurements).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

# Long enough for a pasted abstract or argument; a broad query then ranks by
# its most distinctive words (engine.MAX_BROAD_WORDS).
MAX_QUERY_CHARS = 2000
MAX_CLAUSES = 64
MAX_STRICT_TERMS = 3

# Dropped from implicit-AND queries only: requiring "the" or "of" narrows
# nothing, and questions typed in full would otherwise rarely match.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "there",
        "these",
        "this",
        "to",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
    ]
)

# Letters and digits, as FTS5's unicode61 tokenizer sees them: "_" is a
# separator there, and a quoted string of separators is an empty phrase that
# makes an AND match nothing.
TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
LEXEME = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or several for a phrase / hyphenated word
    prefix: bool = False
    quoted: bool = False  # typed in quotes: a phrase the reader asked for

    def fts(self) -> str:
        text = '"' + " ".join(self.words) + '"'
        return text + " *" if self.prefix else text

    def loose(self) -> tuple[Term, ...]:
        """The words of an unquoted hyphenated term, each on its own: in a
        broad query "0-dimensional" should count for "dimensional" too."""
        if self.quoted or len(self.words) == 1:
            return (self,)
        last = len(self.words) - 1
        return tuple(
            Term((word,), prefix=self.prefix and n == last)
            for n, word in enumerate(self.words)
        )

    @property
    def is_stop_word(self) -> bool:
        return len(self.words) == 1 and not self.prefix and self.words[0] in STOP_WORDS


@dataclass(frozen=True)
class AnyOf:
    """Alternatives joined by OR."""

    terms: tuple[Term, ...]

    def fts(self) -> str:
        return "(" + " OR ".join(term.fts() for term in self.terms) + ")"


@dataclass
class ParsedQuery:
    required: list[Term | AnyOf] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    explicit_or: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.required and not self.excluded

    def match_expression(self) -> str | None:
        """The FTS5 expression for hits: all required clauses, none excluded."""
        if not self.required:
            return None
        positive = " AND ".join(clause.fts() for clause in self._meaningful())
        return positive + self._not_clause()

    def relaxed_expression(self) -> str | None:
        """The same query with any of the required words instead of all of them."""
        terms = [t for clause in self._meaningful() for t in _terms(clause)]
        if len(terms) < 2:
            return None
        return "(" + " OR ".join(t.fts() for t in terms) + ")" + self._not_clause()

    def most_expression(self) -> str | None:
        """All the required clauses but one (any one), for three or more: in
        a relaxed search these records rank before those with fewer."""
        clauses = self._meaningful()
        if len(clauses) < 3:
            return None
        groups = [
            " AND ".join(c.fts() for n, c in enumerate(clauses) if n != left)
            for left in range(len(clauses))
        ]
        return "((" + ") OR (".join(groups) + "))" + self._not_clause()

    def exclusion_expression(self) -> str | None:
        """Matches what must be left out; used when nothing is required."""
        if not self.excluded:
            return None
        return " OR ".join(term.fts() for term in self.excluded)

    @property
    def broad(self) -> bool:
        """More words than a reader means to require all of (see the module)."""
        return not self.explicit_or and len(self._meaningful()) > MAX_STRICT_TERMS

    def any_expression(self, keep: Collection[str] | None = None) -> str | None:
        """Records with any of the words, for a broad query: quoted phrases
        stay required, the rest are alternatives; BM25 ranks by how many.
        ``keep``: only these of ``broad_words`` (phrases are always kept)."""
        phrases = self._phrases()
        words = self._loose_terms()
        kept = [term for term in words if not term.is_stop_word] or words
        if keep is not None:
            kept = [t for t in kept if len(t.words) > 1 or t.words[0] in keep]
        others = [term.fts() for term in kept]
        parts = [term.fts() for term in phrases]
        if others:
            parts.append("(" + " OR ".join(dict.fromkeys(others)) + ")")
        if not parts:
            return None
        return " AND ".join(parts) + self._not_clause()

    def broad_words(self) -> list[str]:
        """The single words a broad query looks for, once each, as typed."""
        return list(
            dict.fromkeys(
                term.words[0]
                for term in self._loose_terms()
                if len(term.words) == 1 and not term.is_stop_word
            )
        )

    def _phrases(self) -> list[Term]:
        return [c for c in self._meaningful() if isinstance(c, Term) and c.quoted]

    def _loose_terms(self) -> list[Term]:
        phrases = self._phrases()
        return [
            loose
            for clause in self._meaningful()
            if clause not in phrases
            for term in _terms(clause)
            for loose in term.loose()
        ]

    def adjacent_pairs(self) -> list[str]:
        """Two-word phrases of neighbouring words as typed, for the proximity
        bonus; stop words, quoted phrases, prefixes and alternatives break
        the run."""
        pairs, previous = [], None
        for clause in self.required:
            words = (
                clause.words
                if isinstance(clause, Term) and not (clause.quoted or clause.prefix)
                else ()
            )
            for word in words or (None,):
                if word is None or word in STOP_WORDS:
                    previous = None
                    continue
                if previous is not None:
                    pairs.append(Term((previous, word)).fts())
                previous = word
        return list(dict.fromkeys(pairs))

    def _meaningful(self) -> list[Term | AnyOf]:
        kept = [
            c for c in self.required if not (isinstance(c, Term) and c.is_stop_word)
        ]
        return kept or self.required

    def _not_clause(self) -> str:
        if not self.excluded:
            return ""
        return " NOT (" + " OR ".join(term.fts() for term in self.excluded) + ")"


def _any(terms: tuple[Term, ...]) -> Term | AnyOf:
    return terms[0] if len(terms) == 1 else AnyOf(terms)


def _terms(clause: Term | AnyOf) -> tuple[Term, ...]:
    return clause.terms if isinstance(clause, AnyOf) else (clause,)


def parse(text: str) -> ParsedQuery:
    """Parse typed text; never raises, whatever the input."""
    parsed = ParsedQuery()
    text = (text or "").replace("\x00", " ")
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        parsed.notices.append(
            f"Your search was long, so only its first {MAX_QUERY_CHARS} "
            "characters were used."
        )
    pending_or, negate_next = False, False
    for match in LEXEME.finditer(text):
        negated_phrase, phrase, word = match.groups()
        if word is not None and word in ("OR", "|"):
            pending_or = bool(parsed.required)
            continue
        if word is not None and word in ("AND", "&&"):
            continue
        if word is not None and word == "NOT":
            negate_next = True
            continue
        negate = negate_next or bool(negated_phrase)
        if word is not None and word.startswith("-") and len(word) > 1:
            negate, word = True, word[1:]
        term = (
            _term_from_phrase(phrase) if phrase is not None else _term_from_word(word)
        )
        negate_next = False
        if term is None:
            continue
        if negate:
            parsed.excluded.append(term)
        elif pending_or:
            parsed.required[-1] = AnyOf(_terms(parsed.required[-1]) + (term,))
            parsed.explicit_or = True
        else:
            parsed.required.append(term)
        pending_or = False
    _cap(parsed)
    return parsed


def _cap(parsed: ParsedQuery) -> None:
    """Keep the first MAX_CLAUSES words (alternatives counted) of a query
    whose clauses are all required; a broad one keeps its words (the engine
    ranks by the rarest) and only its exclusions are capped."""
    budget = MAX_CLAUSES
    kept = parsed.required if parsed.broad else []
    if not parsed.broad:
        for clause in parsed.required:
            terms = _terms(clause)[:budget]
            if not terms:
                break
            whole = len(terms) == len(_terms(clause))
            kept.append(clause if whole else _any(terms))
            budget -= len(terms)
    cut = kept != parsed.required or len(parsed.excluded) > budget
    parsed.required, parsed.excluded = kept, parsed.excluded[:budget]
    if cut:
        parsed.notices.append(
            f"Only the first {MAX_CLAUSES} words of your search were used."
        )


def _term_from_word(word: str) -> Term | None:
    prefix = word.endswith("*")
    tokens = tuple(token.lower() for token in TOKEN.findall(word))
    if not tokens:
        return None
    # "abuse*" is a prefix query; a one-letter prefix would match half the index.
    return Term(tokens, prefix=prefix and len(tokens[-1]) >= 2)


def _term_from_phrase(phrase: str) -> Term | None:
    tokens = tuple(token.lower() for token in TOKEN.findall(phrase))
    return Term(tokens, quoted=True) if tokens else None
