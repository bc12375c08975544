"""The relevance harness: BEIR folders in, nDCG@10 and recall@100 out.

The tiny collection below is written in each test; its expected figures are
worked out by hand in the comments, with trec_eval's definitions (gain = the
judged grade, discount log2(rank + 1), the ideal from every positive
judgement).
"""

import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase

from clearinghouse.catalog.models import Resource
from clearinghouse.search import relevance

DOCS = [
    {"_id": "d1", "title": "Online grooming of children", "text": "Chat rooms."},
    {"_id": "d2", "title": "Sextortion of teenagers", "text": "Money demands."},
    {"_id": "d3", "title": "Forced labour", "text": "Labour in fishing fleets."},
    {"_id": "d4", "title": "Hotline statistics", "text": "Reports by the public."},
    {"_id": "d5", "title": "", "text": "A passage without a title about fleets."},
]
QUERIES = [
    {"_id": "q1", "text": "grooming"},
    {"_id": "q2", "text": "sextortion"},
    # Its id is a document's: that document is left out of its ranking.
    {"_id": "d3", "text": "forced labour hotline"},
    {"_id": "q4", "text": "not judged in the test split"},
]
QRELS = [
    ("q1", "d1", 1),
    ("q2", "d2", 2),
    ("q2", "d5", 1),
    ("d3", "d4", 1),
    ("q9", "d1", 1),  # judged, but not in queries.jsonl: skipped
]
# q1: d1 first, the only relevant one: nDCG 1, recall 1.
# q2: d2 (grade 2) first; d5 (grade 1) is not found.
#     DCG = 2/log2(2) = 2; ideal = 2 + 1/log2(3); recall 1/2.
# d3: "forced labour hotline" holds no record with all three words, so the
#     engine ranks any of them: d3 (two words), then d4. d3 is the query's own
#     id and is left out, so d4 is first: nDCG 1, recall 1.
Q2_NDCG = 2 / (2 + 1 / math.log2(3))
EXPECTED_NDCG = (1 + Q2_NDCG + 1) / 3
EXPECTED_RECALL = (1 + 0.5 + 1) / 3


def write_collection(folder: Path, qrels=QRELS, docs=DOCS) -> Path:
    (folder / "qrels").mkdir(parents=True)
    lines = [json.dumps(d) for d in docs]
    (folder / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = [json.dumps(q) for q in QUERIES]
    (folder / "queries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = ["query-id\tcorpus-id\tscore"] + [f"{q}\t{d}\t{s}" for q, d, s in qrels]
    (folder / "qrels" / "test.tsv").write_text("\n".join(rows) + "\n")
    return folder


class MetricTests(TestCase):
    def test_it_scores_ndcg_with_graded_gains_and_the_ideal_from_judgements(self):
        judged = {"a": 2, "c": 1, "z": 1, "n": 0}
        # DCG = 2/1 + 0 + 1/2; ideal = 2/1 + 1/log2(3) + 1/2.
        expected = 2.5 / (2.5 + 1 / math.log2(3))
        self.assertAlmostEqual(expected, relevance.ndcg(["a", "b", "c"], judged))

    def test_it_cuts_ndcg_at_ten(self):
        judged = {"x": 1}
        ranking = [f"d{n}" for n in range(10)] + ["x"]
        self.assertEqual(0.0, relevance.ndcg(ranking, judged))
        self.assertAlmostEqual(1 / math.log2(11), relevance.ndcg(ranking[1:], judged))

    def test_it_scores_zero_without_a_relevant_judgement(self):
        self.assertEqual(0.0, relevance.ndcg(["a"], {"a": 0}))
        self.assertEqual(0.0, relevance.recall(["a"], {"a": 0}))

    def test_it_counts_recall_within_the_first_hundred(self):
        ranking = [f"d{n}" for n in range(100)] + ["late"]
        judged = {"d0": 1, "d99": 3, "late": 1, "never": 2}
        self.assertEqual(0.5, relevance.recall(ranking, judged))


class CollectionTests(TestCase):
    def test_it_reads_only_judged_queries_that_exist(self):
        folder = write_collection(Path(self._tmp()))
        collection = relevance.read_collection(folder)
        self.assertEqual(
            {"q1": "grooming", "q2": "sextortion", "d3": "forced labour hotline"},
            collection.queries,
        )
        self.assertEqual({"d2": 2, "d5": 1}, collection.qrels["q2"])

    def test_it_names_a_missing_file(self):
        folder = write_collection(Path(self._tmp()))
        (folder / "queries.jsonl").unlink()
        with self.assertRaisesMessage(relevance.BeirError, "queries.jsonl is missing"):
            relevance.read_collection(folder)

    def test_it_names_the_line_of_a_bad_judgement(self):
        folder = write_collection(Path(self._tmp()), qrels=[("q1", "d1", "high")])
        with self.assertRaisesMessage(relevance.BeirError, "test.tsv, line 2"):
            relevance.read_collection(folder)

    def test_it_names_the_line_of_a_bad_document(self):
        folder = write_collection(Path(self._tmp()))
        with (folder / "corpus.jsonl").open("a") as corpus:
            corpus.write("{not json\n")
        with self.assertRaisesMessage(relevance.BeirError, "corpus.jsonl, line 6"):
            relevance.import_corpus(folder, progress=lambda n: None)
        self.assertEqual(0, Resource.objects.count())  # nothing half-written

    def test_it_imports_documents_as_published_public_records(self):
        folder = write_collection(Path(self._tmp()))
        self.assertEqual(5, relevance.import_corpus(folder, progress=lambda n: None))
        untitled = Resource.objects.get(provenance={"beir": "d5"})
        self.assertEqual(
            ("d5", "A passage without a title about fleets.", "published", "public"),
            (untitled.title, untitled.abstract, untitled.status, untitled.access),
        )
        self.assertEqual(
            {"d1", "d2", "d3", "d4", "d5"}, set(relevance.corpus_ids().values())
        )

    def test_it_scores_a_collection_through_the_search_engine(self):
        folder = write_collection(Path(self._tmp()))
        relevance.import_corpus(folder, progress=lambda n: None)
        scores = relevance.evaluate(relevance.read_collection(folder))
        self.assertAlmostEqual(EXPECTED_NDCG, scores.ndcg_at_10)
        self.assertAlmostEqual(EXPECTED_RECALL, scores.recall_at_100)
        self.assertEqual(
            (3, "keyword", None), (scores.queries, scores.mode, scores.fallback)
        )

    def test_it_runs_the_first_queries_only_when_asked(self):
        folder = write_collection(Path(self._tmp()))
        relevance.import_corpus(folder, progress=lambda n: None)
        scores = relevance.evaluate(relevance.read_collection(folder), limit=2)
        self.assertEqual(2, scores.queries)
        self.assertAlmostEqual((1 + Q2_NDCG) / 2, scores.ndcg_at_10)

    def test_it_says_when_a_mode_fell_back_to_keyword(self):
        folder = write_collection(Path(self._tmp()))
        relevance.import_corpus(folder, progress=lambda n: None)
        # No record has vectors here, so semantic search cannot run.
        scores = relevance.evaluate(relevance.read_collection(folder), "semantic")
        self.assertEqual(
            ("semantic", "keyword"), (scores.to_dict()["mode"], scores.fallback)
        )
        self.assertAlmostEqual(EXPECTED_NDCG, scores.ndcg_at_10)

    def _tmp(self) -> str:
        folder = tempfile.TemporaryDirectory(prefix="beir-")
        self.addCleanup(folder.cleanup)
        return folder.name


def test_it_refuses_a_folder_that_is_not_beir(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="corpus.jsonl is missing"):
        call_command("bench", "relevance", "--beir", str(tmp_path))


def test_it_refuses_a_query_limit_below_one(tmp_path: Path) -> None:
    folder = write_collection(tmp_path / "tiny")
    with pytest.raises(CommandError, match="--limit-queries must be at least 1"):
        call_command(
            "bench", "relevance", "--beir", str(folder), "--limit-queries", "0"
        )


def test_it_prints_the_scores_as_its_last_line(tmp_path: Path) -> None:
    """`clearinghouse bench relevance`, for real, in its own scratch library."""
    folder = write_collection(tmp_path / "tiny")
    home = tmp_path / "library"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CLEARINGHOUSE_DATA_DIR"] = str(home)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "clearinghouse", "bench", "relevance"]
        + ["--beir", str(folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    scores = json.loads(done.stdout.splitlines()[-1])
    assert list(scores) == ["ndcg@10", "recall@100", "queries", "qps", "mode"]
    assert scores["ndcg@10"] == round(EXPECTED_NDCG, 4)
    assert scores["recall@100"] == round(EXPECTED_RECALL, 4)
    assert (scores["queries"], scores["mode"]) == (3, "keyword")
    assert scores["qps"] > 0
    # The library named by CLEARINGHOUSE_DATA_DIR was never touched.
    assert list(home.iterdir()) == []


class CorpusEdgeTests(TestCase):
    def test_it_names_a_repeated_document_id(self):
        with tempfile.TemporaryDirectory() as folder:
            docs = [*DOCS, {"_id": "d2", "title": "Again", "text": ""}]
            write_collection(Path(folder), docs=docs)
            with self.assertRaisesMessage(
                relevance.BeirError, "corpus.jsonl, line 6: _id 'd2' again"
            ):
                relevance.import_corpus(Path(folder), progress=lambda n: None)
        self.assertEqual(0, Resource.objects.count())

    def test_it_gives_ids_that_slugify_alike_their_own_slugs(self):
        with tempfile.TemporaryDirectory() as folder:
            docs = [
                {"_id": "A", "title": "One", "text": "x"},
                {"_id": "a", "title": "Two", "text": "y"},
                {"_id": "a-2", "title": "Three", "text": "z"},
            ]
            write_collection(Path(folder), docs=docs)
            relevance.import_corpus(Path(folder), progress=lambda n: None)
        self.assertEqual(
            ["a", "a-2", "a-2-2"],
            list(Resource.objects.order_by("pk").values_list("slug", flat=True)),
        )
