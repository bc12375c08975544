"""Reading the XML parts of zipped documents (DOCX, ODT, EPUB) safely.

Not a reader itself: the helpers the three zipped readers share. A zipped
document can hold a "zip bomb" (a part that inflates to gigabytes), so every
part is read through a cap. ElementTree never fetches external entities, and
the expat it uses (2.4 and later) stops entity-expansion ("billion laughs")
attacks.
"""

import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from clearinghouse.ingest.extraction import ExtractionError

#: Largest inflated size of one part; no real document's text comes near.
MAX_PART_BYTES = 256 * 1024 * 1024

DC = "{http://purl.org/dc/elements/1.1/}"
DCTERMS = "{http://purl.org/dc/terms/}"
_REPEATABLE = {"author", "keywords"}


@contextmanager
def open_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    """The zip archive at ``path``; ``ExtractionError`` when it is damaged."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ExtractionError(f"the file is damaged: {exc}") from exc
    with archive:
        yield archive


def read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    """The inflated bytes of part ``name``, at most ``MAX_PART_BYTES``."""
    try:
        with archive.open(name) as part:
            data = part.read(MAX_PART_BYTES + 1)
    except KeyError as exc:
        raise ExtractionError(f"the file is damaged: it has no {name}") from exc
    except RuntimeError as exc:  # zipfile's word for an encrypted part
        raise ExtractionError("the file is password-protected") from exc
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise ExtractionError(f"the file is damaged: {name}: {exc}") from exc
    if len(data) > MAX_PART_BYTES:
        raise ExtractionError(
            f"the file is damaged or hostile: {name} inflates to more than "
            f"{MAX_PART_BYTES // 2**20} MB"
        )
    return data


def parse_part(archive: zipfile.ZipFile, name: str) -> ET.Element:
    """Part ``name`` parsed as XML."""
    try:
        return ET.parse(io.BytesIO(read_part(archive, name))).getroot()
    except ET.ParseError as exc:
        raise ExtractionError(f"the file is damaged: {name}: {exc}") from exc


def parse_optional_part(archive: zipfile.ZipFile, name: str) -> ET.Element | None:
    """Part ``name`` parsed as XML, or None when missing or unreadable
    (metadata parts are optional: a document reads without them)."""
    if name not in archive.namelist():
        return None
    try:
        return parse_part(archive, name)
    except ExtractionError:
        return None


def joined_path(base: str, href: str) -> str:
    """``href`` (relative to the part ``base``) as a path inside the archive."""
    parts: list[str] = []
    for part in (PurePosixPath(base).parent / href).parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part not in (".", "/"):
            parts.append(part)
    return "/".join(parts)


def text_of(element: ET.Element | None) -> str:
    """The text in ``element`` with runs of white space made single spaces."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def dublin_core(root: ET.Element | None, names: dict[str, str]) -> dict[str, str]:
    """Metadata from Dublin Core-style elements: ``names`` maps a qualified
    tag to a metadata key. Repeated authors and keywords are joined with
    "; "; of any other repeated element the first is kept."""
    found: dict[str, list[str]] = {}
    if root is not None:
        for element in root.iter():
            key = names.get(element.tag) if isinstance(element.tag, str) else None
            value = text_of(element)
            if key and value and value not in found.get(key, []):
                found.setdefault(key, []).append(value)
    return {
        key: "; ".join(values) if key in _REPEATABLE else values[0]
        for key, values in found.items()
    }
