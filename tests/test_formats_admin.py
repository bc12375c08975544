"""Importing a file in the admin (preview, then confirm or cancel) and
exporting a selection, as a curator would, through the test client."""

import json

import bibtexparser
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clearinghouse.catalog.admin import imports
from clearinghouse.catalog.models import Resource
from tests.world import make_personas, make_resource

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:catalog_resource_import")
CHANGELIST = reverse("admin:catalog_resource_changelist")
ZOTERO_RIS = (
    "TY  - RPRT\nTI  - Global Threat Assessment 2021\nAU  - WeProtect Global Alliance\n"
    "PY  - 2021\nER  - \n\n"
    "TY  - RPRT\nTI  - Already in the library\nDO  - 10.5/here\nAB  - An abstract\n"
    "ER  - \n"
)


@pytest.fixture
def editor(client):
    personas = make_personas()
    client.force_login(personas["editor"])
    return personas["editor"]


def upload(client, name: str, text: str, **fields):
    data = {"file": SimpleUploadedFile(name, text.encode()), "format": "", **fields}
    return client.post(IMPORT, data)


def pending_files() -> list[str]:
    if not default_storage.exists(imports.PENDING):
        return []
    return default_storage.listdir(imports.PENDING)[1]


def test_the_changelist_links_to_the_import_page(client, editor):
    page = client.get(CHANGELIST).content.decode()
    assert f'<a href="{IMPORT}">Import records</a>' in page


def test_it_previews_then_imports_on_confirmation(client, editor):
    make_resource("Already in the library", doi="10.5/here", abstract="")
    preview = upload(client, "zotero.ris", ZOTERO_RIS)
    page = preview.content.decode()
    assert "Preview of zotero.ris: nothing is written yet" in page
    assert '<ul id="import-created"><li>Global Threat Assessment 2021</li></ul>' in page
    assert '<ul id="import-updated"><li>Already in the library</li></ul>' in page
    assert "<li>Organisations: WeProtect Global Alliance</li>" in page
    assert Resource.objects.count() == 1
    assert len(pending_files()) == 1

    done = client.post(IMPORT, {"step": "confirm"})
    assert "Imported: 1 created, 1 updated, 0 skipped, 0 left out as bad." in (
        done.content.decode()
    )
    created = Resource.objects.get(title="Global Threat Assessment 2021")
    assert (created.status, created.created_by, created.provenance["by"]) == (
        "draft",
        editor,
        "editor",
    )
    assert Resource.objects.get(doi="10.5/here").abstract == "An abstract"
    assert pending_files() == []


def test_it_shows_bad_records_and_imports_nothing_unless_told_to(client, editor):
    text = ZOTERO_RIS + "TY  - RPRT\nTI  - Bad date\nPY  - someday\nER  - \n"
    page = upload(client, "zotero.ris", text).content.decode()
    assert (
        "<tr><td>12</td><td>“Bad date”: &#x27;date&#x27;: date &#x27;someday&#x27; "
        "is not YYYY, YYYY-MM or YYYY-MM-DD</td></tr>" in page
    )
    assert 'value="confirm"' not in page
    client.post(IMPORT, {"step": "confirm"})
    assert Resource.objects.count() == 0

    page = upload(
        client, "zotero.ris", text, continue_on_error="on", publish="on"
    ).content.decode()
    assert '<button type="submit" name="step" value="confirm"' in page
    client.post(IMPORT, {"step": "confirm"})
    assert sorted(Resource.objects.values_list("title", "status")) == [
        ("Already in the library", "published"),
        ("Global Threat Assessment 2021", "published"),
    ]


def test_cancelling_drops_the_waiting_file(client, editor):
    upload(client, "refs.json", json.dumps([{"title": "Never imported"}]))
    assert len(pending_files()) == 1
    client.post(IMPORT, {"step": "cancel"})
    assert pending_files() == []
    client.post(IMPORT, {"step": "confirm"})
    assert Resource.objects.count() == 0


def test_it_refuses_files_it_cannot_read(client, editor):
    cases = [
        ("notes.txt", b"anything", "Cannot tell the format of &#x27;notes.txt&#x27;"),
        ("refs.bib", "@misc{a, title={Caf\u00e9}}".encode("latin-1"), "not UTF-8"),
    ]
    for name, data, message in cases:
        response = client.post(
            IMPORT, {"file": SimpleUploadedFile(name, data), "format": ""}
        )
        assert message in response.content.decode()
    assert pending_files() == []


def test_only_curators_may_import(client):
    personas = make_personas()
    client.force_login(personas["member"])
    response = client.get(IMPORT)
    assert response.status_code == 302  # to the admin's sign-in
    assert upload(client, "a.ris", ZOTERO_RIS).status_code == 302
    assert Resource.objects.count() == 0


def test_it_exports_a_selection_as_any_format(client, editor):
    chosen = make_resource("Chosen report", publishers=("UNICEF",))
    make_resource("Other report")
    response = client.post(
        CHANGELIST,
        {"action": "export_as_bibtex", "_selected_action": [chosen.pk]},
    )
    assert response["Content-Disposition"] == 'attachment; filename="records.bib"'
    (entry,) = bibtexparser.parse_string(response.content.decode()).entries
    assert (entry["title"], entry["author"]) == ("Chosen report", "{UNICEF}")
    response = client.post(
        CHANGELIST,
        {"action": "export_as_jsonl", "_selected_action": [chosen.pk]},
    )
    assert [json.loads(line)["title"] for line in response.content.splitlines()] == [
        "Chosen report"
    ]
