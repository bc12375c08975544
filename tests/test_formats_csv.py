"""CSV for spreadsheets: documented column names and their other names, lists
in cells, Excel's habits (a byte order mark, ";" separators), and no formulas."""

import csv
import io

import pytest

from clearinghouse.catalog.models import Resource
from clearinghouse.formats.csv import COLUMNS, read_csv
from clearinghouse.formats.exporting import export_records
from clearinghouse.formats.importing import ImportFailed, import_file
from clearinghouse.formats.registry import FORMATS
from tests.world import make_resource

pytestmark = pytest.mark.django_db


def rows(text: str) -> list:
    return list(read_csv(io.StringIO(text)))


def test_it_reads_a_spreadsheet_with_everyday_column_names():
    text = (
        "\ufeffTitle;Publisher;Year;Type;Country;Language;Tags;Link;Featured\r\n"
        'Child protection systems;"UNICEF; Save the Children";2020;Guidance;KE;'
        'English;"systems; services";https://example.org/cps;yes\r\n'
    )
    assert rows(text) == [
        (
            2,
            {
                "title": "Child protection systems",
                "publishers": ["UNICEF", "Save the Children"],
                "date": "2020",
                "types": ["Guidance"],
                "regions": ["KE"],
                "languages": ["en"],
                "keywords": ["systems", "services"],
                "url": "https://example.org/cps",
                "featured": True,
            },
        )
    ]


def test_it_imports_a_spreadsheet_row_as_a_published_record():
    text = (
        "title,publishers,date,types,languages\n"
        "Shelter guidance,IOM,2019-04,guidance,en-GB\n"
    )
    import_file(FORMATS["csv"], io.StringIO(text), filename="sheet.csv")
    record = next(export_records())
    assert {
        k: record[k] for k in ("title", "publishers", "date", "types", "status")
    } == {
        "title": "Shelter guidance",
        "publishers": ["IOM"],
        "date": "2019-04",
        "types": ["guidance"],
        "status": "published",
    }


def test_it_writes_the_documented_header_and_guards_against_formulas():
    make_resource(
        '=HYPERLINK("http://evil.example")', summary="-2+3", keywords=["@risk"]
    )
    stream = io.StringIO()
    FORMATS["csv"].write(export_records(), stream)
    reader = csv.DictReader(io.StringIO(stream.getvalue().removeprefix("\ufeff")))
    (row,) = list(reader)
    assert tuple(reader.fieldnames) == COLUMNS
    assert (row["title"], row["summary"], row["keywords"]) == (
        '\'=HYPERLINK("http://evil.example")',
        "'-2+3",
        "'@risk",
    )
    Resource.objects.all().delete()
    import_file(FORMATS["csv"], io.StringIO(stream.getvalue()), filename="x.csv")
    resource = Resource.objects.get()
    assert (resource.title, resource.summary, resource.keywords) == (
        '=HYPERLINK("http://evil.example")',
        "-2+3",
        ["@risk"],
    )


def test_it_names_unknown_and_repeated_columns_and_short_rows():
    cases = [
        ("title,colour\nA,red\n", 1, "unknown column(s) 'colour'"),
        ("title,Title\nA,B\n", 1, "more than one column for title"),
        ("summary\nNo title column\n", 1, "there is no 'title' column"),
        ("title,date\nA\n", 2, "this row has 1 cells; the header has 2"),
        ("", 1, "the file is empty"),
        ("title,featured\nA,perhaps\n", 2, "'featured' must be true or false"),
        ("title,provenance\nA,{not json\n", 2, "'provenance' must be an object"),
    ]
    for text, line, message in cases:
        with pytest.raises(ImportFailed) as failure:
            import_file(FORMATS["csv"], io.StringIO(text), filename="x.csv")
        ((at, said),) = failure.value.report.errors
        assert (at, message in said) == (line, True), (text, said)


def test_it_counts_lines_across_cells_that_hold_line_breaks():
    text = 'title,summary\nFirst,"two\nlines"\nSecond,one line\n'
    assert [line for line, _ in rows(text)] == [2, 4]
