"""PDF reader, on PDFium (pypdfium2): text per page, metadata, thumbnail,
and page 1's lines with their type sizes.

PDFium is Chrome's PDF engine: fast, permissively licensed and tolerant of
the broken files that real libraries hold. Every PDFium object is closed as
soon as it is done with, since its memory lives outside Python's collector.
"""

import io
import math
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from clearinghouse.ingest.extraction import (
    Extraction,
    ExtractionError,
    Limits,
    clean_text,
    too_many_pages,
)
from clearinghouse.ingest.readers.pdf_metadata import read_metadata

MEDIA_TYPE = "application/pdf"
#: A page with fewer visible characters than this has no real text layer
#: (a scan may still carry a page number or a stamp).
MIN_PAGE_CHARS = 20
#: Thumbnails stop at this height-to-width ratio; a taller first page is
#: cropped from the bottom, so a strip-shaped page cannot ask for a huge bitmap.
MAX_THUMBNAIL_RATIO = 1.6
#: OCR renders pages at 200 dpi (PDF units are 1/72 inch): enough for
#: tesseract on body text at a quarter of 400 dpi's pixels.
OCR_SCALE = 200 / 72
#: Share of ``Limits.seconds`` that reading with OCR may take: past it the
#: pages left keep no text and a warning says so, rather than the worker
#: being stopped and the whole document failing (tesseract takes seconds a
#: page, so a long scan would outlast the limit).
OCR_TIME_SHARE = 0.75
#: Lines of page 1 kept with their type size, for the title suggestion: a
#: title is near the top, and a dense page holds about 60 lines.
MAX_SIZED_LINES = 80
#: Characters kept of each of those lines: a printed line holds about 100,
#: and a longer one is text that PDFium could not break into lines.
MAX_LINE_CHARS = 300

_LOAD_ERRORS = {
    pdfium_c.FPDF_ERR_PASSWORD: "the PDF is password-protected",
    pdfium_c.FPDF_ERR_SECURITY: "the PDF is encrypted with an unsupported scheme",
    pdfium_c.FPDF_ERR_FORMAT: "the file is damaged: it is not a readable PDF",
    pdfium_c.FPDF_ERR_FILE: "the file could not be opened",
}
_LINE = re.compile(r"[^\r\n]+")
_WORD_START = re.compile(r"(?<!\S)\S")


def read(path: Path, limits: Limits) -> Extraction:
    """Text per page, metadata, a first-page thumbnail, page 1's lines with
    their type sizes and the needs-OCR flag; pages without text read by OCR
    when ``limits.ocr``."""
    pdf = _open(path)
    try:
        return _read_document(pdf, path, limits)
    finally:
        pdf.close()


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        reason = _LOAD_ERRORS.get(
            exc.err_code, "the file is damaged: PDFium could not load it"
        )
        raise ExtractionError(reason) from exc


def _read_document(pdf: pdfium.PdfDocument, path: Path, limits: Limits) -> Extraction:
    started = time.monotonic()
    page_count = len(pdf)
    if page_count == 0:
        raise ExtractionError("the file is damaged: the PDF has no pages")
    warnings: list[str] = []
    if page_count > limits.max_pages:
        warnings.append(too_many_pages(page_count, limits))
    pages = _Pages(limits.thumbnail_width, warnings)
    for index in range(min(page_count, limits.max_pages)):
        pages.read(pdf, index)
    pages.warn_unreadable()
    texts = pages.texts
    blank = [i for i, text in enumerate(texts) if _visible_chars(text) < MIN_PAGE_CHARS]
    if limits.ocr and blank:
        deadline = started + limits.seconds * OCR_TIME_SHARE
        blank = _ocr_pages(pdf, texts, blank, limits, warnings, deadline)
    return Extraction(
        media_type=MEDIA_TYPE,
        page_texts=texts,
        page_count=page_count,
        metadata=read_metadata(pdf, path, warnings),
        thumbnail=pages.thumbnail,
        # A scan: most pages have no text layer, whatever the cover says.
        needs_ocr=len(blank) > len(texts) / 2,
        warnings=warnings,
        first_page_lines=pages.first_page_lines,
    )


class _Pages:
    """Text of each page read, and the thumbnail and sized lines of the first
    (taken while that page is loaded: loading a page parses its content, the
    costly part)."""

    def __init__(self, thumbnail_width: int, warnings: list[str]) -> None:
        self.thumbnail_width = thumbnail_width
        self.warnings = warnings
        self.texts: list[str] = []
        self.thumbnail: bytes | None = None
        self.first_page_lines: list[tuple[str, float]] | None = None
        self.unreadable: list[int] = []

    def read(self, pdf: pdfium.PdfDocument, index: int) -> None:
        try:
            page = pdf[index]
        except pdfium.PdfiumError:
            self.texts.append("")
            self.unreadable.append(index + 1)
            return
        try:
            text, lines = _page_text(page, sized=index == 0)
            self.texts.append(text)
            if index == 0:
                self.first_page_lines = lines
                self.thumbnail = _thumbnail(page, self.thumbnail_width, self.warnings)
        except pdfium.PdfiumError:
            self.texts.append("")
            self.unreadable.append(index + 1)
        finally:
            page.close()

    def warn_unreadable(self) -> None:
        if self.unreadable:
            shown = ", ".join(map(str, self.unreadable[:10]))
            more = "…" if len(self.unreadable) > 10 else ""
            count = _pages(len(self.unreadable))
            self.warnings.append(f"{count} could not be read (pages {shown}{more})")


def _page_text(
    page: pdfium.PdfPage, sized: bool = False
) -> tuple[str, list[tuple[str, float]] | None]:
    """The page's text and, when ``sized``, its lines with their type sizes."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        return text, _sized_lines(textpage, text) if sized else None
    finally:
        textpage.close()


def _sized_lines(textpage: pdfium.PdfTextPage, text: str) -> list[tuple[str, float]]:
    """The first ``MAX_SIZED_LINES`` lines of ``text`` as (line, size in
    points), a line's size being its largest type's.

    ``text`` is the page's ``get_text_range()``. PDFium tells the size of one
    character a call (a microsecond each through ctypes), so lines are
    sampled: a text object has one font size and matrix, and
    ``FPDFText_CountRects`` counts a line's objects (one rectangle each), so
    a line drawn by one object is asked once, any other at each word's start.
    """
    raw = textpage.raw
    char_index = _char_indexer(textpage, text)
    matrix = pdfium_c.FS_MATRIX()
    lines: list[tuple[str, float]] = []
    for line in _LINE.finditer(text):
        start, end = line.start(), min(line.end(), line.start() + MAX_LINE_CHARS)
        printed = " ".join(clean_text(text[start:end]).split())
        if not printed:
            continue
        first, last = char_index(start), char_index(end - 1)
        objects = (
            pdfium_c.FPDFText_CountRects(raw, first, last - first + 1)
            if 0 <= first <= last
            else 0
        )
        size = 0.0
        for word in _WORD_START.finditer(text, start, end):
            index = char_index(word.start())
            size = max(size, _char_size(raw, index, matrix))
            if size and objects == 1:
                break
        lines.append((printed, round(size, 1)))
        if len(lines) == MAX_SIZED_LINES:
            break
    return lines


def _char_indexer(textpage: pdfium.PdfTextPage, text: str) -> Callable[[int], int]:
    """Maps a position in ``text`` to PDFium's character index.

    They are the same number unless PDFium left characters out of its text
    or added some, or the text holds characters beyond U+FFFF: PDFium counts
    UTF-16 code units, and such a character is two of them.
    """
    units = len(text.encode("utf-16-le")) // 2
    if units == len(text) == textpage.count_chars():
        return lambda position: position
    raw = textpage.raw
    offsets = list(accumulate((1 + (ord(char) > 0xFFFF) for char in text), initial=0))
    return lambda position: pdfium_c.FPDFText_GetCharIndexFromTextIndex(
        raw, offsets[position]
    )


def _char_size(
    raw: pdfium_c.FPDF_TEXTPAGE, index: int, matrix: pdfium_c.FS_MATRIX
) -> float:
    """The printed size of character ``index``: its font size scaled by its
    matrix (some producers set every font at 1 point and scale the text)."""
    if index < 0:
        return 0.0
    size = pdfium_c.FPDFText_GetFontSize(raw, index)
    if pdfium_c.FPDFText_GetMatrix(raw, index, matrix):
        # The matrix maps the glyph's vertical unit to (c, d) on the page.
        size *= math.hypot(matrix.c, matrix.d)
    return size


def _pages(count: int) -> str:
    return f"{count} page" if count == 1 else f"{count} pages"


def _visible_chars(text: str) -> int:
    return len("".join(text.split()))


def _thumbnail(page: pdfium.PdfPage, width: int, warnings: list[str]) -> bytes | None:
    """``page`` as WebP, ``width`` pixels wide."""
    page_width, page_height = page.get_size()
    if page_width <= 0 or page_height <= 0:
        warnings.append("no thumbnail: the first page has no size")
        return None
    crop_bottom = max(0.0, page_height - page_width * MAX_THUMBNAIL_RATIO)
    try:
        # A cover this small looks the same without annotations, form fields
        # and smoothed images, and renders in two thirds of the time.
        bitmap = page.render(
            scale=width / page_width,
            crop=(0, crop_bottom, 0, 0),
            draw_annots=False,
            may_draw_forms=False,
            no_smoothimage=True,
        )
    except pdfium.PdfiumError:
        warnings.append("no thumbnail: the first page could not be rendered")
        return None
    try:
        image = bitmap.to_pil()
    finally:
        bitmap.close()
    buffer = io.BytesIO()
    # method=0 is libwebp's fastest setting: a tenth of the default's time
    # for a file about 15 % larger, on images this small.
    image.save(buffer, format="WEBP", quality=75, method=0)
    return buffer.getvalue()


def _ocr_pages(
    pdf: pdfium.PdfDocument,
    texts: list[str],
    blank: list[int],
    limits: Limits,
    warnings: list[str],
    deadline: float,
) -> list[int]:
    """OCR the ``blank`` pages in place until ``deadline`` (a ``time.monotonic``
    time); return the pages still without text."""
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        warnings.append("OCR is enabled but tesseract is not installed")
        return blank
    read = set()
    for done, index in enumerate(blank):
        try:
            text = _ocr_page(pdf, index, tesseract, limits.ocr_languages, deadline)
        except subprocess.TimeoutExpired:
            unread = _pages(len(blank) - done)
            warnings.append(f"OCR stopped at the time limit: {unread} not read")
            break
        except _OcrFailed as exc:
            warnings.append(f"OCR failed: {exc}")
            break
        if _visible_chars(text) >= MIN_PAGE_CHARS:
            texts[index] = text
            read.add(index)
    if read:
        its = "its" if len(read) == 1 else "their"
        warnings.append(
            f"{_pages(len(read))} read by OCR ({its} text may contain errors)"
        )
    return [index for index in blank if index not in read]


class _OcrFailed(Exception):
    """tesseract ran and failed: a language not installed, as a rule."""


def _ocr_page(
    pdf: pdfium.PdfDocument,
    index: int,
    tesseract: str,
    languages: str,
    deadline: float,
) -> str:
    """The text tesseract reads on page ``index``; "" when the page cannot be
    rendered. Raises ``subprocess.TimeoutExpired`` past ``deadline``."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise subprocess.TimeoutExpired(tesseract, 0)
    try:
        png = _page_png(pdf, index)
    except pdfium.PdfiumError:
        return ""
    # tesseract reads the image from stdin and writes plain text to stdout.
    # One thread: its OpenMP threads slow it down, and more so when two
    # workers run at once (tesseract-ocr/tesseract#3109).
    done = subprocess.run(
        [tesseract, "stdin", "stdout", "-l", languages],
        input=png,
        capture_output=True,
        timeout=left,
        env={"OMP_THREAD_LIMIT": "1", **os.environ},
    )
    if done.returncode != 0:
        raise _OcrFailed(_tesseract_error(done.stderr, done.returncode))
    return done.stdout.decode("utf-8", "replace")


def _page_png(pdf: pdfium.PdfDocument, index: int) -> bytes:
    """Page ``index`` as a grayscale PNG at ``OCR_SCALE``."""
    page = pdf[index]
    try:
        bitmap = page.render(scale=OCR_SCALE, grayscale=True)
        try:
            image = bitmap.to_pil()
        finally:
            bitmap.close()
    finally:
        page.close()
    png = io.BytesIO()
    image.save(png, format="PNG")
    return png.getvalue()


def _tesseract_error(stderr: bytes, returncode: int) -> str:
    """The line of tesseract's errors that says what went wrong."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    about_language = [line for line in lines if "language" in line.lower()]
    reason = (about_language or lines[-1:] or [f"exit status {returncode}"])[0]
    return f"tesseract: {reason}"
