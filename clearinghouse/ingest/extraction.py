"""A document's text, metadata and thumbnail, read by the reader for its type.

``extract(path)`` is the one entry point: it picks the reader from the media
type (sniffed from the bytes when not given), then does what every format
shares: cleaning text, counting words, detecting the language. Readers live in
``clearinghouse.ingest.readers`` and all offer ``read(path, limits)``.

Page convention: a PDF has one entry in ``page_texts`` per page. Formats
without pages (DOCX, ODT, EPUB, HTML, text, RTF) are cut at paragraph ends into
"pages" of about ``WORDS_PER_PAGE`` words, roughly a printed report page, so
that "found on page 12" and page counts read like a print edition would.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

#: Words in a "page" of a format that has no pages (about one printed page).
WORDS_PER_PAGE = 500
#: Reading speed used for ``reading_minutes``: an adult's average for prose.
WORDS_PER_MINUTE = 230

# C0 controls other than tab and newline break databases (PostgreSQL refuses
# NUL) and mean nothing in extracted text; form feed ends a PDF page anyway.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufeff\ufffe\uffff]")
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
# One word per CJK ideograph or kana (no spaces between words in those
# scripts); any other run of letters or digits is one word.
_WORDS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|\w+")


@dataclass(frozen=True)
class Limits:
    """How much work one file may cause.

    ``max_pages``: pages of text read; beyond it only the first ``max_pages``
    are read and a warning says so. ``seconds`` and ``memory_mb`` bound the
    child process in ``extract_isolated``. ``ocr`` runs tesseract (when
    installed) on PDF pages without a text layer.
    """

    max_pages: int = 2000
    seconds: float = 120.0
    memory_mb: int = 1500
    ocr: bool = False
    ocr_languages: str = "eng"
    # Cards show thumbnails 120 CSS pixels wide: 240 is sharp on 2x screens,
    # and rendering it costs half of what 300 did.
    thumbnail_width: int = 240


DEFAULT_LIMITS = Limits()


class ExtractionError(Exception):
    """The file could not be read; ``reason`` says why, for a curator."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Extraction:
    """What was read from one document.

    ``page_count`` is the document's real page count; ``page_texts`` may be
    shorter when ``Limits.max_pages`` cut it (a warning then says so).
    ``metadata`` holds only the keys found, among: title, author, subject,
    keywords, creator, producer, publisher, language, created, modified
    (ISO 8601 strings), and for PDFs with XMP: dc_title, dc_creator (a list),
    dc_date. ``thumbnail`` is WebP bytes of page 1, PDFs only.
    """

    media_type: str
    page_texts: list[str] = field(default_factory=list)
    page_count: int = 0
    metadata: dict[str, str | list[str]] = field(default_factory=dict)
    thumbnail: bytes | None = None
    language: str | None = None
    word_count: int = 0
    needs_ocr: bool = False
    warnings: list[str] = field(default_factory=list)
    #: Page 1 as (printed line, font size in points), PDFs only: the title
    #: suggestion looks for the largest text.
    first_page_lines: list[tuple[str, float]] | None = None
    #: Filled by ``analysis.analyse``: metadata suggestions as dicts (None
    #: until analysed) and the MinHash signature of the text.
    suggestions: list[dict] | None = None
    signature: bytes | None = None

    @property
    def text(self) -> str:
        """All pages, separated by a blank line."""
        return "\n\n".join(self.page_texts)

    @property
    def reading_minutes(self) -> int:
        """Minutes to read the text at ``WORDS_PER_MINUTE``; at least 1 if any."""
        if not self.word_count:
            return 0
        return max(1, round(self.word_count / WORDS_PER_MINUTE))


def extract(
    path: str | Path, media_type: str | None = None, *, limits: Limits = DEFAULT_LIMITS
) -> Extraction:
    """Read the text, metadata and thumbnail of the document at ``path``.

    Raises ``ExtractionError`` with a reason a curator can act on, and
    ``sniff.Refused`` when ``media_type`` is not given and the bytes are not a
    document. Runs in this process: use ``isolation.extract_isolated`` for
    files from outside.
    """
    # Imported here: readers import this module for Extraction and Limits.
    from clearinghouse.ingest.readers import reader_for
    from clearinghouse.ingest.sniff import sniff

    path = Path(path)
    media_type = media_type or sniff(path).media_type
    reader = reader_for(media_type)
    try:
        extraction = reader.read(path, limits)
    except (ExtractionError, MemoryError):
        raise
    except OSError as exc:
        reason = exc.strerror or describe(exc)
        raise ExtractionError(f"the file could not be opened: {reason}") from exc
    except Exception as exc:  # noqa: BLE001 - a hostile file must not crash a batch
        raise ExtractionError(f"the file is damaged: {describe(exc)}") from exc
    return finish(extraction)


def finish(extraction: Extraction) -> Extraction:
    """Clean the page texts and fill in word count and language."""
    from clearinghouse.ingest.language import detect_language

    extraction.page_texts = [clean_text(page) for page in extraction.page_texts]
    extraction.metadata = clean_metadata(extraction.metadata)
    text = extraction.text
    extraction.word_count = count_words(text)
    extraction.language = detect_language(text)
    return extraction


def clean_text(text: str) -> str:
    """Text with Windows line ends, control characters and runs of blank
    lines removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROLS.sub("", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def clean_metadata(
    metadata: dict[str, str | list[str]],
) -> dict[str, str | list[str]]:
    """Metadata with control characters removed and empty values dropped
    (files pad fields with NULs and spaces)."""
    cleaned: dict[str, str | list[str]] = {}
    for key, value in metadata.items():
        if isinstance(value, str):
            value = " ".join(_CONTROLS.sub("", value).split())
        else:
            value = [
                v for v in (" ".join(_CONTROLS.sub("", v).split()) for v in value) if v
            ]
        if value:
            cleaned[key] = value
    return cleaned


def count_words(text: str) -> int:
    """Words in ``text``; each CJK character counts as one."""
    return len(_WORDS.findall(text))


def paginate(
    paragraphs: list[str], limits: Limits, warnings: list[str]
) -> tuple[list[str], int]:
    """Group paragraphs into pages of about ``WORDS_PER_PAGE`` words.

    Returns the pages kept (at most ``limits.max_pages``) and the full count.
    """
    pages: list[str] = []
    current: list[str] = []
    words = 0
    for piece in (p for paragraph in paragraphs for p in _pieces(paragraph)):
        current.append(piece)
        words += count_words(piece)
        if words >= WORDS_PER_PAGE:
            pages.append("\n\n".join(current))
            current, words = [], 0
    if current:
        pages.append("\n\n".join(current))
    return cap_pages(pages, limits, warnings), len(pages)


def _pieces(paragraph: str) -> list[str]:
    """``paragraph`` stripped, cut into runs of ``WORDS_PER_PAGE`` tokens when
    longer (a text file without blank lines is one long paragraph)."""
    paragraph = paragraph.strip()
    if count_words(paragraph) <= WORDS_PER_PAGE:
        return [paragraph] if paragraph else []
    starts = [m.start() for m in re.finditer(r"\S+", paragraph)][::WORDS_PER_PAGE]
    ends = starts[1:] + [len(paragraph)]
    return [
        paragraph[start:end].strip() for start, end in zip(starts, ends, strict=True)
    ]


def cap_pages(pages: list[str], limits: Limits, warnings: list[str]) -> list[str]:
    """The first ``limits.max_pages`` pages, with a warning when cut."""
    if len(pages) > limits.max_pages:
        warnings.append(too_many_pages(len(pages), limits))
        return pages[: limits.max_pages]
    return pages


def too_many_pages(page_count: int, limits: Limits) -> str:
    """The warning for a document longer than ``limits.max_pages``."""
    return (
        f"only the first {limits.max_pages:,} of {page_count:,} pages were read "
        f"(the limit is {limits.max_pages:,} pages)"
    )


def describe(exc: BaseException) -> str:
    """A short description of an exception from a parser, for a reason."""
    message = str(exc).strip() or type(exc).__name__
    return message if len(message) <= 200 else message[:197] + "..."
