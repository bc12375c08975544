"""Embedding speed and quality: torch fp32, ONNX fp32 and ONNX int8 side by side.

    .venv/bin/python benchmarks/embeddings.py [--beir DIR] [--chunks 400]
        [--runtimes torch,onnx-fp32,onnx-int8] [--ndcg] [--threads N]

Speed: chunks/s over the first ``--chunks`` chunks of the BEIR corpus
(default ../shared/data/beir/scifact beside the repository), cut exactly as
records' document text is cut (chunking.chunk_texts: 100-word windows), in
the embedder's batches, after one warm-up batch. Runtimes take turns, so a
busy machine slows all of them alike.

Quality (``--ndcg``): every corpus document embedded as a record's summary
passage (title + text), every judged query embedded, documents ranked by
cosine similarity alone, nDCG@10 and recall@100 as the relevance harness
computes them. Slow: the whole corpus once per runtime.

Prints a table and, as its last line, one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCIFACT = ROOT.parent / "shared" / "data" / "beir" / "scifact"
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--beir", type=Path, default=SCIFACT)
    parser.add_argument("--chunks", type=int, default=400)
    parser.add_argument("--runtimes", default="torch,onnx-fp32,onnx-int8")
    parser.add_argument("--ndcg", action="store_true")
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    setup_django(args.threads)
    from clearinghouse.search.semantic.embedder import get_embedder

    runtimes = args.runtimes.split(",")
    embedders = {name: get_embedder(name) for name in runtimes}
    chunks = corpus_chunks(args.beir, args.chunks)
    speed = {name: chunks_per_second(embedders[name], chunks) for name in runtimes}
    quality = (
        {name: ranking_quality(embedders[name], args.beir) for name in runtimes}
        if args.ndcg
        else {}
    )
    report(runtimes, chunks, speed, quality)


def setup_django(threads: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearinghouse.settings")
    os.environ.setdefault("CLEARINGHOUSE_DATA_DIR", tempfile.mkdtemp())
    os.environ["CLEARINGHOUSE_SEMANTIC_THREADS"] = str(threads)
    # The ONNX copies are made once per data folder; keep the repository's.
    os.environ.setdefault(
        "CLEARINGHOUSE_SEMANTIC_MODEL_DIR", str(ROOT / "clearinghouse-data" / "models")
    )
    import django

    django.setup()


def corpus_chunks(folder: Path, limit: int) -> list[str]:
    from clearinghouse.search.relevance import _jsonl
    from clearinghouse.search.semantic.chunking import chunk_texts

    texts = (
        f"{row.get('title', '')} {row['text']}"
        for _, row in _jsonl(folder / "corpus.jsonl")
    )
    chunks: list[str] = []
    for text in texts:
        chunks += chunk_texts([text])
        if len(chunks) >= limit:
            return chunks[:limit]
    return chunks


def chunks_per_second(embedder, chunks: list[str]) -> dict:
    embedder.encode(chunks[:32])  # warm-up: first-run allocations
    started = time.perf_counter()
    embedder.encode(chunks)
    elapsed = time.perf_counter() - started
    tokens = sum(len(e.ids) for e in embedder.tokenizer.encode_batch(chunks))
    return {
        "chunks_per_s": round(len(chunks) / elapsed, 1),
        "tokens_per_chunk": round(tokens / len(chunks), 1),
    }


def ranking_quality(embedder, folder: Path) -> dict:
    import numpy as np

    from clearinghouse.search.relevance import _jsonl, ndcg, read_collection, recall

    collection = read_collection(folder)
    rows = [row for _, row in _jsonl(folder / "corpus.jsonl")]
    ids = [row["_id"] for row in rows]
    documents = embedder.encode(
        [" ".join(f"{row.get('title', '')} {row['text']}".split()) for row in rows]
    )
    queries = list(collection.queries.items())
    vectors = embedder.encode([text for _, text in queries])
    total_ndcg = total_recall = 0.0
    for (qid, _), vector in zip(queries, vectors, strict=True):
        ranking = [ids[i] for i in np.argsort(-(documents @ vector))[:100]]
        total_ndcg += ndcg(ranking, collection.qrels[qid])
        total_recall += recall(ranking, collection.qrels[qid])
    return {
        "ndcg@10": round(total_ndcg / len(queries), 4),
        "recall@100": round(total_recall / len(queries), 4),
    }


def report(runtimes: list[str], chunks: list[str], speed: dict, quality: dict) -> None:
    print(f"{len(chunks)} chunks, {os.cpu_count()} CPUs")
    print(f"{'runtime':<12}{'chunks/s':>10}{'tokens':>8}{'nDCG@10':>9}{'R@100':>8}")
    for name in runtimes:
        q = quality.get(name, {})
        print(
            f"{name:<12}{speed[name]['chunks_per_s']:>10}"
            f"{speed[name]['tokens_per_chunk']:>8}"
            f"{q.get('ndcg@10', ''):>9}{q.get('recall@100', ''):>8}"
        )
    print(
        json.dumps(
            {name: {**speed[name], **quality.get(name, {})} for name in runtimes}
        )
    )


if __name__ == "__main__":
    main()
