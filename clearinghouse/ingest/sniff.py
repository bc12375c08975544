"""Decide what a file is from its bytes, and refuse what is not a document.

The library stores documents and their metadata only: never images, video or
audio (a safety rule in this sector), nor archives or programs, whose contents
cannot be checked. The file name is never trusted; only the bytes are.

Accepted: PDF, DOCX, ODT, EPUB, HTML, plain text and RTF. Text that starts
with a shebang (``#!``) is a script and is refused with executables: nothing
in this library's scope starts that way, and a script is a program, not a
document.
"""

import dataclasses
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

# Enough bytes for every signature below (tar's is at 257) and for a fair
# guess at a text file's encoding.
HEAD_BYTES = 64 * 1024
ONLY_DOCUMENTS = "this library stores documents only"


@dataclass(frozen=True)
class Sniffed:
    """A document type: ``media_type`` to store and serve, ``extension`` to
    name the file, ``label`` to show; ``charset`` for text formats."""

    media_type: str
    extension: str
    label: str
    charset: str | None = None


PDF = Sniffed("application/pdf", "pdf", "PDF")
DOCX = Sniffed(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
    "DOCX",
)
ODT = Sniffed("application/vnd.oasis.opendocument.text", "odt", "ODT")
EPUB = Sniffed("application/epub+zip", "epub", "EPUB")
HTML = Sniffed("text/html", "html", "HTML")
TEXT = Sniffed("text/plain", "txt", "plain text")
RTF = Sniffed("application/rtf", "rtf", "RTF")
ACCEPTED = (PDF, DOCX, ODT, EPUB, HTML, TEXT, RTF)

# (offset, signature, kind, label) for refused binary formats; the first
# match wins, so longer signatures come before their prefixes.
_SIGNATURES: list[tuple[int, bytes, str, str]] = [
    (0, b"\x89PNG\r\n\x1a\n", "image", "PNG"),
    (0, b"\xff\xd8\xff", "image", "JPEG"),
    (0, b"GIF87a", "image", "GIF"),
    (0, b"GIF89a", "image", "GIF"),
    (0, b"II*\x00", "image", "TIFF"),
    (0, b"MM\x00*", "image", "TIFF"),
    (0, b"\x00\x00\x01\x00", "image", "ICO"),
    (0, b"8BPS", "image", "PSD"),
    (0, b"\x00\x00\x00\x0cjP  ", "image", "JPEG 2000"),
    (0, b"\x00\x00\x00\x0cJXL ", "image", "JPEG XL"),
    (0, b"\xff\x0a", "image", "JPEG XL"),
    (0, b"\x1a\x45\xdf\xa3", "video", "Matroska/WebM"),
    (0, b"FLV\x01", "video", "FLV"),
    (0, b"\x00\x00\x01\xba", "video", "MPEG"),
    (0, b"\x00\x00\x01\xb3", "video", "MPEG"),
    (0, b"\x30\x26\xb2\x75\x8e\x66\xcf\x11", "video", "ASF/WMV"),
    (0, b"ID3", "audio", "MP3"),
    (0, b"fLaC", "audio", "FLAC"),
    (0, b"MThd", "audio", "MIDI"),
    (0, b"#!AMR", "audio", "AMR"),
    (0, b".snd", "audio", "AU"),
    (0, b"\x1f\x8b", "archive", "gzip"),
    (0, b"BZh", "archive", "bzip2"),
    (0, b"\xfd7zXZ\x00", "archive", "xz"),
    (0, b"\x28\xb5\x2f\xfd", "archive", "zstd"),
    (0, b"7z\xbc\xaf\x27\x1c", "archive", "7z"),
    (0, b"Rar!\x1a\x07", "archive", "RAR"),
    (0, b"MSCF", "archive", "CAB"),
    (0, b"PK\x07\x08", "archive", "ZIP"),
    (0, b"LZIP", "archive", "lzip"),
    (0, b"\x1f\x9d", "archive", "compress"),
    (257, b"ustar", "archive", "tar"),
    (0, b"\x7fELF", "executable", "ELF"),
    (0, b"MZ", "executable", "Windows PE"),
    (0, b"\xfe\xed\xfa\xce", "executable", "Mach-O"),
    (0, b"\xfe\xed\xfa\xcf", "executable", "Mach-O"),
    (0, b"\xce\xfa\xed\xfe", "executable", "Mach-O"),
    (0, b"\xcf\xfa\xed\xfe", "executable", "Mach-O"),
    (0, b"\xca\xfe\xba\xbe", "executable", "Mach-O/Java class"),
    (0, b"\x00asm", "executable", "WebAssembly"),
    (0, b"dex\n", "executable", "Android DEX"),
]
_RIFF_TYPES = {b"WEBP": ("image", "WebP"), b"WAVE": ("audio", "WAV")}
_RIFF_TYPES |= {b"AVI ": ("video", "AVI")}
# ISO base media ("ftyp" box) brands; any other brand is taken as video.
_FTYP_BRANDS = {b"heic": ("image", "HEIC"), b"heix": ("image", "HEIC")}
_FTYP_BRANDS |= {b"mif1": ("image", "HEIF"), b"msf1": ("image", "HEIF")}
_FTYP_BRANDS |= {b"avif": ("image", "AVIF"), b"M4A ": ("audio", "M4A")}
_FTYP_BRANDS |= {b"M4B ": ("audio", "M4A"), b"qt  ": ("video", "QuickTime")}
# Main part or mimetype of zipped formats that are documents but not accepted.
_ZIPPED_REFUSALS = {
    "macroEnabled": "macro-enabled Office documents are not accepted (macros "
    "are programs): save the document as DOCX or PDF",
    "spreadsheetml": "spreadsheets (XLSX) are not accepted: save as PDF",
    "presentationml": "presentations (PPTX) are not accepted: save as PDF",
    "opendocument.spreadsheet": "spreadsheets (ODS) are not accepted: save as PDF",
    "opendocument.presentation": "presentations (ODP) are not accepted: save as PDF",
}


class Refused(Exception):
    """The file is not a document this library accepts; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check_size(path: str | Path, max_bytes: int) -> int:
    """The size of the file at ``path``; ``Refused`` when over ``max_bytes``."""
    size = Path(path).stat().st_size
    if size > max_bytes:
        raise Refused(
            f"the file is {format_size(size)}; the limit is {format_size(max_bytes)}"
        )
    return size


def format_size(n_bytes: int) -> str:
    """``n_bytes`` in decimal units, the way file managers show them: 812 MB."""
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if n_bytes >= size:
            return f"{n_bytes / size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n_bytes} bytes"


def sniff(path: str | Path) -> Sniffed:
    """The document type of the file at ``path``, from its bytes.

    Raises ``Refused`` for empty files, images, video, audio, archives,
    executables and anything not recognised as a document.
    """
    path = Path(path)
    with path.open("rb") as f:
        head = f.read(HEAD_BYTES)
    if not head:
        raise Refused("the file is empty")
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(path)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise Refused(
            "legacy Microsoft Office files (DOC, XLS, PPT) are not accepted: "
            "save the document as DOCX or PDF"
        )
    refused = _refused_binary(head)
    if refused:
        raise Refused(refusal(*refused))
    # Only now, once no other format claimed the first bytes, may a PDF
    # header come later (a tar or zip can hold a PDF near their start).
    if _is_pdf(path, head):
        return PDF
    if head.startswith(b"{\\rtf"):
        return RTF
    return _sniff_text(head, complete=len(head) < HEAD_BYTES)


def refusal(kind: str, label: str) -> str:
    """The reason given for refusing a file of ``kind`` ("image") and ``label``."""
    what = "executable programs" if kind == "executable" else f"{kind} files"
    return f"{what} ({label}) are not accepted: {ONLY_DOCUMENTS}"


def _is_pdf(path: Path, head: bytes) -> bool:
    # PDF readers look for the header in the first 1,024 bytes (junk may come
    # first). A file that lost its header still reads if it has objects and a
    # cross-reference pointer at the end, so it is given a chance.
    if b"%PDF-" in head[:1024]:
        return True
    if not re.search(rb"\d+\s+\d+\s+obj\b", head[:1024]):
        return False
    with path.open("rb") as f:
        f.seek(max(0, path.stat().st_size - 1024))
        return b"startxref" in f.read()


def _refused_binary(head: bytes) -> tuple[str, str] | None:
    for offset, signature, kind, label in _SIGNATURES:
        if head.startswith(signature, offset):
            return kind, label
    if head.startswith(b"RIFF") and head[8:12] in _RIFF_TYPES:
        return _RIFF_TYPES[head[8:12]]
    if head[4:8] == b"ftyp":
        return _FTYP_BRANDS.get(head[8:12], ("video", "MP4"))
    if head.startswith(b"FORM") and head[8:12] in (b"AIFF", b"AIFC"):
        return "audio", "AIFF"
    if head.startswith(b"OggS"):
        return ("video", "Ogg") if b"theora" in head[:512] else ("audio", "Ogg")
    if head.startswith(b"BM") and head[6:10] == b"\x00\x00\x00\x00":
        return "image", "BMP"
    # MPEG audio frames: 11 sync bits (but FF FE is UTF-16 text's BOM).
    if head[:1] == b"\xff" and head[1:2] != b"\xfe" and head[1:2] >= b"\xe0":
        return "audio", "MP3" if head[1] & 0x06 else "AAC"
    return None


def _sniff_zip(path: Path) -> Sniffed:
    try:
        with zipfile.ZipFile(path) as archive:
            declared = _zip_declared_type(archive)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise Refused(refusal("archive", "ZIP")) from exc
    for document in (DOCX, ODT, EPUB):
        if declared in (document.media_type, _OOXML_MAIN.get(document.media_type)):
            return document
    for marker, reason in _ZIPPED_REFUSALS.items():
        if marker in declared:
            raise Refused(reason)
    raise Refused(refusal("archive", "ZIP"))


# Office Open XML names the main part's content type, not the document's.
_OOXML_MAIN = {
    DOCX.media_type: "application/vnd.openxmlformats-officedocument"
    ".wordprocessingml.document.main+xml"
}


def _zip_declared_type(archive: zipfile.ZipFile) -> str:
    # OpenDocument and EPUB name their type in a "mimetype" entry; Office
    # Open XML lists the main part's content type in [Content_Types].xml.
    names = set(archive.namelist())
    if "mimetype" in names:
        return archive.read("mimetype")[:200].decode("ascii", "replace").strip()
    if "[Content_Types].xml" in names:
        with archive.open("[Content_Types].xml") as f:
            types = f.read(200_000).decode("utf-8", "replace")
        for main in re.findall(r'ContentType="([^"]+\.main\+xml)"', types):
            return main
    return ""


def _sniff_text(head: bytes, complete: bool) -> Sniffed:
    if not complete and b"\n" in head:
        head = head[: head.rindex(b"\n") + 1]  # no character cut in half
    text, charset = _decode(head)
    if text is None:
        raise Refused(
            "the file's type was not recognised (binary data): "
            f"{ONLY_DOCUMENTS} (PDF, DOCX, ODT, EPUB, HTML, plain text, RTF)"
        )
    start = text.lstrip()[:2048].lower()
    if start.startswith("#!"):
        raise Refused(refusal("executable", "script"))
    if re.search(r"<svg[\s>]", start):
        raise Refused(refusal("image", "SVG"))
    doctype = r"(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<!doctype html"
    is_html = re.match(doctype, start, re.S) or re.search(
        r"<(html|head|body)[\s>]", start
    )
    return dataclasses.replace(HTML if is_html else TEXT, charset=charset)


def _decode(head: bytes) -> tuple[str | None, str | None]:
    """The text in ``head`` and its encoding, or (None, None) for binary data."""
    # Without a byte-order mark, NUL bytes mean binary (UTF-16 text has a BOM
    # in practice); charset-normalizer then judges whether the rest is text.
    boms = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
    if b"\x00" in head and not head.startswith(boms):
        return None, None
    best = from_bytes(head).best()
    if best is None:
        return None, None
    text = str(best)
    controls = sum(1 for c in text if c < " " and c not in "\t\n\r\f")
    if controls > len(text) / 100:
        return None, None
    # ASCII is served as UTF-8, its superset, so that later edits stay valid.
    charset = "utf-8" if best.encoding == "ascii" else best.encoding
    return text, charset
