"""Metadata suggestions from plain page texts, with the real vocabularies
(catalog topics and regions, the demo library's organisations)."""

import json
from pathlib import Path

import pytest

from clearinghouse.ingest.suggest import Vocabulary, suggest_metadata
from clearinghouse.ingest.suggest.dates import precision, suggest_date
from clearinghouse.ingest.suggest.identifiers import (
    is_valid_isbn10,
    is_valid_isbn13,
    isbn_from_run,
    strip_doi,
    suggest_identifiers,
)
from clearinghouse.ingest.suggest.matching import Page
from clearinghouse.ingest.suggest.summary import suggest_summary
from clearinghouse.ingest.suggest.title import (
    suggest_title,
    title_from_lines,
    title_problem,
)

ROOT = Path(__file__).resolve().parent.parent / "clearinghouse"


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    def load(path: str) -> list[dict]:
        return json.loads((ROOT / path).read_text())

    return Vocabulary(
        organisations=load("demo/organisations.json"),
        topics=load("catalog/data/topics.json"),
        regions=load("catalog/data/regions.json"),
    )


def values(suggestions, field: str) -> list[str]:
    return [s.value for s in suggestions if s.field == field]


# -- dates -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("cover", "expected"),
    [
        ("Global report\nMay 2022", "2022-05"),
        ("Global report\n1 September 2021", "2021-09-01"),
        ("Global report\nSeptember 1, 2021", "2021-09-01"),
        ("Global report\nSeptember 2021", "2021-09"),
        ("Global report\nSept. 2021", "2021-09"),
        ("Global report\nPublished: 15 March 2020", "2020-03-15"),
        ("Global report\n2021", "2021"),
        ("Global report\n2021-09-01", "2021-09-01"),
        ("© UNICEF 2022", "2022"),
        ("Copyright © 2019 Walk Free. All rights reserved.", "2019"),
        ("Informe mundial\n1 de septiembre de 2021", "2021-09-01"),
        ("Rapport mondial\njuin 2020", "2020-06"),
        ("Global report\n31 February 2021", "2021-02"),
        ("A plan to end exploitation by December 2099", None),
        ("Nothing here but 1,000 children and 15 countries", None),
    ],
)
def test_it_reads_dates_in_the_formats_covers_use(cover: str, expected: str | None):
    suggestions = suggest_date([cover], {})
    assert (suggestions[0].value if suggestions else None) == expected


def test_it_prefers_the_cover_date_to_dates_about_the_data():
    pages = [
        "Global report\nMay 2022",
        "Data collection took place between January and March 2021.\n"
        "Figures are correct as of 31 December 2021.\n© UNICEF 2022",
        "Back cover",
    ]
    best = suggest_date(pages, {})[0]
    assert (best.value, best.source) == ("2022-05", "'May 2022' on page 1")


def test_it_counts_an_accessed_date_for_little():
    suggestions = suggest_date(["Retrieved from the website, accessed 12 May 2020"], {})
    assert suggestions[0].confidence < 0.3


def test_it_falls_back_to_the_embedded_creation_date():
    suggestions = suggest_date(
        ["No date on this page"], {"created": "2022-05-15T10:30"}
    )
    assert [(s.value, s.source) for s in suggestions] == [
        ("2022-05", "creation date embedded in the file")
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2021", "year"), ("2022-05", "month"), ("2021-09-01", "day")],
)
def test_it_names_the_precision_of_a_partial_date(value: str, expected: str):
    assert precision(value) == expected


# -- identifiers -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://doi.org/10.1000/xyz123.", "10.1000/xyz123"),
        ("DOI: 10.3389/fpsyg.2021.623668, published", "10.3389/fpsyg.2021.623668"),
        ("(doi:10.1371/journal.pone.0273708)", "10.1371/journal.pone.0273708"),
        ("doi 10.1016/S0140-6736(20)30183-5;", "10.1016/S0140-6736(20)30183-5"),
        ("no identifier, only 10.5 million people", None),
    ],
)
def test_it_finds_a_doi_without_trailing_punctuation(text: str, expected: str | None):
    found = values(suggest_identifiers([text]), "doi")
    assert found == ([expected] if expected else [])


def test_it_ignores_dois_in_the_reference_list():
    pages = [
        "Cover",
        "Body text",
        "References\nSmith, J. et al. (2019) Online harms. https://doi.org/10.1234/js.77",
    ]
    assert values(suggest_identifiers(pages), "doi") == []


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("9780306406157", True),
        ("9783161484100", True),
        ("9780306406158", False),
        ("9790306406157", False),
        ("1234567890123", False),
    ],
)
def test_it_checks_isbn13_checksums(digits: str, valid: bool):
    assert is_valid_isbn13(digits) is valid


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("0306406152", True),
        ("080442957X", True),
        ("0306406153", False),
        ("X306406152", False),
    ],
)
def test_it_checks_isbn10_checksums(digits: str, valid: bool):
    assert is_valid_isbn10(digits) is valid


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        ("978-0-306-40615-7", "9780306406157"),
        ("978 0 306 40615 7 (PDF)", "9780306406157"),
        ("0-306-40615-2 2021", "0306406152"),
        ("0-8044-2957-X", "080442957X"),
        ("978-0-306-40615-8", None),
    ],
)
def test_it_cuts_the_isbn_from_the_digits_after_its_label(
    run: str, expected: str | None
):
    assert isbn_from_run(run) == expected


def test_it_suggests_only_valid_isbns():
    page = (
        "ISBN (print): 978-0-306-40615-7\neISBN: 978-0-306-40615-8\nISBN 0-306-40615-2"
    )
    assert values(suggest_identifiers([page]), "isbn") == [
        "9780306406157",
        "0306406152",
    ]


def test_it_does_not_read_an_isbn_inside_a_doi():
    page = "https://doi.org/10.18356/9789210021630"
    assert values(suggest_identifiers([page]), "isbn") == []


def test_it_strips_only_unbalanced_brackets():
    assert (
        strip_doi("10.1016/S0140-6736(20)30183-5).") == "10.1016/S0140-6736(20)30183-5"
    )


# -- publishers --------------------------------------------------------------


@pytest.mark.parametrize(
    ("cover", "expected"),
    [
        (
            "ILO\nGlobal estimates of forced labour",
            ["International Labour Organization"],
        ),
        ("The ILO's global estimates", ["International Labour Organization"]),
        ("Global estimates (ILO)", ["International Labour Organization"]),
        ("A philosophy of exploitation", []),
        ("ilo is not an acronym here", []),
        ("WHO WE ARE AND WHAT WE DO", []),
        ("Published by Interpol", ["International Criminal Police Organization"]),
        ("Greta Smith wrote this", []),
        (
            "UNICEF Office of Research – Innocenti",
            ["UNICEF Office of Research – Innocenti"],
        ),
        ("ECPAT France and ECPAT Luxembourg", ["ECPAT France", "ECPAT Luxembourg"]),
    ],
)
def test_it_matches_acronyms_exactly_and_names_as_written(
    vocab: Vocabulary, cover: str, expected: list[str]
):
    suggestions = suggest_metadata([cover, "Body", "Body", "Back"], {}, vocab)
    assert values(suggestions, "publishers") == expected


def test_it_ranks_the_publisher_above_funders_and_cited_organisations(vocab):
    pages = [
        "UNODC\nGlobal Report on Trafficking in Persons\n2022",
        "© United Nations Office on Drugs and Crime 2022\n"
        "This publication was funded by the European Commission.",
        "Data from INTERPOL and Europol were reviewed. UNICEF commented on a draft.",
        "References\nILO (2021) Global estimates. Geneva: ILO.",
        "United Nations Office on Drugs and Crime, Vienna",
    ]
    found = [s for s in suggest_metadata(pages, {}, vocab) if s.field == "publishers"]
    assert [s.value for s in found] == ["United Nations Office on Drugs and Crime"]
    assert found[0].source == (
        "'United Nations Office on Drugs and Crime' found 3 times on pages 1, 2 "
        "and 5, in a 'published by' or copyright line"
    )


def test_it_does_not_take_a_subject_for_a_journal(vocab):
    cover = "Terminology Guidelines for the Protection of Children from Sexual Abuse"
    suggestions = suggest_metadata([cover, "ECPAT International, 2016"], {}, vocab)
    assert values(suggestions, "publishers") == ["ECPAT International"]


# -- titles ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "problem"),
    [
        ("Microsoft Word - final_v3.docx", "left by the authoring tool"),
        ("Untitled", "left by the authoring tool"),
        ("untitled", "left by the authoring tool"),
        ("Document1", "left by the authoring tool"),
        ("report_2021_web_FINAL", "a file name"),
        ("C:\\Users\\me\\report.pdf", "a file name"),
        ("Copy of Global Report on Trafficking", "a draft's or template's name"),
        ("Global Report v2", "a draft's or template's name"),
        ("XQZ RPT DRFT", "capitals without vowels"),
        ("Sextortion", "fewer than three words"),
        ("", "empty"),
        ("Global Threat Assessment 2021", None),
        ("GLOBAL THREAT ASSESSMENT 2021", None),
        ("Final report of the Royal Commission", None),
    ],
)
def test_it_tells_sane_embedded_titles_from_tool_leftovers(title, problem):
    assert title_problem(title) == problem


def test_it_trusts_an_embedded_title_printed_on_the_cover():
    pages = ["UNICEF\nGrowing up in a connected world\nNovember 2019"]
    best = suggest_title(pages, {"title": "Growing up in a connected world"})[0]
    assert (best.value, best.confidence) == ("Growing up in a connected world", 0.97)


def test_it_replaces_a_junk_embedded_title_with_the_first_lines(vocab):
    pages = ["UNODC\nGlobal Report on\nTrafficking in Persons\n2022\nVienna"]
    best = suggest_title(
        pages,
        {"title": "Microsoft Word - GloTIP.docx"},
        None,
        vocab.is_organisation_name,
    )[0]
    assert (best.value, best.source) == (
        "Global Report on Trafficking in Persons",
        "first lines of page 1",
    )


def test_it_takes_the_largest_text_but_not_the_logo(vocab):
    lines = [
        ("WeProtect Global Alliance", 30.0),
        ("Global Threat", 26.0),
        ("Assessment 2021", 26.0),
        ("Working together to end the sexual abuse of children online", 14.0),
        ("October 2021", 12.0),
    ]
    pages = ["\n".join(text for text, _ in lines)]
    best = suggest_title(
        pages, {"title": "untitled"}, lines, vocab.is_organisation_name
    )[0]
    assert (best.value, best.source) == (
        "Global Threat Assessment 2021",
        "largest text on page 1",
    )


def test_it_skips_a_logo_wrapped_over_the_lines_of_its_size(vocab):
    lines = [
        ("UNICEF Office of Research –", 30.0),
        ("Innocenti | Global Kids Online", 30.0),
        ("GROWING UP IN A CONNECTED", 26.0),
        ("WORLD", 26.0),
        ("November 2019", 14.0),
    ]
    title = title_from_lines(lines, vocab.is_organisation_name)
    assert title == "GROWING UP IN A CONNECTED WORLD"


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        (
            [("Global Threat Assessment", 26.0), ("2021", 26.0), ("Oct 2021", 12.0)],
            "Global Threat Assessment 2021",
        ),
        (
            [
                ("Tech Coalition", 30.0),
                ("Lantern Transparency", 26.0),
                ("Report", 26.0),
            ],
            "Lantern Transparency Report",
        ),
        (
            # "Sexual Abuse" is also a journal's name.
            [
                ("Child Exploitation Material in the", 26.0),
                ("Context of Institutional Child", 26.0),
                ("Sexual Abuse", 26.0),
            ],
            "Child Exploitation Material in the Context of Institutional Child "
            "Sexual Abuse",
        ),
        (
            [("Online Safety Act", 26.0), ("October 2023", 26.0), ("www.gov.uk", 9.0)],
            "Online Safety Act",
        ),
    ],
)
def test_it_ends_a_title_in_one_type_only_at_a_date_or_link(
    vocab, lines: list[tuple[str, float]], title: str
):
    assert title_from_lines(lines, vocab.is_organisation_name) == title


def test_it_skips_a_file_name_printed_as_a_page_header(vocab):
    pages = [
        "Microsoft Word - GloTIP_2022.docx\nGlobal Report on\nTrafficking in Persons"
    ]
    best = suggest_title(pages, {}, None, vocab.is_organisation_name)[0]
    assert (best.value, best.source) == (
        "Global Report on Trafficking in Persons",
        "first lines of page 1",
    )


def test_it_distrusts_another_documents_embedded_title():
    pages = [
        "How to conduct ethical research\non sexual exploitation involving children"
    ]
    titles = suggest_title(pages, {"title": "Annual Report 2019"})
    assert titles[0].value == (
        "How to conduct ethical research on sexual exploitation involving children"
    )


# -- topics and regions ------------------------------------------------------

BODY = (
    "Sextortion cases rose sharply last year. Financial sexual extortion targets "
    "teenage boys. Hotlines removed child sexual abuse material (CSAM) and "
    "reported CSAM to the police. Forced labor and forced labour in supply "
    "chains were also documented in Kenya, where the Kenyan police and Kenya's "
    "courts cooperated. In Kenya, services expanded. Kenya also trained staff."
)


def test_it_finds_topics_through_their_synonyms(vocab):
    suggestions = suggest_metadata(["Briefing", BODY, BODY], {}, vocab)
    assert values(suggestions, "topics")[:3] == ["sextortion", "csam", "forced-labour"]


def test_it_finds_countries_named_often(vocab):
    suggestions = suggest_metadata(["Briefing", BODY, BODY], {}, vocab)
    assert values(suggestions, "regions") == ["KE"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cases in New Jersey. New Jersey again. New Jersey again.", []),
        ("Chad Smith wrote. Chad Smith said. Chad Smith left.", []),
        ("Chad is covered. In Chad, and in Chad again.", ["TD"]),
        ("The Council of Europe met. The Council of Europe agreed.", []),
        ("The Democratic Republic of the Congo " * 3, ["CD"]),
        ("Programmes worldwide. Around the world. Worldwide again.", ["001"]),
        ("ABOUT US\nABOUT US\nABOUT US", []),
        ("The US and the US and the US.", ["US"]),
    ],
)
def test_it_avoids_places_inside_other_names(vocab, text: str, expected: list[str]):
    suggestions = suggest_metadata(["Report", text], {}, vocab)
    assert values(suggestions, "regions") == expected


def test_it_counts_a_place_in_the_title(vocab):
    pages = ["Child protection in Uganda: a review", "Body text about services."]
    assert values(suggest_metadata(pages, {}, vocab), "regions") == ["UG"]


# -- summary -----------------------------------------------------------------

SUMMARY_PAGES = [
    "Contents\nForeword .......... 3\nExecutive summary .......... 5\n"
    "Findings .......... 9\nRecommendations .......... 20\nAnnex .......... 30",
    "Global Report 2022 | UNODC\nExecutive summary\n"
    "This report examines how traffickers recruit children through online job "
    "advertisements and social media platforms. Online recruitment of children "
    "by traffickers grew in every region covered by the report. Social media "
    "platforms were the most common place where traffickers first contacted "
    "children. The authors thank the many colleagues who reviewed the drafts "
    "of this report. Figure 3 shows the number of children recruited online "
    "per year across all regions.\n2",
    "Global Report 2022 | UNODC\nFindings\n"
    "Traffickers used online advertisements for jobs abroad to recruit children "
    "and young people. Children recruited online were often moved across "
    "borders within weeks of first contact. Platforms removed some "
    "advertisements but many remained online for months.\n3",
    "Global Report 2022 | UNODC\nRecommendations\n"
    "Governments should require platforms to detect recruitment advertisements "
    "that target children. Cooperation between platforms and police should be "
    "faster and more systematic.\n4",
]


def test_it_summarises_in_a_few_real_sentences():
    summary = suggest_summary(SUMMARY_PAGES)[0].value
    text = " ".join(" ".join(SUMMARY_PAGES).split())
    sentences = [s.strip() for s in summary.replace(". ", ".\n").splitlines()]
    assert 2 <= len(sentences) <= 3
    assert len(summary.split()) <= 80
    assert all(sentence in text for sentence in sentences)


def test_it_leaves_contents_headers_and_thanks_out_of_the_summary():
    summary = suggest_summary(SUMMARY_PAGES)[0].value
    for unwanted in ("....", "UNODC", "thank", "Figure 3", "Executive summary"):
        assert unwanted not in summary


def test_it_suggests_no_summary_without_prose():
    assert suggest_summary(["Title", "Table 1\n2019 2020\n15 17"]) == []


# -- the whole -----------------------------------------------------------------


def test_it_suggests_every_field_with_its_source(vocab):
    pages = [
        "UNODC\nGlobal Report on\nTrafficking in Persons\nJanuary 2023",
        "Published by the United Nations Office on Drugs and Crime.\n"
        "© United Nations 2023\nISBN: 978-0-306-40615-7\n"
        "https://doi.org/10.18356/9789210021630",
        *SUMMARY_PAGES[1:],
    ]
    suggestions = suggest_metadata(pages, {"title": "Microsoft Word - x.docx"}, vocab)
    first = {}
    for s in suggestions:
        first.setdefault(s.field, s)
    assert {f: s.value for f, s in first.items() if f != "summary"} == {
        "title": "Global Report on Trafficking in Persons",
        "date": "2023-01",
        "publishers": "United Nations Office on Drugs and Crime",
        "doi": "10.18356/9789210021630",
        "isbn": "9780306406157",
        "topics": "human-trafficking",
        "regions": "001",
    }
    assert all(s.source and 0 < s.confidence <= 1 for s in suggestions)


def test_it_accepts_the_vocabulary_as_plain_lists(vocab):
    plain = {"organisations": vocab.organisations, "topics": [], "regions": []}
    suggestions = suggest_metadata(["UNICEF\nA report on children"], {}, plain)
    assert values(suggestions, "publishers") == ["United Nations Children's Fund"]


def test_it_survives_empty_and_odd_input(vocab):
    assert suggest_metadata([], {}, vocab) == []
    odd = ["\x00\n\n", "ÉÀ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 İstanbul ß", "   "]
    suggest_metadata(odd, {"title": ["a", "list"], "created": 12}, vocab)


def test_it_tokenises_words_with_their_separators():
    page = Page(1, "New  Jersey.\nKenya")
    assert (page.words, page.word_before(1), page.word_after(1)) == (
        ["New", "Jersey", "Kenya"],
        "New",
        None,
    )


def test_it_names_vocabulary_entries_for_the_curator(vocab):
    vocab_with_ids = Vocabulary(
        organisations=[{"id": 7, "name": "Walk Free", "acronym": None, "aliases": []}],
        topics=vocab.topics,
        regions=vocab.regions,
    )
    publisher = next(
        s
        for s in suggest_metadata(
            ["Walk Free\nGlobal Slavery Index"], {}, vocab_with_ids
        )
        if s.field == "publishers"
    )
    assert publisher.to_dict() == {
        "field": "publishers",
        "value": "7",
        "source": "'Walk Free' found once on page 1",
        "confidence": publisher.confidence,
        "label": "Walk Free",
    }
