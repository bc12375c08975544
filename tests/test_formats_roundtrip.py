"""Round trips through every format: the library's export, read back by the
independent parser Zotero-like tools use (bibtexparser, rispy, json, csv), then
imported into an empty library, reproduces every field the format carries."""

import csv
import datetime
import io
import json

import bibtexparser
import pytest
import rispy

from clearinghouse.catalog.models import Person, Resource, ResourceAuthor
from clearinghouse.formats.exporting import export_records
from clearinghouse.formats.importing import import_file
from clearinghouse.formats.registry import FORMATS
from tests.world import make_resource

pytestmark = pytest.mark.django_db

# What citation managers' formats carry: no status, access, topics or regions.
CITED_FIELDS = (
    "title",
    "subtitle",
    "types",
    "date",
    "publishers",
    "authors",
    "languages",
    "keywords",
    "url",
    "doi",
    "isbn",
    "abstract",
    "summary",
)
CARRIED = {
    "jsonl": None,  # everything
    "csv": None,  # everything but the documents list (none here)
    "bibtex": (*CITED_FIELDS, "licence"),
    "csljson": ("id", *CITED_FIELDS, "licence"),
    "ris": ("id", *CITED_FIELDS),
}
TRICKY = (
    "Costs & harms: 50% of {cases}, $5 fees, user_names, ~1 in 3 -- ``quoted'' \\ done"
)


def build_library() -> None:
    """Four records covering institutional and personal authors, every date
    precision, subtitles, LaTeX's special characters and non-ASCII text."""
    make_resource(
        "Framing child sexual abuse and exploitation online as trafficking",
        subtitle="Opportunities and challenges in the UK",
        types=("briefing",),
        publishers=("International Justice Mission", "WeProtect Global Alliance"),
        date=datetime.date(2021, 9, 1),
        date_precision="day",
        url="https://example.org/framing?lang=en&page=50%25",
        doi="10.1234/Example.5678",
        languages=("en", "fr"),
        keywords=["ocsea", "trafficking"],
        summary="A briefing on treating online sexual exploitation as trafficking.",
        abstract=TRICKY,
        licence="CC BY 4.0",
        topics=("csam",),
        regions=("GB",),
    )
    article = make_resource(
        "Online grooming: what changed?",
        types=("research-article",),
        publishers=("Thorn",),
        date=datetime.date(2022, 5, 1),
        date_precision="month",
        isbn="978-3-16-148410-0",
        summary="Évolution des pratiques — une synthèse.",
        languages=("fr",),
    )
    for position, name in enumerate(("Ada Analyst", "Anna van der Berg")):
        person = Person.objects.create(name=name, slug=name.lower().replace(" ", "-"))
        ResourceAuthor.objects.create(
            resource=article, person=person, position=position
        )
    make_resource(
        "Global estimates of forced labour",
        types=("dataset",),
        publishers=("International Labour Organization",),
        date=datetime.date(2022, 1, 1),
        date_precision="year",
    )
    make_resource(
        "Undated training video",
        types=("video",),
        date=None,
        summary="",
        languages=(),
    )


def carried(records: list[dict], fields: tuple | None) -> list[dict]:
    if fields is None:
        return records
    return [{key: record[key] for key in fields} for record in records]


def by_title(records: list[dict]) -> list[dict]:
    return sorted(records, key=lambda record: record["title"])


def exported_text(name: str) -> str:
    stream = io.StringIO()
    FORMATS[name].write(export_records(), stream)
    return stream.getvalue()


def reimport(name: str, text: str) -> None:
    Resource.objects.all().delete()
    report = import_file(FORMATS[name], io.StringIO(text), filename=f"x.{name}")
    assert report.errors == []
    assert len(report.created) == 4


@pytest.mark.parametrize("name", sorted(CARRIED))
def test_it_round_trips_what_each_format_carries(name):
    build_library()
    before = by_title(list(export_records()))
    reimport(name, exported_text(name))
    after = by_title(list(export_records()))
    fields = CARRIED[name]
    if name == "ris":  # RIS values are one line each
        for record in before:
            record["abstract"] = " ".join(record["abstract"].split())
    assert carried(after, fields) == carried(before, fields)


def test_it_writes_bibtex_that_bibtexparser_reads_as_zotero_would():
    build_library()
    library = bibtexparser.parse_string(exported_text("bibtex"))
    assert library.failed_blocks == []
    entries = {entry["title"]: entry for entry in library.entries}
    framing = entries[
        "Framing child sexual abuse and exploitation online as trafficking: "
        "{Opportunities} and challenges in the {UK}"
    ]
    assert framing.entry_type == "techreport"
    assert framing["author"] == (
        "{International Justice Mission} and {WeProtect Global Alliance}"
    )
    assert framing["institution"] == (
        "International Justice Mission; WeProtect Global Alliance"
    )
    assert framing["type"] == "Briefing"
    assert (framing["year"], framing["month"], framing["date"]) == (
        "2021",
        "sep",
        "2021-09-01",
    )
    assert framing["doi"] == "10.1234/Example.5678"
    assert framing["abstract"] == (
        r"Costs \& harms: 50\% of \{cases\}, \$5 fees, user\_names, "
        r"\textasciitilde{}1 in 3 -{}- `{}`quoted'{}' \textbackslash{} done"
    )
    article = entries["Online grooming: what changed?"]
    assert article.entry_type == "article"
    assert article["author"] == "Analyst, Ada and van der Berg, Anna"
    assert article["publisher"] == "Thorn"
    assert [e.key for e in library.entries] == [
        "international_framing_2021",
        "analyst_online_2022",
        "international_global_2022",
        "undated",
    ]


def test_it_writes_ris_that_rispy_reads_as_zotero_would():
    build_library()
    references = rispy.loads(exported_text("ris"))
    framing, article, dataset, video = references
    assert [r["type_of_reference"] for r in references] == [
        "RPRT",
        "JOUR",
        "DATA",
        "VIDEO",
    ]
    assert framing["authors"] == [
        "International Justice Mission",
        "WeProtect Global Alliance",
    ]
    assert (framing["year"], framing["date"]) == ("2021", "2021/09/01/")
    assert framing["type_of_work"] == "Briefing"
    assert framing["short_title"] == (
        "Framing child sexual abuse and exploitation online as trafficking"
    )
    assert framing["urls"] == ["https://example.org/framing?lang=en&page=50%25"]
    assert article["authors"] == ["Analyst, Ada", "van der Berg, Anna"]
    assert (article["date"], article["issn"]) == ("2022/05//", "978-3-16-148410-0")
    assert article["notes"] == ["Évolution des pratiques — une synthèse."]
    assert dataset["year"] == "2022" and "date" not in dataset
    assert "year" not in video


def test_it_writes_csl_json_that_citation_processors_read():
    build_library()
    framing, article, dataset, video = json.loads(exported_text("csljson"))
    assert framing["type"] == "report"
    assert framing["genre"] == "Briefing"
    assert framing["author"] == [
        {"literal": "International Justice Mission"},
        {"literal": "WeProtect Global Alliance"},
    ]
    assert framing["publisher"] == (
        "International Justice Mission; WeProtect Global Alliance"
    )
    assert framing["issued"] == {"date-parts": [[2021, 9, 1]]}
    assert article["author"] == [
        {"family": "Analyst", "given": "Ada"},
        {"family": "van der Berg", "given": "Anna"},
    ]
    assert (article["type"], article["issued"]) == (
        "article-journal",
        {"date-parts": [[2022, 5]]},
    )
    assert (dataset["type"], dataset["issued"]) == ("dataset", {"date-parts": [[2022]]})
    assert (video["type"], "issued" in video) == ("motion_picture", False)


def test_it_writes_csv_that_spreadsheets_read():
    build_library()
    text = exported_text("csv")
    assert text.startswith("\ufeffid,title,subtitle,")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    framing = rows[0]
    assert framing["publishers"] == (
        "International Justice Mission; WeProtect Global Alliance"
    )
    assert (framing["date"], framing["languages"], framing["featured"]) == (
        "2021-09-01",
        "en; fr",
        "false",
    )
    assert (framing["status"], framing["access"], framing["provenance"]) == (
        "published",
        "public",
        "{}",
    )
