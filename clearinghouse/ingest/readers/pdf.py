"""PDF reader, on PDFium (pypdfium2): text per page, metadata, thumbnail.

PDFium is Chrome's PDF engine: fast, permissively licensed and tolerant of
the broken files that real libraries hold. Every PDFium object is closed as
soon as it is done with, since its memory lives outside Python's collector.
"""

import io
import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from clearinghouse.ingest.extraction import (
    Extraction,
    ExtractionError,
    Limits,
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

_LOAD_ERRORS = {
    pdfium_c.FPDF_ERR_PASSWORD: "the PDF is password-protected",
    pdfium_c.FPDF_ERR_SECURITY: "the PDF is encrypted with an unsupported scheme",
    pdfium_c.FPDF_ERR_FORMAT: "the file is damaged: it is not a readable PDF",
    pdfium_c.FPDF_ERR_FILE: "the file could not be opened",
}


def read(path: Path, limits: Limits) -> Extraction:
    """Text per page, metadata, a first-page thumbnail and the needs-OCR flag."""
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
        blank = _ocr_pages(pdf, texts, blank, limits, warnings)
    return Extraction(
        media_type=MEDIA_TYPE,
        page_texts=texts,
        page_count=page_count,
        metadata=read_metadata(pdf, path, warnings),
        thumbnail=pages.thumbnail,
        # A scan: most pages have no text layer, whatever the cover says.
        needs_ocr=len(blank) > len(texts) / 2,
        warnings=warnings,
    )


class _Pages:
    """Text of each page read, and the thumbnail of the first (rendered while
    that page is loaded: loading a page parses its content, the costly part)."""

    def __init__(self, thumbnail_width: int, warnings: list[str]) -> None:
        self.thumbnail_width = thumbnail_width
        self.warnings = warnings
        self.texts: list[str] = []
        self.thumbnail: bytes | None = None
        self.unreadable: list[int] = []

    def read(self, pdf: pdfium.PdfDocument, index: int) -> None:
        try:
            page = pdf[index]
        except pdfium.PdfiumError:
            self.texts.append("")
            self.unreadable.append(index + 1)
            return
        try:
            self.texts.append(_page_text(page))
            if index == 0:
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


def _page_text(page: pdfium.PdfPage) -> str:
    textpage = page.get_textpage()
    try:
        return textpage.get_text_range()
    finally:
        textpage.close()


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
        bitmap = page.render(scale=width / page_width, crop=(0, crop_bottom, 0, 0))
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
) -> list[int]:
    """OCR the ``blank`` pages in place; return the pages still without text."""
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        warnings.append("OCR is enabled but tesseract is not installed")
        return blank
    still_blank = []
    for index in blank:
        text = _ocr_page(pdf, index, tesseract, limits)
        if _visible_chars(text) < MIN_PAGE_CHARS:
            still_blank.append(index)
        else:
            texts[index] = text
    if len(still_blank) < len(blank):
        read = _pages(len(blank) - len(still_blank))
        warnings.append(f"{read} read by OCR (its text may contain errors)")
    return still_blank


def _ocr_page(
    pdf: pdfium.PdfDocument, index: int, tesseract: str, limits: Limits
) -> str:
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
    # tesseract reads the image from stdin and writes plain text to stdout.
    command = [tesseract, "stdin", "stdout", "-l", limits.ocr_languages]
    try:
        done = subprocess.run(
            command, input=png.getvalue(), capture_output=True, timeout=limits.seconds
        )
    except subprocess.TimeoutExpired:
        return ""
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else ""
