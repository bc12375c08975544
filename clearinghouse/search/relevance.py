"""Measuring ranking quality on a BEIR-format test collection.

A BEIR folder (https://github.com/beir-cellar/beir) holds ``corpus.jsonl``
({"_id", "title", "text"}), ``queries.jsonl`` ({"_id", "text"}) and
``qrels/<split>.tsv`` (query-id, corpus-id, score; one header line). Its
documents are imported through the native import path, each query is run
through ``engine.search`` as an anonymous reader would run it, and the
rankings are scored with nDCG@10 and recall@100 as pytrec_eval (trec_eval's
``ndcg_cut`` and ``recall``) computes them.
"""

from __future__ import annotations

import csv
import json
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils.text import slugify

from clearinghouse.catalog.models import Resource
from clearinghouse.formats.native import RecordError, clean_record
from clearinghouse.search.engine import search
from clearinghouse.search.filters import SearchParams

MODES = ("keyword", "semantic", "hybrid")
# Results asked of the engine per query: enough for recall@100.
DEPTH = 100
IMPORT_BATCH = 2000


class BeirError(ValueError):
    """A BEIR folder that cannot be read; the message names the file and line."""


@dataclass
class Collection:
    """Queries and their judgements; the corpus stays on disk until imported."""

    folder: Path
    queries: dict[str, str]  # query id → text, only those judged in the split
    qrels: dict[str, dict[str, int]]  # query id → corpus id → graded relevance


def read_collection(folder: Path, split: str = "test") -> Collection:
    """Read the queries and judgements of one split of a BEIR folder."""
    folder = Path(folder)
    for name in ("corpus.jsonl", "queries.jsonl", f"qrels/{split}.tsv"):
        if not (folder / name).is_file():
            raise BeirError(f"{folder / name} is missing: not a BEIR folder?")
    qrels = read_qrels(folder / "qrels" / f"{split}.tsv")
    queries = {
        row["_id"]: row["text"]
        for _, row in _jsonl(folder / "queries.jsonl")
        if row["_id"] in qrels
    }
    # Judged queries that the queries file lacks cannot be run: skipped.
    return Collection(folder, queries, {q: qrels[q] for q in queries})


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8", newline="") as lines:
        for number, row in enumerate(csv.reader(lines, delimiter="\t"), 1):
            if number == 1 and row[:1] == ["query-id"] or not row:
                continue
            try:
                query, doc, score = row[0], row[1], int(row[-1])
            except (IndexError, ValueError):
                raise BeirError(
                    f"{path}, line {number}: expected query-id, corpus-id, score"
                ) from None
            qrels.setdefault(query, {})[doc] = score
    return qrels


def _jsonl(path: Path) -> Iterator[tuple[int, dict]]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                row["_id"] = str(row["_id"])
            except (ValueError, TypeError, KeyError):
                raise BeirError(
                    f"{path}, line {number}: not a JSON object with an '_id'"
                ) from None
            yield number, row


def native_record(row: dict) -> dict:
    """A BEIR document as a native record: title → title, text → abstract.

    The text goes to the abstract, not the curated summary: BEIR texts are
    authors' abstracts, passages or posts. Untitled documents (FiQA, Quora)
    get their BEIR id as the required title: an identifier no query looks
    for, where the text's first words would count twice.
    """
    title = " ".join(str(row.get("title") or "").split())
    return {
        "id": f"beir:{row['_id']}",
        "title": title or row["_id"],
        "abstract": str(row.get("text") or ""),
        "status": "published",
        "access": "public",
        "provenance": {"beir": row["_id"]},
    }


def import_corpus(folder: Path, progress: Callable[[int], None] = print) -> int:
    """Import a BEIR corpus, IMPORT_BATCH records a transaction; returns how many.

    Each document becomes a native record checked by the import's own
    ``clean_record``, then a row written with ``bulk_create``: the full-text
    index is filled by its triggers exactly as for any import. The importer's
    per-record work is skipped on purpose: a revision for each record, and
    duplicate matching that would merge distinct documents sharing a title
    (SciFact has three titled "Summary") — together about 100 ms a record,
    where a scratch collection of 50,000 documents must load in minutes.
    """
    path = Path(folder) / "corpus.jsonl"
    rows, done, taken = _jsonl(path), 0, set()
    while batch := list(islice(rows, IMPORT_BATCH)):
        resources = []
        for number, row in batch:
            try:
                record = clean_record(native_record(row))
            except RecordError as error:
                raise BeirError(f"{path}, line {number}: {error}") from None
            if record["id"] in taken:
                raise BeirError(f"{path}, line {number}: _id {row['_id']!r} again")
            taken.add(record["id"])
            resources.append(_resource(record, taken))
        with transaction.atomic():
            Resource.objects.bulk_create(resources)
        done += len(resources)
        progress(done)
    return done


def _resource(record: dict, taken: set) -> Resource:
    """An unsaved row; ``taken`` holds the ids and slugs given so far."""
    slug = base = slugify(record["provenance"]["beir"])[:100] or "document"
    number = 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return Resource(
        uid=record["id"],
        title=record["title"][:500],
        abstract=record["abstract"],
        slug=slug,
        status=record["status"],
        access=record["access"],
        provenance=record["provenance"],
    )


def corpus_ids() -> dict[int, str]:
    """Resource id → BEIR corpus id, for the records the import made."""
    rows = Resource.objects.values_list("pk", "provenance")
    return {pk: str(prov["beir"]) for pk, prov in rows if "beir" in (prov or {})}


def rank(text: str, mode: str = "keyword") -> tuple[list[int], str]:
    """Resource ids for one query, best first, as the web would rank them for
    an anonymous reader; and the mode the engine ran (it falls back to
    keyword where semantic search is not available)."""
    params = SearchParams(q=text, mode=mode)
    result = search(params, AnonymousUser(), page_size=DEPTH, with_facets=False)
    return [hit.resource.pk for hit in result.hits], result.mode


def ndcg(ranking: list[str], judged: dict[str, int], k: int = 10) -> float:
    """nDCG@k as trec_eval's ndcg_cut: gain = grade, discount log2(rank + 1),
    the ideal ranking built from every positive judgement."""
    dcg = sum(
        max(judged.get(doc, 0), 0) / math.log2(position + 2)
        for position, doc in enumerate(ranking[:k])
    )
    grades = sorted((g for g in judged.values() if g > 0), reverse=True)[:k]
    ideal = sum(grade / math.log2(rank + 2) for rank, grade in enumerate(grades))
    return dcg / ideal if ideal else 0.0


def recall(ranking: list[str], judged: dict[str, int], k: int = 100) -> float:
    """Share of the relevant documents (grade > 0) found in the first k."""
    relevant = {doc for doc, grade in judged.items() if grade > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranking[:k])) / len(relevant)


@dataclass
class Scores:
    ndcg_at_10: float
    recall_at_100: float
    queries: int
    qps: float
    mode: str  # as asked for
    fallback: str | None = None  # the mode that ran instead, if any

    def to_dict(self) -> dict:
        scores = {
            "ndcg@10": round(self.ndcg_at_10, 4),
            "recall@100": round(self.recall_at_100, 4),
            "queries": self.queries,
            "qps": round(self.qps, 1),
            "mode": self.mode,
        }
        if self.fallback:
            scores["fallback"] = self.fallback
        return scores


def evaluate(
    collection: Collection, mode: str = "keyword", limit: int | None = None
) -> Scores:
    """Run every judged query (or the first ``limit``) and score the rankings.

    As BEIR does, a document with the query's own id is left out of its
    ranking (ArguAna and Quora hold the queries in their corpus). A query
    that finds nothing scores 0 and is counted (trec_eval's ``-c``).
    """
    beir_ids = corpus_ids()
    chosen = list(collection.queries.items())[:limit]
    rankings, ran = {}, set()
    started = time.perf_counter()
    for qid, text in chosen:
        rankings[qid], effective = rank(text, mode)
        ran.add(effective)
    elapsed = time.perf_counter() - started
    total_ndcg = total_recall = 0.0
    for qid, ids in rankings.items():
        ranking = [beir_ids[pk] for pk in ids if beir_ids.get(pk, qid) != qid]
        total_ndcg += ndcg(ranking, collection.qrels[qid])
        total_recall += recall(ranking, collection.qrels[qid])
    count = max(len(rankings), 1)
    fallback = ", ".join(sorted(ran - {mode})) or None
    return Scores(
        total_ndcg / count,
        total_recall / count,
        len(rankings),
        len(rankings) / elapsed if elapsed else 0.0,
        mode,
        fallback,
    )
