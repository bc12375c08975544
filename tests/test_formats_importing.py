"""Importing any format: matching instead of duplicating, dry runs, all or
nothing, continuing past bad records, and the command line around it."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from clearinghouse.catalog.models import Resource
from clearinghouse.formats.exporting import export_records
from clearinghouse.formats.importing import ImportFailed, import_file
from clearinghouse.formats.registry import FORMATS
from tests.world import make_resource

pytestmark = pytest.mark.django_db


def bibtex_entry(key: str, title: str, **fields: str) -> str:
    lines = [f"@techreport{{{key},", f"\ttitle = {{{title}}},"]
    lines += [f"\t{name} = {{{value}}}," for name, value in fields.items()]
    return "\n".join([*lines, "}", ""])


def import_text(name: str, text: str, **options):
    return import_file(
        FORMATS[name], io.StringIO(text), filename=f"in.{name}", **options
    )


def titles() -> list[str]:
    return sorted(Resource.objects.values_list("title", flat=True))


# Matching ------------------------------------------------------------------


def test_it_matches_by_doi_whatever_its_form():
    make_resource("Child sexual abuse material online", doi="10.1000/ABC.1")
    report = import_text(
        "bibtex",
        bibtex_entry(
            "k", "CSAM online: a new title", doi="https://doi.org/10.1000/abc.1"
        ),
    )
    assert (report.created, report.skipped) == (
        [],
        ["Child sexual abuse material online"],
    )
    assert titles() == ["Child sexual abuse material online"]


def test_it_matches_by_source_url_ignoring_scheme_www_and_trailing_slash():
    make_resource(
        "Annual report", url="https://example.org/reports/annual/", abstract=""
    )
    report = import_text(
        "bibtex",
        bibtex_entry(
            "k",
            "Our annual report",
            url="http://www.example.org/reports/annual",
            abstract="What we did this year.",
            year="2021",
        ),
    )
    assert report.updated == ["Annual report"]
    assert Resource.objects.get().abstract == "What we did this year."


def test_it_does_not_match_one_url_shared_by_a_series():
    url = "https://example.org/publications"
    make_resource("Annual report 2020", url=url, date=datetime.date(2020, 1, 1))
    make_resource("Annual report 2021", url=url, date=datetime.date(2021, 1, 1))
    report = import_text(
        "bibtex", bibtex_entry("k", "Annual report 2022", url=url, year="2022")
    )
    assert report.created == ["Annual report 2022"]
    assert len(titles()) == 3


def test_it_matches_a_normalised_title_and_year():
    make_resource(
        "Protecting children from online sexual exploitation",
        date=datetime.date(2019, 5, 1),
        date_precision="month",
        summary="",
    )
    report = import_text(
        "ris",
        "TY  - RPRT\nTI  - PROTECTING CHILDREN FROM ONLINE-SEXUAL EXPLOITATION!\n"
        "PY  - 2019\nN1  - A summary at last.\nER  - \n",
    )
    assert report.updated == ["Protecting children from online sexual exploitation"]
    assert Resource.objects.get().summary == "A summary at last."


def test_it_does_not_match_the_same_title_in_another_year_or_with_another_doi():
    make_resource("Global threat assessment", date=datetime.date(2019, 1, 1))
    make_resource("Trends", date=datetime.date(2021, 1, 1), doi="10.1/one")
    import_text(
        "bibtex",
        bibtex_entry("a", "Global threat assessment", year="2021")
        + bibtex_entry("b", "Trends", year="2021", doi="10.1/two"),
    )
    assert titles() == [
        "Global threat assessment",
        "Global threat assessment",
        "Trends",
        "Trends",
    ]


def test_it_matches_a_record_named_twice_in_one_file():
    report = import_text(
        "bibtex",
        bibtex_entry("a", "Same report", year="2020")
        + bibtex_entry(
            "b", "Same Report", year="2020", abstract="Now with an abstract"
        ),
    )
    assert (report.created, report.updated) == (["Same report"], ["Same report"])
    assert Resource.objects.get().abstract == "Now with an abstract"


# What an update changes -----------------------------------------------------


def test_citation_formats_fill_gaps_but_never_overwrite_curated_fields():
    make_resource(
        "Sextortion trends",
        doi="10.5/sx",
        summary="Curated summary.",
        status="review",
        access="members",
        abstract="",
        isbn="",
    )
    report = import_text(
        "csljson",
        json.dumps(
            [
                {
                    "type": "report",
                    "title": "Sextortion Trends (imported)",
                    "DOI": "10.5/sx",
                    "note": "Someone else's summary.",
                    "abstract": "The abstract.",
                    "ISBN": "978-0-00-000000-2",
                }
            ]
        ),
    )
    assert report.updated == ["Sextortion trends"]
    record = Resource.objects.get()
    assert (record.title, record.summary, record.status, record.access) == (
        "Sextortion trends",
        "Curated summary.",
        "review",
        "members",
    )
    assert (record.abstract, record.isbn) == ("The abstract.", "978-0-00-000000-2")


def test_native_formats_set_every_field_they_give():
    resource = make_resource("Old title", summary="Old summary.", status="draft")
    csv_text = f"id,title,summary\n{resource.uid},New title,New summary.\n"
    report = import_text("csv", csv_text)
    assert report.updated == ["New title"]
    resource.refresh_from_db()
    assert (resource.title, resource.summary, resource.status) == (
        "New title",
        "New summary.",
        "draft",  # no status column: status is left as it was
    )


def test_it_skips_records_that_would_not_change():
    resource = make_resource("Unchanged report")
    updated_at = resource.updated_at
    stream = io.StringIO()
    FORMATS["jsonl"].write(export_records(), stream)
    report = import_text("jsonl", stream.getvalue())
    assert (report.created, report.updated, report.skipped) == (
        [],
        [],
        ["Unchanged report"],
    )
    resource.refresh_from_db()
    assert resource.updated_at == updated_at


# Dry runs, failures, continuing ------------------------------------------------


def test_a_dry_run_reports_and_writes_nothing():
    make_resource("Existing report", doi="10.9/existing", abstract="")
    text = bibtex_entry("a", "A new report", year="2020") + bibtex_entry(
        "b", "Existing report", doi="10.9/existing", abstract="Added"
    )
    report = import_text("bibtex", text, dry_run=True)
    assert (report.dry_run, report.created, report.updated) == (
        True,
        ["A new report"],
        ["Existing report"],
    )
    assert titles() == ["Existing report"]
    assert Resource.objects.get().abstract == ""


def test_a_bad_record_stops_the_whole_import_and_is_named_by_line():
    text = (
        bibtex_entry("good", "A good report", year="2020")
        + bibtex_entry("bad", "A bad date", date="May 2020")
        + "@article{broken,\n  title = {Unclosed\n"
    )
    with pytest.raises(ImportFailed) as failure:
        import_text("bibtex", text)
    assert failure.value.report.errors == [
        (5, "“A bad date”: 'date': date 'May 2020' is not YYYY, YYYY-MM or YYYY-MM-DD"),
        (
            9,
            "this entry is not valid BibTeX (unexpectedly reached end of file); "
            "is a brace or quote left open?",
        ),
    ]
    assert titles() == []


def test_continue_on_error_imports_the_good_records_and_reports_the_rest():
    text = "".join(
        [
            "TY  - RPRT\nTI  - First good report\nPY  - 2020\nER  - \n",
            "TY  - RPRT\nTI  - Unknown language\nLA  - Klingon\nER  - \n",
            "TY  - RPRT\nAB  - no title at all\nER  - \n",
            "TY  - RPRT\nTI  - Second good report\nER  - \n",
        ]
    )
    report = import_text("ris", text, continue_on_error=True)
    assert report.created == ["First good report", "Second good report"]
    assert report.errors == [
        (
            5,
            "“Unknown language”: 'languages': 'Klingon' is not an ISO 639-1 code",
        ),
        (9, "this record has no title (TI)"),
    ]
    assert titles() == ["First good report", "Second good report"]


def test_a_record_that_fails_while_saving_leaves_no_half_made_terms_behind():
    text = "".join(
        [
            "TY  - RPRT\nTI  - Bad\nPB  - A brand new publisher\nLA  - xx\nER  - \n",
            "TY  - RPRT\nTI  - Good\nPB  - A brand new publisher\nER  - \n",
        ]
    )
    report = import_text("ris", text, continue_on_error=True)
    assert report.created == ["Good"]
    assert report.new_terms == {"organisations": ["A brand new publisher"]}
    assert [o.name for o in Resource.objects.get().publishers.all()] == [
        "A brand new publisher"
    ]


def test_it_refuses_files_it_cannot_read_by_line():
    cases = {
        "csljson": ('[{"title": "A"},\n {"title": ', 2, "not valid JSON"),
        "ris": ("TY  - RPRT\nTI  - No end\n", 1, "no 'ER  - ' line"),
        "csv": ("name,title\nx,y\n", 1, "unknown column(s) 'name'"),
        "jsonl": ("{}\n", 1, "'title' is required"),
    }
    for name, (text, line, message) in cases.items():
        with pytest.raises(ImportFailed) as failure:
            import_text(name, text)
        ((at, said),) = failure.value.report.errors
        assert (at, message in said) == (line, True), (name, said)


# The command line --------------------------------------------------------------


def test_the_import_command_guesses_the_format_and_names_file_and_line(tmp_path):
    path = tmp_path / "zotero.ris"
    path.write_text(
        "TY  - RPRT\nTI  - Fine\nER  - \n\nTY  - RPRT\nTI  - Bad date\nPY  - 20x\n"
        "ER  - \n",
        encoding="utf-8",
    )
    errors = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 1 bad record"):
        call_command("import", str(path), stderr=errors)
    assert errors.getvalue().strip() == (
        f"{path}:5: “Bad date”: 'date': date '20x' is not YYYY, YYYY-MM or YYYY-MM-DD"
    )
    assert titles() == []


def test_the_import_command_reports_a_dry_run_with_names(tmp_path):
    make_resource("Already here", doi="10.7/here")
    path = tmp_path / "refs.bib"
    path.write_text(
        bibtex_entry("a", "Brand new", year="2023")
        + bibtex_entry("b", "Already here", doi="10.7/here")
        + bibtex_entry("c", "Filled in", author="{Thorn}"),
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import", str(path), "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [
        "Dry run: nothing was written.",
        "2 record(s) would be created, 0 would be updated, 1 would be skipped "
        "(already in the library as they are).",
        "Created: Brand new; Filled in",
        "Skipped: Already here",
        "New organisations would be created: Thorn",
    ]
    assert titles() == ["Already here"]


def test_the_import_command_can_continue_past_bad_records(tmp_path):
    path = tmp_path / "items.json"
    path.write_text(
        json.dumps([{"title": "Good item"}, {"type": "report"}], indent=1),
        encoding="utf-8",
    )
    out, errors = io.StringIO(), io.StringIO()
    call_command("import", str(path), "--continue-on-error", stdout=out, stderr=errors)
    assert (
        errors.getvalue().strip() == f"{path}:5: 'title' is required and must be text"
    )
    assert "1 bad record(s) were left out (above)." in out.getvalue()
    assert titles() == ["Good item"]


def test_the_import_command_names_an_unknown_extension(tmp_path):
    path = tmp_path / "records.txt"
    path.write_text("anything", encoding="utf-8")
    with pytest.raises(CommandError, match=r"Cannot tell the format of 'records.txt'"):
        call_command("import", str(path))


def test_the_export_command_writes_any_format(tmp_path):
    make_resource("Exported briefing", publishers=("Thorn",), types=("briefing",))
    target = tmp_path / "out.ris"
    call_command("export", "-o", str(target), stderr=io.StringIO())
    assert target.read_text(encoding="utf-8").splitlines()[:3] == [
        "TY  - RPRT",
        f"ID  - {Resource.objects.get().uid}",
        "TI  - Exported briefing",
    ]
    out = io.StringIO()
    call_command("export", "--format", "bibtex", stdout=out, stderr=io.StringIO())
    assert out.getvalue().startswith("@techreport{thorn_exported_2021,")
