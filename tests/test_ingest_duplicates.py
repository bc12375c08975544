"""Near-duplicate detection on generated texts: re-exports, new editions,
translations and unrelated reports."""

import random
import subprocess
import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clearinghouse.catalog.models import Document
from clearinghouse.ingest.candidates import possible_duplicates, store_bands
from clearinghouse.ingest.duplicates import (
    band_keys,
    find_near_duplicates,
    number_similarity,
    similarity,
    text_signature,
    title_similarity,
)
from tests.world import make_resource

# Plain words: texts drawn from them share almost no five-word runs by chance.
WORDS = """access account action activity adult advice agency analysis approach area
assessment authority awareness board border budget capacity care case centre
change child choice claim community company concern condition contact context
control cooperation council country court crime criminal culture data decision
demand design detection development device difference duty economy education
effect effort employer evidence exploitation family field finding focus form
framework funding gap government group guidance harm health help household
identity impact income industry information institution interview issue job
justice knowledge labour law level link market measure media method migrant
model money network number offence office online option order outcome owner
parent partner pattern payment people period person place platform police
policy practice pressure prevention priority problem process programme project
protection provider purpose quality question rate reason record referral region
report request research resource response result review right risk role rule
safety scale school sector service shelter site skill social source staff
standard state step strategy structure study support survey survivor system
target team term threat time tool training trend trust type victim view voice
welfare woman work worker youth""".split()  # noqa: SIM905
FRENCH = """accès action activité adulte agence analyse approche autorité budget
capacité centre changement choix communauté contrôle coopération conseil pays
tribunal crime culture données décision demande détection développement droit
effet effort employeur preuve exploitation famille domaine résultat financement
gouvernement groupe orientation santé aide ménage identité impact revenu
industrie information institution entretien justice savoir travail loi niveau
marché mesure méthode migrant modèle argent réseau nombre infraction bureau
ligne parent partenaire paiement personne période police politique pratique
pression prévention priorité problème processus programme projet protection
qualité question taux raison dossier région rapport demande recherche réponse
risque rôle règle sécurité école secteur service refuge compétence source
personnel norme état stratégie structure étude soutien enquête victime""".split()  # noqa: SIM905


def prose(seed: int, words: int = 1500, vocabulary: list[str] = WORDS) -> str:
    """Reproducible text with a figure every 12 words or so, in lines of 12."""
    rng = random.Random(seed)
    tokens = []
    for i in range(words):
        tokens.append(rng.choice(vocabulary))
        if i % 12 == 11:
            tokens.append(f"{rng.randint(1, 2024)}.")
    lines = [" ".join(tokens[i : i + 12]) for i in range(0, len(tokens), 12)]
    return "\n".join(lines)


def translated(text: str, seed: int) -> str:
    """Every word replaced by another language's, every figure kept in place."""
    rng = random.Random(seed)
    return " ".join(
        token if token[0].isdigit() else rng.choice(FRENCH) for token in text.split()
    )


def reexported(text: str) -> str:
    """The same text laid out again: other line breaks, a hyphenated word, a
    running header, a corrected typo."""
    words = text.split()
    lines = [" ".join(words[i : i + 9]) for i in range(0, len(words), 9)]
    for i in range(0, len(lines), 40):
        lines.insert(i, "Global report 2022 | page")
    lines[5] = lines[5].replace(" ", " exploi-\ntation ", 1)
    return "\n".join(lines).replace(words[20], "corrected", 1)


def new_edition(text: str, seed: int) -> str:
    """Two thirds of the old text kept, the rest rewritten."""
    words = text.split()
    kept = words[: len(words) * 2 // 3]
    return " ".join(kept) + "\n" + prose(seed, words=len(words) // 3)


REPORT = prose(1)


def test_it_rates_identical_text_as_the_same():
    assert similarity(text_signature(REPORT), text_signature(REPORT)) == 1.0


def test_it_rates_a_reexport_as_nearly_the_same():
    assert similarity(text_signature(REPORT), text_signature(reexported(REPORT))) > 0.9


def test_it_rates_unrelated_reports_as_different():
    assert similarity(text_signature(REPORT), text_signature(prose(2))) < 0.05


def test_it_rates_a_new_edition_in_between():
    score = similarity(text_signature(REPORT), text_signature(new_edition(REPORT, 3)))
    assert 0.25 < score < 0.8


def test_it_sees_the_figures_of_a_translation():
    a, b = text_signature(REPORT), text_signature(translated(REPORT, 4))
    assert (similarity(a, b) < 0.05, number_similarity(a, b) > 0.9) == (True, True)


def test_it_needs_enough_figures_to_compare_them():
    short = "In 2021, 15 children. In 2022, 17 children."
    assert number_similarity(text_signature(short), text_signature(short)) == 0.0


def test_it_round_trips_signatures_through_bytes():
    signature = text_signature(REPORT)
    stored = bytes(bytearray(signature))  # as a database BLOB gives it back
    assert (type(signature), len(signature), signature[0]) == (bytes, 1051, 1)
    assert similarity(signature, stored) == 1.0


def test_it_computes_the_same_signature_in_another_process():
    code = (
        "import sys; from clearinghouse.ingest.duplicates import text_signature; "
        "sys.stdout.write(text_signature(sys.stdin.read()).hex())"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            input=REPORT,
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs == [text_signature(REPORT).hex()] * 2


@pytest.mark.parametrize("broken", [b"", b"\x02" + bytes(1050), b"\x01short"])
def test_it_scores_empty_or_foreign_signatures_as_zero(broken: bytes):
    assert similarity(text_signature(REPORT), broken) == 0.0


def test_it_scores_empty_texts_as_zero():
    assert similarity(text_signature(""), text_signature("")) == 0.0


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        ("Global Threat Assessment 2021", "GLOBAL THREAT ASSESSMENT 2021", 1.0, 1.0),
        ("Global Threat Assessment 2021", "Global threat assessment, 2021.", 1.0, 1.0),
        ("Côte d'Ivoire country report", "Cote d'Ivoire Country Report", 1.0, 1.0),
        ("Global Threat Assessment 2021", "Global Threat Assessment 2023", 0.9, 0.99),
        ("Online grooming of children", "Forced labour in supply chains", 0.0, 0.5),
        ("", "Anything", 0.0, 0.0),
    ],
)
def test_it_compares_titles_after_normalising_them(a, b, low, high):
    assert low <= title_similarity(a, b) <= high


def world() -> list[tuple[str, bytes | None, str]]:
    """An unrelated library, a re-export, an edition, a translation and a
    record without a file."""
    records = [
        (f"other-{n}", text_signature(prose(100 + n)), f"Report {n}") for n in range(30)
    ]
    return records + [
        (
            "reexport",
            text_signature(reexported(REPORT)),
            "Global Threat Assessment 2021",
        ),
        (
            "edition",
            text_signature(new_edition(REPORT, 5)),
            "Global Threat Assessment 2023",
        ),
        (
            "translation",
            text_signature(translated(REPORT, 6)),
            "Évaluation de la menace",
        ),
        ("no-file", None, "Global threat assessment 2021"),
    ]


EXPECTED = [
    ("reexport", "text 9"),
    ("no-file", "title 100 % similar"),
    ("translation", "of the figures appear in the same order"),
    ("edition", "possibly another edition"),
]


def as_expected(matches) -> list[tuple[str, str]]:
    """Each match's id with the part of its reason that EXPECTED names."""
    pairs = []
    for record_id, _, reason in matches:
        wanted = dict(EXPECTED).get(record_id, "")
        pairs.append((record_id, wanted if wanted in reason else reason))
    return pairs


def test_it_finds_reexports_editions_and_translations_with_reasons():
    matches = find_near_duplicates(
        text_signature(REPORT), "Global Threat Assessment 2021", world()
    )
    assert as_expected(matches) == EXPECTED


def store_world() -> dict[str, int]:
    """``world()`` as records in the catalog, each with a document carrying
    its signature and band keys; the ids by name."""
    ids = {}
    for name, signature, title in world():
        resource = make_resource(title=title)
        ids[name] = resource.pk
        if signature is not None:
            document = Document.objects.create(
                resource=resource, file=f"files/{name}.pdf", signature=signature
            )
            store_bands(document, signature)
    return ids


@pytest.mark.django_db
def test_it_finds_the_same_through_the_indexes():
    ids = store_world()
    new = make_resource(title="report.pdf")
    matches = possible_duplicates(
        new.pk, text_signature(REPORT), "Global Threat Assessment 2021"
    )
    names = {pk: name for name, pk in ids.items()}
    found = [(names[m["resource"]], 0, m["reason"]) for m in matches]
    assert as_expected(found) == EXPECTED


@pytest.mark.django_db
def test_it_looks_at_candidates_only():
    """Band keys, not a scan: a record sharing no band and no title word is
    never compared, however many there are."""
    store_world()
    new = make_resource(title="report.pdf")
    with CaptureQueriesContext(connection) as queries:
        possible_duplicates(new.pk, text_signature(prose(999)), "Unrelated words")
    fetched = sum(
        "signature" in q["sql"] and "catalog_signatureband" not in q["sql"]
        for q in queries.captured_queries
    )
    assert (len(queries.captured_queries) <= 4, fetched) == (True, 0)


def test_band_keys_are_stable_and_shared_by_similar_texts():
    original, copy = text_signature(REPORT), text_signature(reexported(REPORT))
    unrelated = text_signature(prose(77))
    keys = band_keys(original)
    assert keys == band_keys(text_signature(REPORT))
    assert all(0 <= k < 2**63 for k in keys)
    assert set(keys) & set(band_keys(copy))
    assert not set(keys) & set(band_keys(unrelated))
    assert band_keys(None) == band_keys(b"") == []


def test_it_reports_a_same_titled_document_with_other_text_apart():
    matches = find_near_duplicates(
        text_signature(REPORT),
        "Annual report of the national rapporteur 2021",
        [
            (
                "same-title",
                text_signature(prose(9)),
                "Annual report of the national rapporteur 2021",
            )
        ],
    )
    assert [(m[0], round(m[1], 2)) for m in matches] == [("same-title", 0.5)]
    assert "another document with the same title" in matches[0][2]
