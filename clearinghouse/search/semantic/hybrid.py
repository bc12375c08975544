"""Semantic neighbours of a query, and their fusion with the keyword ranking.

The search engine calls three functions: ``choose_mode`` (which ranking a
search gets), ``nearest`` (the records of a filtered, visible queryset
closest in meaning to the query) and ``combine`` (the ranking of a semantic
search, or the fusion of keyword and semantic scores for a hybrid one).
Candidates always come from the queryset the engine built through the
visibility policy and the filters, so a vector of a record the viewer may not
see can never surface, nor be counted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db.models import QuerySet

from clearinghouse.search.semantic import embedder
from clearinghouse.search.semantic.vector_index import (
    FIELDS,
    Matches,
    VectorIndex,
    get_index,
)

MODES = ("keyword", "semantic", "hybrid")

# Records a semantic search returns at most (its pages, its facet counts);
# hybrid search adds them to the keyword hits.
DEPTH = 100
# Below this cosine similarity a record is not "about" the query at all, for
# all-MiniLM-L6-v2 (unrelated texts score about 0 to 0.15).
MIN_SIMILARITY = 0.2
# Up to this many visible, filtered records, similarities are computed for
# exactly those; above it, for all vectors and intersected in blocks.
EXACT_AMONG = 50_000

# Hybrid score: a convex combination of the record's cosine similarity and
# its keyword score divided by the best keyword score of the query (Bruch et
# al., "An Analysis of Fusion Functions for Hybrid Retrieval", 2023). Every
# hit has both numbers (a similarity is known for every record), so nothing
# is guessed for records found one way only. On SciFact: 0.732 nDCG@10, where
# reciprocal rank fusion gives 0.713 (docs/benchmarks.md: "Semantic and
# hybrid"); 0.6 to 0.7 is a plateau.
SEMANTIC_WEIGHT = 0.65
# Keyword hits that take part in the fusion, at least.
KEYWORD_DEPTH = 100


@dataclass(frozen=True)
class ModeChoice:
    """The ranking a search gets, why (when not the one asked for), and the
    modes the library offers readers (() where only keyword search runs)."""

    mode: str
    notice: str
    offered: tuple[str, ...]


def choose_mode(requested: str) -> ModeChoice:
    """The mode to run for a requested one ("" for the default).

    Hybrid is the default where semantic search can run: the model is
    installed and records have vectors. Elsewhere every mode runs as
    keyword, with a notice only when another was asked for.
    """
    if ready():
        return ModeChoice(requested or "hybrid", "", MODES)
    if requested in ("", "keyword"):
        return ModeChoice("keyword", "", ())
    if embedder.available():
        notice = (
            "Search by meaning is not ready yet: the library's records are "
            "still being prepared for it. Showing results that contain your words."
        )
    else:
        notice = (
            "Search by meaning is not available in this library; "
            "showing results that contain your words."
        )
    return ModeChoice("keyword", notice, ())


def ready() -> bool:
    """True when semantic search can run: the model, and vectors to search."""
    return embedder.available() and len(get_index(embedder.model_id())) > 0


@dataclass
class Nearest:
    """A query's similarity to every candidate record, and the best of them."""

    ranked: list[tuple[int, float]]  # the DEPTH best above MIN_SIMILARITY
    ids: np.ndarray  # every record scored, ascending
    scores: np.ndarray  # their similarities

    def similarity(self, resource_id: int) -> float:
        at = np.searchsorted(self.ids, resource_id)
        found = at < len(self.ids) and self.ids[at] == resource_id
        return float(self.scores[at]) if found else 0.0


NOTHING_NEAR = Nearest([], np.zeros(0, dtype=np.int64), np.zeros(0))


def nearest(text: str, candidates: QuerySet, depth: int = DEPTH) -> Nearest:
    """The records of ``candidates`` closest in meaning to ``text``."""
    index = get_index(embedder.model_id())
    if not len(index) or not text.strip():
        return NOTHING_NEAR
    return nearest_to_vector(index, embedder.embed_query(text), candidates, depth)


def nearest_to_vector(
    index: VectorIndex, query: np.ndarray, candidates: QuerySet, depth: int
) -> Nearest:
    """As ``nearest``, for a vector already made."""
    if candidates.count() <= EXACT_AMONG:
        among = np.fromiter(candidates.values_list("pk", flat=True), dtype=np.int64)
        matches = index.matches(query, among)
        scores = record_similarity(matches)
        return Nearest(
            _best(matches.resource_ids, scores)[:depth], matches.resource_ids, scores
        )
    matches = index.matches(query)
    scores = record_similarity(matches)
    ranked = _walk(_best(matches.resource_ids, scores), candidates, depth)
    return Nearest(ranked, matches.resource_ids, scores)


def record_similarity(matches: Matches) -> np.ndarray:
    """One similarity per record: its best passage (summary or a chunk of
    its text), or its title where it has neither.

    Adding a share of the title's similarity lowered nDCG@10 on SciFact
    (0.647 alone, 0.641 with a fifth of the title's).
    """
    best = np.nan_to_num(matches.best, nan=-1.0)
    passage = best[:, [FIELDS.index("summary"), FIELDS.index("chunk")]].max(axis=1)
    return np.where(passage > -1.0, passage, best[:, FIELDS.index("title")])


def _best(ids: np.ndarray, scores: np.ndarray) -> list[tuple[int, float]]:
    kept = np.flatnonzero(scores >= MIN_SIMILARITY)
    order = kept[np.argsort(-scores[kept], kind="stable")]
    return list(zip(ids[order].tolist(), scores[order].tolist(), strict=True))


def _walk(
    ranked: list[tuple[int, float]], candidates: QuerySet, depth: int
) -> list[tuple[int, float]]:
    """The first ``depth`` of ``ranked`` that ``candidates`` holds, asking the
    database a block at a time (there, candidates are plentiful)."""
    found: list[tuple[int, float]] = []
    block = depth * 4
    for start in range(0, len(ranked), block):
        chunk = ranked[start : start + block]
        allowed = set(
            candidates.filter(pk__in=[pk for pk, _ in chunk]).values_list(
                "pk", flat=True
            )
        )
        found += [(pk, score) for pk, score in chunk if pk in allowed]
        if len(found) >= depth:
            break
    return found[:depth]


def combine(
    mode: str, keyword: list[tuple[int, float]], near: Nearest
) -> list[tuple[int, float]]:
    """The ranking of a semantic or hybrid search, best first."""
    return near.ranked if mode == "semantic" else fuse(keyword, near)


def fuse(keyword: list[tuple[int, float]], near: Nearest) -> list[tuple[int, float]]:
    """One ranking of the keyword hits (best first, higher scores better)
    and the nearest records, by the convex combination above."""
    best_keyword = max((score for _, score in keyword), default=0.0)
    scale = 1.0 / best_keyword if best_keyword > 0 else 0.0
    scores = {pk: (1 - SEMANTIC_WEIGHT) * score * scale for pk, score in keyword}
    for pk in scores.keys() | {pk for pk, _ in near.ranked}:
        scores[pk] = scores.get(pk, 0.0) + SEMANTIC_WEIGHT * near.similarity(pk)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))
