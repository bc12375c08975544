"""Sniffing: documents are recognised from their bytes; everything else is
refused with a reason a curator can read."""

import gzip
import io
import tarfile
import wave
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from reportlab.pdfgen import canvas

from clearinghouse.ingest.sniff import (
    DOCX,
    EPUB,
    ODT,
    PDF,
    RTF,
    Refused,
    check_size,
    format_size,
    sniff,
)

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
ONLY_DOCUMENTS = "are not accepted: this library stores documents only"


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def image_bytes(format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format=format)
    return buffer.getvalue()


def zip_bytes(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def refusal(tmp_path: Path, data: bytes | str, name: str = "report.pdf") -> str:
    # Every hostile file is named like a document: only the bytes count.
    with pytest.raises(Refused) as caught:
        sniff(write(tmp_path, name, data))
    return caught.value.reason


@pytest.mark.parametrize(
    "name, expected",
    [
        ("report.docx", DOCX),
        ("report.odt", ODT),
        ("report.epub", EPUB),
        ("report.rtf", RTF),
    ],
)
def test_it_recognises_committed_documents(name, expected):
    assert sniff(FIXTURES / name) == expected


def test_it_recognises_html_and_text_with_their_charsets():
    html = sniff(FIXTURES / "report.html")
    text = sniff(FIXTURES / "report.txt")
    assert (html.media_type, html.label) == ("text/html", "HTML")
    assert (text.media_type, text.extension) == ("text/plain", "txt")
    assert html.charset == text.charset == "cp1252"


def test_it_recognises_a_pdf_by_its_bytes_whatever_its_name(tmp_path):
    path = tmp_path / "notes.txt"
    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 720, "Annual report")
    pdf.save()
    assert sniff(path) == PDF


def test_it_accepts_a_pdf_with_junk_before_its_header(tmp_path):
    path = write(tmp_path, "x", b"\r\n\x00junk\n%PDF-1.4\n1 0 obj << >> endobj\n")
    assert sniff(path) == PDF


@pytest.mark.parametrize(
    "data, media_type",
    [
        ("<!DOCTYPE html><title>t</title><p>Hello", "text/html"),
        ("  <html lang='en'><body>Hello</body></html>", "text/html"),
        ('<?xml version="1.0"?>\n<!DOCTYPE html><html></html>', "text/html"),
        ("Plain words, and a < sign.\n", "text/plain"),
        ("\ufeffUTF-16 text with a byte-order mark\n".encode("utf-16"), "text/plain"),
    ],
)
def test_it_tells_html_from_text(tmp_path, data, media_type):
    assert sniff(write(tmp_path, "page.bin", data)).media_type == media_type


@pytest.mark.parametrize(
    "format, label",
    [
        ("PNG", "PNG"),
        ("JPEG", "JPEG"),
        ("GIF", "GIF"),
        ("WEBP", "WebP"),
        ("TIFF", "TIFF"),
        ("BMP", "BMP"),
        ("ICO", "ICO"),
    ],
)
def test_it_refuses_images(tmp_path, format, label):
    reason = refusal(tmp_path, image_bytes(format))
    assert reason == f"image files ({label}) {ONLY_DOCUMENTS}"


def test_it_refuses_svg_and_heic_images(tmp_path):
    svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"
    assert refusal(tmp_path, svg) == f"image files (SVG) {ONLY_DOCUMENTS}"
    assert refusal(tmp_path, heic) == f"image files (HEIC) {ONLY_DOCUMENTS}"


def test_it_refuses_video(tmp_path):
    mp4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"
    webm = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01"
    assert refusal(tmp_path, mp4) == f"video files (MP4) {ONLY_DOCUMENTS}"
    assert refusal(tmp_path, webm) == f"video files (Matroska/WebM) {ONLY_DOCUMENTS}"


def test_it_refuses_audio(tmp_path):
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(b"\x00\x00" * 800)
    mp3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" * 10
    assert refusal(tmp_path, mp3) == f"audio files (MP3) {ONLY_DOCUMENTS}"
    assert refusal(tmp_path, b"\xff\xfb\x90\x64" * 10) == (
        f"audio files (MP3) {ONLY_DOCUMENTS}"
    )
    assert refusal(tmp_path, buffer.getvalue()) == f"audio files (WAV) {ONLY_DOCUMENTS}"


def test_it_refuses_archives(tmp_path):
    tar_buffer = io.BytesIO()
    with tarfile.open(fileobj=tar_buffer, mode="w") as tar:
        info = tarfile.TarInfo("report.pdf")
        info.size = 5
        tar.addfile(info, io.BytesIO(b"%PDF-"))
    cases = {
        "ZIP": zip_bytes({"report.pdf": "%PDF-1.7"}),
        "gzip": gzip.compress(b"%PDF-1.7"),
        "tar": tar_buffer.getvalue(),
        "7z": b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(24),
        "RAR": b"Rar!\x1a\x07\x01\x00" + bytes(24),
    }
    for label, data in cases.items():
        assert refusal(tmp_path, data) == f"archive files ({label}) {ONLY_DOCUMENTS}"


def test_it_refuses_executables_and_scripts(tmp_path):
    elf = b"\x7fELF\x02\x01\x01" + bytes(57)
    pe = b"MZ\x90\x00\x03" + bytes(59)
    mach_o = b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + bytes(24)
    script = "#!/bin/sh\nrm -rf /\n"
    assert refusal(tmp_path, elf) == f"executable programs (ELF) {ONLY_DOCUMENTS}"
    assert refusal(tmp_path, pe) == (
        f"executable programs (Windows PE) {ONLY_DOCUMENTS}"
    )
    assert refusal(tmp_path, mach_o) == f"executable programs (Mach-O) {ONLY_DOCUMENTS}"
    assert refusal(tmp_path, script) == f"executable programs (script) {ONLY_DOCUMENTS}"


def test_it_refuses_office_files_it_does_not_take_with_a_way_out(tmp_path):
    xlsx = zip_bytes(
        {
            "[Content_Types].xml": '<Types><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument'
            '.spreadsheetml.sheet.main+xml"/></Types>'
        }
    )
    legacy_doc = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    assert refusal(tmp_path, xlsx) == (
        "spreadsheets (XLSX) are not accepted: save as PDF"
    )
    assert refusal(tmp_path, legacy_doc) == (
        "legacy Microsoft Office files (DOC, XLS, PPT) are not accepted: "
        "save the document as DOCX or PDF"
    )


def test_it_refuses_empty_files_and_unknown_binary_data(tmp_path):
    assert refusal(tmp_path, b"") == "the file is empty"
    assert refusal(tmp_path, bytes(range(256)) * 4) == (
        "the file's type was not recognised (binary data): this library stores "
        "documents only (PDF, DOCX, ODT, EPUB, HTML, plain text, RTF)"
    )


def test_it_refuses_files_over_the_size_limit(tmp_path):
    path = tmp_path / "huge.pdf"
    with path.open("wb") as f:
        f.truncate(812_000_000)  # sparse: no disk used
    with pytest.raises(Refused) as caught:
        check_size(path, 200_000_000)
    assert caught.value.reason == "the file is 812 MB; the limit is 200 MB"
    assert check_size(path, 812_000_000) == 812_000_000


@pytest.mark.parametrize(
    "n_bytes, shown",
    [
        (900, "900 bytes"),
        (1_500, "1.5 KB"),
        (200_400_000, "200.4 MB"),
        (3 * 10**9, "3 GB"),
    ],
)
def test_it_shows_sizes_as_file_managers_do(n_bytes, shown):
    assert format_size(n_bytes) == shown
