"""The field's synonyms and acronyms, applied to a parsed query.

A search for one term of a group also looks for the others: "CSEM" finds
records that say "CSAM" or "child sexual abuse material". The words typed are
matched against each group's terms, longest first, so "child sexual abuse
material" typed without quotes is one term, not four words; the matched words
become one clause of alternatives, each a phrase (the index stems every
phrase, so plurals still match). Legacy terms ("child pornography") are
matched, never suggested; a reader who uses one is told the preferred term.

Groups live in the database (``SynonymGroup``), seeded from
``data/synonyms.json`` and edited by curators in the admin.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.apps.registry import Apps

from clearinghouse.search.query import STOP_WORDS, TOKEN, AnyOf, ParsedQuery, Term

DATA = Path(__file__).resolve().parent / "data" / "synonyms.json"


@dataclass(frozen=True)
class Group:
    preferred: str
    source: str
    terms: tuple[tuple[str, ...], ...]  # every term's words, legacy ones too
    legacy: frozenset[tuple[str, ...]]  # compared with _key

    def alternatives(self) -> AnyOf:
        return AnyOf(tuple(Term(words, quoted=len(words) > 1) for words in self.terms))

    def notice(self) -> str:
        preferred = f"the term preferred by {self.source}" if self.source else ""
        return f"Searching also for ‘{self.preferred}’, " + (
            f"{preferred}." if preferred else "the preferred term."
        )


def words_of(text: str) -> tuple[str, ...]:
    return tuple(token.lower() for token in TOKEN.findall(text))


def _key(words: tuple[str, ...]) -> tuple[str, ...]:
    """Words compared loosely: "materials" is typed for "material"."""
    return tuple(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)


def load_groups() -> tuple[Group, ...]:
    """The active groups, as the admin left them: read on every search (one
    small query), so an edit counts at once in every process."""
    from clearinghouse.search.models import SynonymTerm

    rows = SynonymTerm.objects.filter(group__active=True).values_list(
        "group_id", "group__preferred", "group__source", "text", "legacy"
    )
    return _groups(tuple(rows.order_by("group_id", "pk")))


@lru_cache(maxsize=8)
def _groups(rows: tuple[tuple[int, str, str, str, bool], ...]) -> tuple[Group, ...]:
    by_group: dict[int, tuple[str, str, dict]] = {}
    for group_id, preferred, source, text, legacy in rows:
        terms = by_group.setdefault(group_id, (preferred, source, {}))[2]
        if words := words_of(text):
            terms[words] = legacy
    groups = []
    for preferred, source, terms in by_group.values():
        if len(terms) > 1:
            legacy = frozenset(_key(words) for words, old in terms.items() if old)
            groups.append(Group(preferred, source, tuple(terms), legacy))
    return tuple(groups)


def expand(
    parsed: ParsedQuery, groups: list[Group] | None = None
) -> tuple[ParsedQuery, list[str]]:
    """The query with each group's terms as alternatives, and a notice for
    each legacy term used. Quoted phrases and exclusions stay as typed."""
    if not parsed.required:
        return parsed, []
    index = _index(tuple(load_groups() if groups is None else groups))
    if not index:
        return parsed, []
    longest = max(len(key) for key in index)
    required: list[Term | AnyOf] = []
    legacy: list[Group] = []
    position = 0
    while position < len(parsed.required):
        span = _longest_match(parsed.required, position, index, longest)
        if span is None:
            clause = parsed.required[position]
            required.append(_widened(clause, index, legacy))
            position += 1
            continue
        words, length = span
        group = index[words]
        if words in group.legacy and group not in legacy:
            legacy.append(group)
        required.append(group.alternatives())
        position += length
    expanded = dataclasses.replace(parsed, required=required)
    return expanded, [group.notice() for group in legacy]


@lru_cache(maxsize=8)
def _index(groups: tuple[Group, ...]) -> dict[tuple[str, ...], Group]:
    index: dict[tuple[str, ...], Group] = {}
    for group in groups:
        for words in group.terms:
            index.setdefault(_key(words), group)
    return index


def _longest_match(
    clauses: list[Term | AnyOf], start: int, index: dict, longest: int
) -> tuple[tuple[str, ...], int] | None:
    """(key, clauses spanned) of the longest term typed from ``start`` on."""
    first = clauses[start]
    if isinstance(first, Term) and _expandable(first):
        if len(first.words) > 1:
            key = _key(first.words)  # a hyphenated word: whole, or not at all
            return (key, 1) if key in index else None
        run = [first.words[0]]
        for clause in clauses[start + 1 : start + longest]:
            if not (_expandable(clause) and len(clause.words) == 1):
                break
            run.append(clause.words[0])
        for length in range(len(run), 0, -1):
            key = _key(tuple(run[:length]))
            if key in index and not (length == 1 and run[0] in STOP_WORDS):
                return key, length
    return None


def _expandable(clause: Term | AnyOf) -> bool:
    return isinstance(clause, Term) and not (clause.quoted or clause.prefix)


def _widened(clause: Term | AnyOf, index: dict, legacy: list[Group]) -> Term | AnyOf:
    """An explicit OR's alternatives, each with its group's terms."""
    if not isinstance(clause, AnyOf):
        return clause
    terms: list[Term] = []
    for term in clause.terms:
        group = index.get(_key(term.words)) if _expandable(term) else None
        if group is None:
            terms.append(term)
            continue
        if _key(term.words) in group.legacy and group not in legacy:
            legacy.append(group)
        terms.extend(group.alternatives().terms)
    return AnyOf(tuple(dict.fromkeys(terms)))


def seed(apps: Apps) -> int:
    """Create the shipped groups that are missing (by preferred term); returns
    how many. Groups curators already have are left as they are."""
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    SynonymTerm = apps.get_model("search", "SynonymTerm")
    created = 0
    for row in json.loads(DATA.read_text(encoding="utf-8"))["groups"]:
        group, new = SynonymGroup.objects.get_or_create(
            preferred=row["preferred"], defaults={"source": row.get("source", "")}
        )
        if not new:
            continue
        created += 1
        SynonymTerm.objects.bulk_create(
            [SynonymTerm(group=group, text=text) for text in row["terms"]]
            + [SynonymTerm(group=group, text=t, legacy=True) for t in row["legacy"]]
        )
    return created
