"""The ingest pipeline end to end: real files, real database, real worker."""

from pathlib import Path

import pytest
from django.core.management import call_command
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from clearinghouse.catalog.models import Document, Language, Page, Resource
from clearinghouse.ingest import isolation
from clearinghouse.ingest.extraction import ExtractionError, extract
from clearinghouse.ingest.pipeline import ingest_file
from clearinghouse.ingest.tasks import extract_document
from clearinghouse.search.engine import search
from clearinghouse.search.filters import SearchParams
from tests.world import make_personas

PAGES = [
    "Child online protection in East Africa. This report reviews hotlines and "
    "the referral of cases between police, social workers and courts.",
    "Survivors of trafficking described the recruitment routes used by brokers "
    "who promised domestic work abroad and confiscated their passports.",
    "The recommendations ask governments to fund shelters and to train labour "
    "inspectors in identifying forced labour on fishing vessels.",
]


def write_pdf(path: Path, pages: list[str] = PAGES) -> Path:
    """A real PDF, one paragraph of English per page."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for text in pages:
        y = 780
        words = text.split()
        for start in range(0, len(words), 10):
            pdf.drawString(60, y, " ".join(words[start : start + 10]))
            y -= 16
        pdf.showPage()
    pdf.save()
    return path


@pytest.fixture(autouse=True, scope="module")
def _stop_workers():
    yield
    isolation.shutdown()


def run_worker() -> None:
    """What ``clearinghouse worker`` does, until the queue is empty."""
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db
def test_it_turns_a_pdf_into_a_searchable_draft_with_pages(tmp_path) -> None:
    personas = make_personas()
    outcome = ingest_file(write_pdf(tmp_path / "east_africa-report.pdf"))
    assert (outcome.status, outcome.reason) == ("ok", "")
    assert outcome.document.state == Document.State.QUEUED

    run_worker()

    document = Document.objects.get()
    assert (
        document.state,
        document.failure,
        document.pages,
        document.language,
    ) == (Document.State.DONE, "", 3, "en")
    assert [p.number for p in Page.objects.filter(document=document)] == [1, 2, 3]
    assert "fishing vessels" in Page.objects.get(document=document, number=3).text
    assert document.thumbnail.name.startswith("thumbnails/")
    assert Path(document.thumbnail.path).stat().st_size > 0
    sha = document.sha256
    assert f"files/{sha[:2]}/{sha}.pdf" == document.file.name
    assert document.resource.status == "draft"
    assert isinstance(document.suggestions, list)

    hits = search(SearchParams(q="confiscated passports"), personas["editor"]).hits
    assert [document.resource.pk] == [hit.resource.pk for hit in hits]
    assert (
        search(SearchParams(q="confiscated passports"), personas["anonymous"]).hits
        == []
    )


@pytest.mark.django_db
def test_it_points_a_second_copy_at_the_first_record(tmp_path) -> None:
    original = write_pdf(tmp_path / "a.pdf")
    copy = tmp_path / "copy of a.pdf"
    copy.write_bytes(original.read_bytes())

    first = ingest_file(original, enqueue=False)
    second = ingest_file(copy, enqueue=False)

    assert second.status == "duplicate"
    assert (first.resource, first.document) == (second.resource, second.document)
    assert f"record {first.resource.pk}" in second.reason
    assert Document.objects.count() == 1
    assert Resource.objects.count() == 1


@pytest.mark.django_db
def test_it_refuses_images_without_making_a_record(tmp_path) -> None:
    png = tmp_path / "photo.pdf"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))

    outcome = ingest_file(png)

    assert outcome.status == "refused"
    assert "documents only" in outcome.reason
    assert (
        outcome.resource,
        Resource.objects.count(),
        Document.objects.count(),
    ) == (None, 0, 0)


@pytest.mark.django_db
def test_it_refuses_files_over_the_size_limit(tmp_path, settings) -> None:
    settings.INGEST_MAX_BYTES = 100
    outcome = ingest_file(write_pdf(tmp_path / "big.pdf"))
    assert (outcome.status, Resource.objects.count()) == ("refused", 0)
    assert "the limit is 100 bytes" in outcome.reason


@pytest.mark.django_db
def test_it_marks_a_truncated_pdf_failed_with_a_reason(tmp_path) -> None:
    whole = write_pdf(tmp_path / "whole.pdf").read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(whole[: len(whole) // 3])

    outcome = ingest_file(truncated)
    run_worker()

    document = Document.objects.get(pk=outcome.document.pk)
    assert document.state == Document.State.FAILED
    assert document.failure
    assert list(Page.objects.filter(document=document)) == []


@pytest.mark.django_db
def test_it_does_nothing_when_a_task_runs_twice(tmp_path) -> None:
    outcome = ingest_file(write_pdf(tmp_path / "twice.pdf"), enqueue=False)
    assert extract_document.call(outcome.document.pk) == "done"
    assert extract_document.call(outcome.document.pk) == "skipped"
    document = Document.objects.get()
    assert (document.attempts, Page.objects.count()) == (1, 3)


@pytest.mark.django_db
def test_it_attaches_a_file_to_an_existing_record(tmp_path) -> None:
    first = ingest_file(write_pdf(tmp_path / "report.pdf"), enqueue=False)
    annex = write_pdf(tmp_path / "annex.pdf", ["Annex one: the survey form."])

    outcome = ingest_file(annex, resource=first.resource, enqueue=False)

    assert ("ok", first.resource) == (outcome.status, outcome.resource)
    assert [d.position for d in first.resource.documents.all()] == [0, 1]


@pytest.mark.django_db
def test_it_flags_a_re_export_as_a_possible_duplicate(tmp_path) -> None:
    pages = [" ".join(PAGES * 4)] * 3
    first = ingest_file(write_pdf(tmp_path / "report.pdf", pages), enqueue=False)
    extract_document.call(first.document.pk)
    again = ingest_file(write_pdf(tmp_path / "re-export.pdf", pages), enqueue=False)
    assert again.status == "ok"  # other bytes: not an exact duplicate

    extract_document.call(again.document.pk)

    document = Document.objects.get(pk=again.document.pk)
    assert [d["resource"] for d in document.possible_duplicates] == [first.resource.pk]
    assert "text 100 % similar" in document.possible_duplicates[0]["reason"]
    assert document.signature


@pytest.mark.django_db
def test_the_worker_gives_the_record_its_detected_language(tmp_path) -> None:
    ingest_file(write_pdf(tmp_path / "report.pdf"))
    run_worker()
    resource = Resource.objects.get()
    assert [language.code for language in resource.languages.all()] == ["en"]
    assert resource.provenance["ingest"]["language"] == "detected in the text"


@pytest.mark.django_db
def test_a_record_keeps_the_languages_a_curator_gave_it(tmp_path) -> None:
    first = ingest_file(write_pdf(tmp_path / "report.pdf"), enqueue=False)
    first.resource.languages.set(Language.objects.filter(code="fr"))
    extract_document.call(first.document.pk)
    assert [lang.code for lang in first.resource.languages.all()] == ["fr"]


@pytest.mark.django_db
def test_a_file_read_already_is_recorded_complete_in_one_go(tmp_path) -> None:
    """The CLI's door: the extraction comes with the file, nothing is queued."""
    path = write_pdf(tmp_path / "scan_0001.pdf")
    outcome = ingest_file(path, extraction=extract(path))
    document = outcome.document
    document.refresh_from_db()
    assert (outcome.status, document.state, document.pages) == ("ok", "done", 3)
    assert Page.objects.filter(document=document).count() == 3
    assert document.signature_bands.count() > 0
    assert [lang.code for lang in outcome.resource.languages.all()] == ["en"]
    assert isinstance(document.suggestions, list) and document.suggestions


@pytest.mark.django_db
def test_a_file_that_could_not_be_read_is_kept_with_its_reason(tmp_path) -> None:
    path = write_pdf(tmp_path / "locked.pdf")
    reason = "the PDF is password-protected"
    outcome = ingest_file(path, extraction=ExtractionError(reason))
    assert (outcome.status, outcome.reason) == ("failed", reason)
    document = Document.objects.get()
    assert (document.state, document.failure) == ("failed", reason)
    assert document.resource.status == "draft"


@pytest.mark.django_db
def test_it_finds_a_reexport_through_the_band_index(tmp_path) -> None:
    """Near-duplicate hints come from the indexed lookup, for either door."""
    first = ingest_file(write_pdf(tmp_path / "a.pdf", PAGES * 3))
    run_worker()
    longer = PAGES * 3 + ["An annex lists the hotlines consulted."]
    second = ingest_file(write_pdf(tmp_path / "b.pdf", longer))
    run_worker()
    second.document.refresh_from_db()
    hinted = [d["resource"] for d in second.document.possible_duplicates]
    assert hinted == [first.resource.pk]
    assert "text" in second.document.possible_duplicates[0]["reason"]
