"""Parse what a reader types into a small query tree, then into FTS5 syntax.

Readers may use "quoted phrases", -exclusion, OR (or |), NOT and a trailing *
for prefixes; everything else is words. Every word is re-tokenised the way the
index tokenises text and emitted as a quoted FTS5 string, so no user text ever
reaches MATCH unescaped (https://www.sqlite.org/fts5.html#full_text_query_syntax).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 24

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

    def fts(self) -> str:
        text = '"' + " ".join(self.words) + '"'
        return text + " *" if self.prefix else text

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

    def exclusion_expression(self) -> str | None:
        """Matches what must be left out; used when nothing is required."""
        if not self.excluded:
            return None
        return " OR ".join(term.fts() for term in self.excluded)

    def _meaningful(self) -> list[Term | AnyOf]:
        kept = [
            c for c in self.required if not (isinstance(c, Term) and c.is_stop_word)
        ]
        return kept or self.required

    def _not_clause(self) -> str:
        if not self.excluded:
            return ""
        return " NOT (" + " OR ".join(term.fts() for term in self.excluded) + ")"


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
    if len(parsed.required) + len(parsed.excluded) > MAX_CLAUSES:
        parsed.required = parsed.required[:MAX_CLAUSES]
        parsed.excluded = parsed.excluded[: max(0, MAX_CLAUSES - len(parsed.required))]
        parsed.notices.append(
            f"Only the first {MAX_CLAUSES} words of your search were used."
        )
    return parsed


def _term_from_word(word: str) -> Term | None:
    prefix = word.endswith("*")
    tokens = tuple(token.lower() for token in TOKEN.findall(word))
    if not tokens:
        return None
    # "abuse*" is a prefix query; a one-letter prefix would match half the index.
    return Term(tokens, prefix=prefix and len(tokens[-1]) >= 2)


def _term_from_phrase(phrase: str) -> Term | None:
    tokens = tuple(token.lower() for token in TOKEN.findall(phrase))
    return Term(tokens) if tokens else None
