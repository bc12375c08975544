"""Extraction: text by page, metadata, thumbnails, language, and the clear
failures of hostile files, in process and in isolated workers."""

import io
import os
import random
import signal
import threading
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from clearinghouse.ingest.extraction import (
    Extraction,
    ExtractionError,
    Limits,
    count_words,
    extract,
    paginate,
)
from clearinghouse.ingest.isolation import extract_isolated, extract_many
from clearinghouse.ingest.language import detect_language
from clearinghouse.ingest.readers.pdf_metadata import pdf_date
from clearinghouse.ingest.sniff import Refused
from clearinghouse.ingest.suggest import suggest_metadata

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
TITLE = "Child Protection in Emergencies"
AUTHOR = "Amina Diallo"
PAGES = [
    "Children on the move face grave risks of trafficking and exploitation.",
    "Case workers in border towns reported 312 referrals during the year.",
    "Community committees identified unaccompanied children within days.",
]


def make_pdf(path: Path, pages: list[str], **options) -> Path:
    # invariant: a fixed creation date (2000-01-01) and file identifier.
    pdf = canvas.Canvas(str(path), invariant=True, **options)
    pdf.setTitle(TITLE)
    pdf.setAuthor(AUTHOR)
    pdf.setSubject("Annual report")
    pdf.setKeywords("trafficking, child protection")
    pdf.setCreator("Clearinghouse tests")
    pdf.setProducer("reportlab")
    for text in pages:
        pdf.drawString(72, 720, text)
        pdf.showPage()
    pdf.save()
    return path


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory) -> Path:
    return make_pdf(tmp_path_factory.mktemp("pdf") / "report.pdf", PAGES)


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory) -> Path:
    """2,000 pages, one short line each."""
    return make_pdf(
        tmp_path_factory.mktemp("pdf") / "long.pdf",
        [f"Page {n} of the annual report." for n in range(1, 2001)],
    )


@pytest.fixture(scope="module")
def slow_pdf(tmp_path_factory) -> Path:
    """One page whose 100,000-segment filled path takes a second to render."""
    path = tmp_path_factory.mktemp("pdf") / "slow.pdf"
    pdf = canvas.Canvas(str(path))
    rng = random.Random(1)
    drawing = pdf.beginPath()
    drawing.moveTo(0, 0)
    for _ in range(100_000):
        drawing.lineTo(rng.uniform(0, 600), rng.uniform(0, 800))
    pdf.drawPath(drawing, stroke=1, fill=1)
    pdf.showPage()
    pdf.save()
    return path


def test_it_reads_a_pdf_page_by_page(report_pdf):
    extraction = extract(report_pdf)
    assert extraction.media_type == "application/pdf"
    assert extraction.page_texts == PAGES
    assert extraction.page_count == 3
    assert extraction.language == "en"
    assert extraction.word_count == 29
    assert extraction.reading_minutes == 1
    assert extraction.needs_ocr is False
    assert extraction.warnings == []
    assert extraction.text == "\n\n".join(PAGES)


def test_it_reads_pdf_metadata(report_pdf):
    assert extract(report_pdf).metadata == {
        "title": TITLE,
        "author": AUTHOR,
        "subject": "Annual report",
        "keywords": "trafficking, child protection",
        "creator": "Clearinghouse tests",
        "producer": "reportlab",
        "created": "2000-01-01T00:00:00+00:00",
        "modified": "2000-01-01T00:00:00+00:00",
    }


def test_it_renders_a_webp_thumbnail_240_pixels_wide(report_pdf):
    thumbnail = Image.open(io.BytesIO(extract(report_pdf).thumbnail))
    # An A4 page (595 x 842 points) at 300 pixels wide.
    assert (thumbnail.format, thumbnail.size) == ("WEBP", (240, 340))


COVER_BODY = [
    "This review looks at how residential homes keep children safe from",
    "exploitation, and at what inspectors found in 2023 and 2024.",
]


@pytest.fixture(scope="module")
def cover_pdf(tmp_path_factory) -> Path:
    """A cover printed from Word: the file name as its title and in small type
    at the top, a strapline, the title in large type over two lines, a body."""
    path = tmp_path_factory.mktemp("pdf") / "cover.pdf"
    pdf = canvas.Canvas(str(path), invariant=True)
    pdf.setTitle("Microsoft Word - draft.docx")
    pdf.setFont("Helvetica", 8)
    pdf.drawString(72, 800, "Microsoft Word - draft.docx")
    pdf.setFont("Helvetica", 11)
    pdf.drawString(72, 740, "An independent review for the Care Inspectorate")
    pdf.setFont("Helvetica-Bold", 28)
    pdf.drawString(72, 700, "Safeguarding Children")
    pdf.drawString(72, 666, "in Residential Care")
    pdf.setFont("Helvetica", 10)
    for number, line in enumerate(COVER_BODY):
        pdf.drawString(72, 600 - 14 * number, line)
    pdf.showPage()
    pdf.save()
    return path


def test_it_reads_page_one_lines_with_their_type_sizes(cover_pdf):
    assert extract(cover_pdf).first_page_lines == [
        ("Microsoft Word - draft.docx", 8.0),
        ("An independent review for the Care Inspectorate", 11.0),
        ("Safeguarding Children", 28.0),
        ("in Residential Care", 28.0),
        (COVER_BODY[0], 10.0),
        (COVER_BODY[1], 10.0),
    ]


def test_it_suggests_the_largest_text_as_the_title(cover_pdf):
    extraction = extract(cover_pdf)
    vocabulary = {"organisations": [], "topics": [], "regions": []}

    def titles(**sized) -> list[tuple[str, str]]:
        found = suggest_metadata(
            extraction.page_texts, extraction.metadata, vocabulary, **sized
        )
        return [(s.value, s.source) for s in found if s.field == "title"]

    # From the text alone the strapline runs into the title.
    first_lines = (
        "An independent review for the Care Inspectorate "
        "Safeguarding Children in Residential Care"
    )
    assert titles() == [(first_lines, "first lines of page 1")]
    assert titles(first_page_lines=extraction.first_page_lines) == [
        ("Safeguarding Children in Residential Care", "largest text on page 1"),
        (first_lines, "first lines of page 1"),
    ]


def test_it_measures_type_as_printed_and_cleans_lines(tmp_path):
    path = tmp_path / "scaled.pdf"
    pdf = canvas.Canvas(str(path))
    # Some producers set every font at 1 point and scale the text instead.
    scaled = pdf.beginText()
    scaled.setTextTransform(24, 0, 0, 24, 72, 700)
    scaled.setFont("Helvetica", 1)
    scaled.textOut("Scaled by the text matrix")
    pdf.drawText(scaled)
    pdf.saveState()
    pdf.translate(72, 640)
    pdf.scale(2, 2)
    pdf.setFont("Helvetica", 9)
    pdf.drawString(0, 0, "Scaled by the page")
    pdf.restoreState()
    # PDFium joins a word broken at a line end with U+FFFE, a non-character.
    pdf.setFont("Helvetica", 10)
    pdf.drawString(72, 560, "Child traf-")
    pdf.drawString(72, 546, "ficking in border towns")
    pdf.showPage()
    pdf.save()
    assert extract(path).first_page_lines == [
        ("Scaled by the text matrix", 24.0),
        ("Scaled by the page", 18.0),
        ("Child trafficking in border towns", 10.0),
    ]


def test_it_keeps_the_first_80_lines_of_page_one(tmp_path):
    lines = [f"Line {n} of a long first page" for n in range(1, 101)]
    path = tmp_path / "dense.pdf"
    pdf = canvas.Canvas(str(path), pagesize=(595, 1600))
    pdf.setFont("Helvetica", 9)
    for number, line in enumerate(lines):
        pdf.drawString(72, 1560 - 15 * number, line)
    pdf.showPage()
    pdf.save()
    assert extract(path).first_page_lines == [(line, 9.0) for line in lines[:80]]


def test_it_reads_xmp_metadata(tmp_path):
    path = tmp_path / "xmp.pdf"
    path.write_bytes(pdf_with_xmp())
    metadata = extract(path).metadata
    assert metadata["dc_title"] == "Trafficking in Persons Report"
    assert metadata["dc_creator"] == ["Ana Silva", "Kwame Mensah"]
    assert metadata["dc_date"] == "2022-05-01"
    assert metadata["title"] == "Info title"


@pytest.mark.parametrize(
    "raw, iso",
    [
        ("D:20210901120000+02'00'", "2021-09-01T12:00:00+02:00"),
        ("D:20210901120000Z", "2021-09-01T12:00:00+00:00"),
        ("20210901", "2021-09-01"),
        ("D:2021", "2021"),
        ("D:20211301", None),
        ("yesterday", None),
    ],
)
def test_it_reads_pdf_dates_as_iso_8601(raw, iso):
    assert pdf_date(raw) == iso


def test_it_flags_a_scanned_pdf_for_ocr(tmp_path):
    scan = Image.new("L", (600, 800), 255)
    ImageDraw.Draw(scan).text((50, 50), "Scanned page: no text layer", fill=0)
    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    for _ in range(2):
        pdf.drawImage(ImageReader(scan), 0, 0, width=595, height=842)
        pdf.showPage()
    pdf.save()
    extraction = extract(path)
    assert (extraction.page_texts, extraction.needs_ocr) == (["", ""], True)
    assert extraction.word_count == 0
    assert extraction.language is None
    assert extraction.thumbnail is not None


def test_it_explains_a_password_protected_pdf(tmp_path):
    path = make_pdf(tmp_path / "secret.pdf", PAGES, encrypt="secret")
    with pytest.raises(ExtractionError) as caught:
        extract(path)
    assert caught.value.reason == "the PDF is password-protected"


def test_it_explains_a_truncated_pdf(tmp_path, report_pdf):
    path = tmp_path / "truncated.pdf"
    path.write_bytes(report_pdf.read_bytes()[:1500])
    with pytest.raises(ExtractionError) as caught:
        extract(path)
    assert caught.value.reason == "the file is damaged: it is not a readable PDF"


def test_it_reads_2000_pages_and_stops_at_the_page_limit(long_pdf):
    extraction = extract(long_pdf)
    assert (extraction.page_count, len(extraction.page_texts)) == (2000, 2000)
    assert extraction.page_texts[1999] == "Page 2000 of the annual report."
    assert extraction.warnings == []

    cut = extract(long_pdf, limits=Limits(max_pages=1500))
    assert (cut.page_count, len(cut.page_texts)) == (2000, 1500)
    assert cut.warnings == [
        "only the first 1,500 of 2,000 pages were read (the limit is 1,500 pages)"
    ]


def test_it_reads_a_docx():
    extraction = extract(FIXTURES / "report.docx")
    assert extraction.page_texts == [
        "\n\n".join([TITLE, *PAGES_OF_FIXTURES, "Referrals", "312"])
    ]
    assert extraction.metadata["title"] == TITLE
    assert extraction.metadata["author"] == AUTHOR
    assert extraction.metadata["keywords"] == "trafficking; child protection"
    assert extraction.metadata["created"] == "2021-09-01T12:00:00Z"
    assert (extraction.page_count, extraction.thumbnail) == (1, None)
    assert extraction.language == "en"


def test_it_reads_an_odt():
    extraction = extract(FIXTURES / "report.odt")
    assert extraction.page_texts == ["\n\n".join([TITLE, *PAGES_OF_FIXTURES])]
    assert {k: extraction.metadata[k] for k in ("title", "author", "created")} == {
        "title": TITLE,
        "author": AUTHOR,
        "created": "2021-09-01T12:00:00",
    }


def test_it_reads_an_epub_in_spine_order():
    extraction = extract(FIXTURES / "report.epub")
    assert extraction.page_texts == ["\n\n".join(PAGES_OF_FIXTURES)]
    assert extraction.metadata == {
        "title": TITLE,
        "author": AUTHOR,
        "publisher": "Save the Children",
        "language": "en",
        "created": "2021-09-01",
        "modified": "2021-09-02T10:00:00Z",
    }


def test_it_reads_html_without_scripts_or_styles():
    extraction = extract(FIXTURES / "report.html")
    assert extraction.page_texts == [
        "Accueil\n\nProtection de l'enfance\n\nLa traite des enfants reste un "
        "crime grave qui touche des milliers de familles dans la région.\n\n"
        "Les comités communautaires ont signalé 312 cas au cours de l'année."
    ]
    assert extraction.metadata == {
        "language": "fr",
        "title": "Protection de l'enfance : rapport annuel",
        "author": AUTHOR,
        "subject": "Rapport sur la traite des enfants",
    }
    assert extraction.language == "fr"


def test_it_reads_text_in_its_own_encoding():
    extraction = extract(FIXTURES / "report.txt")
    assert extraction.page_texts[0].startswith("Protection de l'enfance : résumé")
    assert extraction.page_texts[0].endswith("Été 2021, référé à l'équipe régionale.")
    assert (extraction.language, extraction.metadata) == ("fr", {})


def test_it_reads_rtf():
    extraction = extract(FIXTURES / "report.rtf")
    assert extraction.page_texts == [
        f"{PAGES_OF_FIXTURES[0]}\n\n{PAGES_OF_FIXTURES[1][:-1]}; café owners helped."
    ]
    assert extraction.metadata == {"title": TITLE, "author": AUTHOR}


def test_it_cuts_formats_without_pages_into_500_word_pages():
    paragraphs = [" ".join(["word"] * 100)] * 12
    pages, count = paginate(paragraphs, Limits(), warnings := [])
    assert [count_words(page) for page in pages] == [500, 500, 200]
    assert (count, warnings) == (3, [])
    pages, count = paginate(paragraphs, Limits(max_pages=2), warnings)
    assert (len(pages), count) == (2, 3)
    assert warnings == ["only the first 2 of 3 pages were read (the limit is 2 pages)"]


def test_it_cuts_one_endless_paragraph_too():
    pages, _ = paginate([" ".join(["word"] * 1200)], Limits(), [])
    assert [count_words(page) for page in pages] == [500, 500, 200]


def test_it_counts_words_in_scripts_without_spaces():
    assert count_words("Child protection, 2021: 312 cases.") == 5
    assert count_words("儿童保护") == 4


@pytest.mark.parametrize(
    "text, language",
    [
        ("La traite des êtres humains est un crime grave qui touche des millions "
         "de personnes.", "fr"),
        ("El trabajo infantil sigue siendo un problema grave en muchas regiones "
         "del mundo.", "es"),
        ("Защита детей от эксплуатации является приоритетом для правительства.",
         "ru"),
        ("Too short.", None),
        ("", None),
    ],
)  # fmt: skip
def test_it_detects_the_language(text, language):
    assert detect_language(text) == language


def test_it_explains_files_it_cannot_read(tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04" + bytes(100))
    with pytest.raises(ExtractionError) as caught:
        extract(broken, "application/vnd.oasis.opendocument.text")
    assert caught.value.reason.startswith("the file is damaged: ")
    with pytest.raises(ExtractionError) as caught:
        extract(broken, "image/png")
    assert caught.value.reason == "no reader for files of type image/png"


@pytest.mark.parametrize("name", ["report.docx", "report.odt", "report.epub"])
def test_it_explains_damaged_documents_and_never_crashes(tmp_path, name):
    original = (FIXTURES / name).read_bytes()
    media_type = extract(FIXTURES / name).media_type
    rng = random.Random(name)
    for attempt in range(40):
        damaged = bytearray(original[: rng.randrange(1, len(original))])
        if attempt % 2:  # flip bytes instead of cutting the file short
            damaged = bytearray(original)
            for _ in range(rng.randrange(1, 20)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        path = tmp_path / f"{attempt}-{name}"
        path.write_bytes(damaged)
        try:
            extract(path, media_type)
        except ExtractionError as exc:
            # A flipped flag bit can make a part look encrypted, too.
            assert exc.reason.startswith(("the file is damaged: ", "the file is pa"))


def test_it_sniffs_when_no_type_is_given(tmp_path):
    script = tmp_path / "run.txt"
    script.write_text("#!/usr/bin/env python\nprint('hi')\n")
    with pytest.raises(Refused):
        extract(script)


# Isolation: real worker processes, real limits.


def test_it_extracts_in_a_worker(report_pdf):
    extraction = extract_isolated(report_pdf)
    assert isinstance(extraction, Extraction)
    assert extraction.page_texts == PAGES


def test_it_stops_a_worker_that_takes_too_long(slow_pdf, report_pdf):
    with pytest.raises(ExtractionError) as caught:
        extract_isolated(slow_pdf, limits=Limits(seconds=0.5))
    assert caught.value.reason == "took longer than 0.5 s"
    assert extract_isolated(report_pdf).page_texts == PAGES  # a fresh worker


def test_it_stops_a_worker_that_needs_too_much_memory(long_pdf, report_pdf):
    with pytest.raises(ExtractionError) as caught:
        extract_isolated(long_pdf, limits=Limits(memory_mb=1))
    assert caught.value.reason.startswith("needed more than 1 MB of memory")
    assert extract_isolated(report_pdf).page_texts == PAGES


def test_it_reports_a_worker_that_crashed(slow_pdf, report_pdf):
    def kill_worker_soon() -> None:
        time.sleep(0.3)
        for pid in worker_pids():
            os.kill(pid, signal.SIGSEGV)

    threading.Thread(target=kill_worker_soon).start()
    with pytest.raises(ExtractionError) as caught:
        extract_isolated(slow_pdf)
    assert caught.value.reason == "the extractor crashed (signal 11, SIGSEGV)"
    assert extract_isolated(report_pdf).page_texts == PAGES


def test_it_extracts_many_files_two_at_a_time(tmp_path, report_pdf, long_pdf):
    secret = make_pdf(tmp_path / "secret.pdf", PAGES, encrypt="secret")
    picture = tmp_path / "photo.pdf"
    Image.new("RGB", (4, 4)).save(picture, format="PNG")
    tasks = [report_pdf, (long_pdf, "application/pdf"), secret, picture]
    outcomes = dict(extract_many(tasks, workers=2))
    assert outcomes[report_pdf].page_texts == PAGES
    assert outcomes[long_pdf].page_count == 2000
    assert outcomes[secret].reason == "the PDF is password-protected"
    assert isinstance(outcomes[picture], Refused)


def worker_pids() -> list[int]:
    """This process's extraction workers, found in /proc."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and b"clearinghouse.ingest.isolation" in command:
            pids.append(int(entry.name))
    return pids


PAGES_OF_FIXTURES = [
    "Children on the move face grave risks of trafficking and exploitation.",
    "Case workers in border towns reported 312 referrals during the year.",
    "Community-based child protection committees reduced the time to identify "
    "unaccompanied children from weeks to days.",
]


def pdf_with_xmp() -> bytes:
    """A one-page PDF with an info dictionary and an XMP packet, written by
    hand (reportlab writes no XMP)."""
    xmp = XMP.encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%s\nendstream"
        % (len(xmp), xmp),
        b"<< /Title (Info title) >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


XMP = """<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <dc:title><rdf:Alt>
    <rdf:li xml:lang="fr">Rapport sur la traite des personnes</rdf:li>
    <rdf:li xml:lang="x-default">Trafficking in Persons Report</rdf:li>
   </rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>Ana Silva</rdf:li><rdf:li>Kwame Mensah</rdf:li>
   </rdf:Seq></dc:creator>
   <dc:date><rdf:Seq><rdf:li>2022-05-01</rdf:li></rdf:Seq></dc:date>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
