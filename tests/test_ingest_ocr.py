"""OCR of PDF pages without a text layer, with tesseract, turned on by
CLEARINGHOUSE_INGEST_OCR and told its languages by
CLEARINGHOUSE_INGEST_OCR_LANGUAGES."""

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pytest
from django.core.exceptions import ImproperlyConfigured
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from clearinghouse.ingest.extraction import Limits, extract
from clearinghouse.ingest.tasks import ingest_limits

SETTINGS_FILE = Path(__file__).resolve().parents[1] / "clearinghouse" / "settings.py"
WORDS = "Annual report on safeguarding practice 2024"
LANGUAGES = "CLEARINGHOUSE_INGEST_OCR_LANGUAGES"

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="needs tesseract (Debian: apt-get install tesseract-ocr)",
)


def make_scan(path: Path, pages: int = 1) -> Path:
    """A PDF of pages that are pictures of printed words: no text layer."""
    scan = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi
    font = ImageFont.load_default(size=48)
    ImageDraw.Draw(scan).text((120, 240), WORDS, fill=0, font=font)
    pdf = canvas.Canvas(str(path))
    for _ in range(pages):
        pdf.drawImage(ImageReader(scan), 0, 0, width=595, height=842)
        pdf.showPage()
    pdf.save()
    return path


@needs_tesseract
def test_it_reads_a_scanned_page_only_with_ocr_on(tmp_path):
    scan = make_scan(tmp_path / "scan.pdf")
    without = extract(scan)
    assert (without.page_texts, without.needs_ocr) == ([""], True)
    assert without.warnings == []
    read = extract(scan, limits=Limits(ocr=True))
    assert (read.page_texts, read.needs_ocr) == ([WORDS], False)
    assert read.warnings == ["1 page read by OCR (its text may contain errors)"]


@needs_tesseract
def test_it_explains_an_ocr_language_that_is_not_installed(tmp_path):
    scan = make_scan(tmp_path / "scan.pdf", pages=2)
    extraction = extract(scan, limits=Limits(ocr=True, ocr_languages="zzz"))
    assert (extraction.page_texts, extraction.needs_ocr) == (["", ""], True)
    assert extraction.warnings == [
        "OCR failed: tesseract: Failed loading language 'zzz'"
    ]


@needs_tesseract
def test_it_stops_ocr_at_the_time_limit_and_keeps_the_document(tmp_path):
    scan = make_scan(tmp_path / "scan.pdf", pages=3)
    extraction = extract(scan, limits=Limits(ocr=True, seconds=0.001))
    assert (extraction.page_texts, extraction.needs_ocr) == (["", "", ""], True)
    assert extraction.warnings == ["OCR stopped at the time limit: 3 pages not read"]


def load_settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> ModuleType:
    """settings.py read afresh, with ``env`` and without other OCR settings."""
    for name in ("CLEARINGHOUSE_INGEST_OCR", LANGUAGES):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("settings_read_again", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("env", "ocr", "languages"),
    [
        ({}, False, "eng"),
        ({"CLEARINGHOUSE_INGEST_OCR": "true"}, True, "eng"),
        ({LANGUAGES: "eng+fra+chi_sim"}, False, "eng+fra+chi_sim"),
        ({LANGUAGES: ""}, False, "eng"),
    ],
)
def test_it_reads_the_ocr_settings_from_the_environment(
    monkeypatch, env: dict[str, str], ocr: bool, languages: str
):
    settings = load_settings(monkeypatch, **env)
    read = (settings.INGEST_OCR, settings.INGEST_OCR_LANGUAGES)
    assert read == (ocr, languages)


@pytest.mark.parametrize("languages", ["eng fra", "eng,fra", "eng+", "+", "../eng"])
def test_it_refuses_ocr_languages_that_are_not_tesseract_codes(monkeypatch, languages):
    with pytest.raises(ImproperlyConfigured) as caught:
        load_settings(monkeypatch, **{LANGUAGES: languages})
    assert str(caught.value) == (
        "CLEARINGHOUSE_INGEST_OCR_LANGUAGES must be tesseract language codes "
        f"joined by '+' (like eng or eng+fra+chi_sim), not {languages!r}"
    )


def test_it_passes_the_ocr_settings_to_the_limits(settings):
    settings.INGEST_OCR = True
    settings.INGEST_OCR_LANGUAGES = "eng+deu"
    assert ingest_limits() == Limits(
        seconds=settings.INGEST_SECONDS,
        memory_mb=settings.INGEST_MEMORY_MB,
        ocr=True,
        ocr_languages="eng+deu",
    )
