"""Native JSON Lines: export → import into an empty library is lossless; bad input
changes nothing and names the line."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from clearinghouse.catalog.models import Organisation, Resource, Topic
from clearinghouse.formats.exporting import export_records
from clearinghouse.formats.importing import ImportFailed, import_records
from clearinghouse.formats.jsonl import read_jsonl, write_jsonl
from tests.world import make_resource

pytestmark = pytest.mark.django_db

FULL_RECORD = {
    "id": "6f1c1f3e-4a59-4c55-9d1b-0d9a3c1e2f10",
    "title": "Framing child sexual abuse and exploitation online as trafficking",
    "subtitle": "Opportunities and challenges",
    "slug": "framing-csea-online-as-trafficking",
    "summary": "A briefing on treating online sexual exploitation as trafficking.",
    "abstract": "Longer abstract.",
    "types": ["report", "briefing"],  # exported in the vocabulary's order
    "date": "2021-09",
    "publishers": ["International Justice Mission", "WeProtect Global Alliance"],
    "authors": ["A. Researcher", "B. Analyst"],
    "topics": ["child-trafficking", "csam"],
    "regions": ["001", "GB"],
    "languages": ["en", "fr"],
    "keywords": ["ocsea", "trafficking"],
    "url": "https://example.org/framing",
    "doi": "10.1234/example.5678",
    "isbn": "",
    "licence": "CC BY 4.0",
    "status": "published",
    "access": "groups",
    "groups": ["Law enforcement"],
    "document_access": "groups",
    "embargo_until": "2030-01-01",
    "content_warning": "Discusses abuse in general terms.",
    "featured": True,
    "withdrawn_reason": "",
    "added": "2024-05-01T10:00:00+00:00",
    "provenance": {"source": "test"},
    "documents": [],
}


def import_lines(*lines: str, **options):
    return import_records(read_jsonl(io.StringIO("\n".join(lines) + "\n")), **options)


def exported() -> list[dict]:
    return list(export_records())


def test_it_round_trips_every_field_through_an_empty_library():
    import_lines(json.dumps(FULL_RECORD))
    first = exported()
    assert first == [FULL_RECORD]

    stream = io.StringIO()
    write_jsonl(first, stream)
    Resource.objects.all().delete()
    import_lines(*stream.getvalue().splitlines())
    assert exported() == first


def test_it_round_trips_a_built_record():
    make_resource(
        "Online grooming trends",
        topics=("grooming",),
        publishers=("Thorn",),
        regions=("US",),
        keywords=["grooming"],
        date_precision="year",
    )
    first = exported()
    Resource.objects.all().delete()
    import_lines(*[json.dumps(r) for r in first])
    assert exported() == first
    assert first[0]["date"] == "2021"


def test_it_reports_bad_lines_by_number_and_imports_nothing():
    good = json.dumps({"title": "A good record", "date": "2020"})
    with pytest.raises(ImportFailed) as failure:
        import_lines(
            good,
            "{not json",
            json.dumps({"title": "Bad date", "date": "May 2020"}),
            json.dumps({"summary": "no title"}),
            json.dumps({"title": "Bad status", "status": "live"}),
            json.dumps({"title": "Bad language", "languages": ["english"]}),
        )
    assert [line for line, _ in failure.value.report.errors] == [2, 3, 4, 5, 6]
    messages = dict(failure.value.report.errors)
    assert "not valid JSON" in messages[2]
    assert "'date'" in messages[3]
    assert "'title' is required" in messages[4]
    assert "'status' must be one of" in messages[5]
    assert "'languages'" in messages[6]
    assert Resource.objects.count() == 0


def test_it_creates_unknown_terms_and_reports_them():
    report = import_lines(
        json.dumps(
            {
                "title": "New things",
                "topics": ["brand-new-topic"],
                "publishers": ["A New Organisation"],
                "types": ["policy/legislation"],
            }
        )
    )
    assert report.new_terms["topics"] == ["brand-new-topic"]
    assert report.new_terms["organisations"] == ["A New Organisation"]
    resource = Resource.objects.get()
    assert [t.slug for t in resource.types.all()] == ["policy-legislation"]
    assert Topic.objects.filter(slug="brand-new-topic").exists()


def test_it_matches_existing_records_instead_of_duplicating():
    make_resource("Global estimates of modern slavery", doi="10.1/abc")
    report = import_lines(
        json.dumps(
            {
                "title": "Global Estimates of Modern Slavery (2nd ed.)",
                "doi": "10.1/ABC",
                "date": "2021",
            }
        ),
        json.dumps(
            {"title": "global estimates of modern slavery (2nd ED.)", "date": "2021"}
        ),
    )
    assert report.created == []
    assert len(report.updated) == 2
    assert Resource.objects.count() == 1


def test_it_matches_publishers_by_acronym_and_alias():
    Organisation.objects.create(
        name="United Nations Office on Drugs and Crime",
        slug="unodc",
        acronym="UNODC",
        aliases=["United Nations Office on Drugs and Crime (UNODC)"],
    )
    import_lines(
        json.dumps({"title": "One", "publishers": ["UNODC"]}),
        json.dumps(
            {
                "title": "Two",
                "publishers": ["United Nations Office on Drugs and Crime (UNODC)"],
            }
        ),
    )
    assert Organisation.objects.count() == 1


def test_dry_run_writes_nothing():
    report = import_lines(json.dumps({"title": "Only a rehearsal"}), dry_run=True)
    assert report.created == ["Only a rehearsal"]
    assert Resource.objects.count() == 0


def test_the_import_command_names_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"title": "fine"}) + "\n[1, 2]\n", encoding="utf-8")
    errors = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import", str(path), stderr=errors)
    assert f"{path}:2: a record must be a JSON object" in errors.getvalue()
    assert Resource.objects.count() == 0


def test_the_export_command_writes_a_file_atomically(tmp_path):
    make_resource("Exported report")
    target = tmp_path / "out.jsonl"
    call_command("export", "-o", str(target), stderr=io.StringIO())
    lines = target.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["title"] for line in lines] == ["Exported report"]
    assert not (tmp_path / "out.jsonl.partial").exists()
