"""References to download from the site: one record's from its page, a search
result's from the library; only what the reader may see goes out."""

import csv
import io
import json

import bibtexparser
import pytest
import rispy

from clearinghouse.web.views import citations as views
from tests.world import make_personas, make_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def personas() -> dict:
    return make_personas()


def test_it_offers_a_records_reference_in_three_formats(client):
    resource = make_resource("Sextortion briefing", publishers=("Thorn",))
    cases = {
        "bib": "application/x-bibtex; charset=utf-8",
        "ris": "application/x-research-info-systems; charset=utf-8",
        "json": "application/vnd.citationstyles.csl+json; charset=utf-8",
    }
    for extension, content_type in cases.items():
        response = client.get(f"/resources/{resource.slug}/cite.{extension}")
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == (
            f'attachment; filename="{resource.slug}.{extension}"'
        )
        assert response["Cache-Control"] == "public, max-age=300"
    text = client.get(f"/resources/{resource.slug}/cite.bib").content.decode()
    (entry,) = bibtexparser.parse_string(text).entries
    assert (entry["title"], entry["author"]) == ("Sextortion briefing", "{Thorn}")
    (reference,) = rispy.loads(client.get(f"/resources/{resource.slug}/cite.ris").text)
    assert reference["title"] == "Sextortion briefing"
    (item,) = json.loads(client.get(f"/resources/{resource.slug}/cite.json").content)
    assert item["author"] == [{"literal": "Thorn"}]


def test_it_hides_the_reference_of_what_a_reader_may_not_see(client, personas):
    draft = make_resource("Draft report", status="draft")
    members = make_resource("Members report", access="members")
    withdrawn = make_resource("Withdrawn report", status="withdrawn")
    statuses = [
        client.get(f"/resources/{r.slug}/cite.bib").status_code
        for r in (draft, members, withdrawn)
    ]
    assert statuses == [404, 404, 410]
    client.force_login(personas["member"])
    response = client.get(f"/resources/{members.slug}/cite.ris")
    assert (response.status_code, response["Cache-Control"]) == (
        200,
        "private, no-cache",
    )


def export(client, query: str, extension: str = "jsonl"):
    return client.get(f"/library/export.{extension}?{query}")


def exported_titles(response) -> list[str]:
    lines = response.content.decode().splitlines()
    return [json.loads(line)["title"] for line in lines]


def test_it_exports_the_search_result_a_reader_sees_and_nothing_more(client):
    make_resource("Trafficking public report", text="forced labour trafficking")
    make_resource("Trafficking draft", status="draft", text="trafficking")
    make_resource("Trafficking for members", access="members", text="trafficking")
    make_resource(
        "Trafficking for a group", access="groups", groups=("Law enforcement",)
    )
    make_resource("Grooming report", text="grooming")
    response = export(client, "q=trafficking")
    assert response.status_code == 200
    assert exported_titles(response) == ["Trafficking public report"]
    assert (response["X-Result-Count"], response["X-Exported-Count"]) == ("1", "1")
    records = [json.loads(line) for line in response.content.decode().splitlines()]
    assert (records[0]["provenance"], records[0]["documents"]) == ({}, [])


def test_it_exports_what_a_member_may_see(client, personas):
    make_resource("Trafficking public report", text="trafficking")
    make_resource("Trafficking for members", access="members", text="trafficking")
    make_resource("Trafficking draft", status="draft", text="trafficking")
    client.force_login(personas["member"])
    response = export(client, "q=trafficking&sort=title")
    assert exported_titles(response) == [
        "Trafficking for members",
        "Trafficking public report",
    ]
    assert response["Cache-Control"] == "private, no-cache"


def test_it_exports_with_the_listings_filters_in_every_format(client):
    make_resource("A report on Kenya", regions=("KE",), publishers=("UNICEF",))
    make_resource("A report on Peru", regions=("PE",))
    query = "region=kenya"
    assert exported_titles(export(client, query)) == ["A report on Kenya"]
    bib = export(client, query, "bib").content.decode()
    assert [e["title"] for e in bibtexparser.parse_string(bib).entries] == [
        "A report on {Kenya}"  # braced, so that styles keep the capital
    ]
    ris = export(client, query, "ris").content.decode()
    assert [r["title"] for r in rispy.loads(ris)] == ["A report on Kenya"]
    items = json.loads(export(client, query, "json").content)
    assert [item["title"] for item in items] == ["A report on Kenya"]
    text = export(client, query, "csv").content.decode().removeprefix("\ufeff")
    assert [row["title"] for row in csv.DictReader(io.StringIO(text))] == [
        "A report on Kenya"
    ]
    response = export(client, query, "csv")
    assert response["Content-Disposition"] == 'attachment; filename="library.csv"'
    assert export(client, query, "pdf").status_code == 404


def test_it_exports_a_selection_of_what_the_reader_may_see(client):
    first = make_resource("First choice")
    second = make_resource("Second choice")
    hidden = make_resource("Hidden draft", status="draft")
    query = f"resource={second.slug}&resource={hidden.slug}&resource={first.slug}"
    response = export(client, query)
    assert exported_titles(response) == ["Second choice", "First choice"]
    assert (response["X-Result-Count"], response["X-Exported-Count"]) == ("2", "2")


def test_it_caps_an_export_at_the_documented_limit(client, monkeypatch):
    for n in range(3):
        make_resource(f"Report {n}")
    monkeypatch.setattr(views, "SEARCH_EXPORT_LIMIT", 2)
    response = export(client, "sort=title")
    assert exported_titles(response) == ["Report 0", "Report 1"]
    assert (response["X-Result-Count"], response["X-Exported-Count"]) == ("3", "2")


def test_the_library_page_links_to_exports_of_its_result(client):
    make_resource("Online grooming report", text="grooming")
    page = client.get("/library/?q=grooming&type=report").content.decode()
    assert "Download this list (1 resource) as" in page
    assert 'href="/library/export.bib?q=grooming&amp;type=report"' in page
    for extension in ("ris", "json", "csv", "jsonl"):
        assert f'href="/library/export.{extension}?q=grooming&amp;type=report"' in page
