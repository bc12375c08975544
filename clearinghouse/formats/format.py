"""What every file format offers: a name, a media type, a reader and a writer.

Native records (``formats/native.py``) are the common currency: a reader turns
a text stream into (line number, raw native record) pairs, a writer turns
native records into text. The importer and exporters never see a format's own
syntax, so a new format is one module and one line in ``registry.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO


class ReadError:
    """Stands in for a record a reader could not parse, so that the importer
    can report every bad record of a file at once."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __repr__(self) -> str:
        return f"ReadError({self.message!r})"


Row = tuple[int, "dict | ReadError | object"]
Reader = Callable[[IO[str]], Iterator[Row]]
Writer = Callable[[Iterable[dict], IO[str]], int]


@dataclass(frozen=True)
class Format:
    """One file format: ``read(stream)`` yields (line, raw record or ReadError);
    ``write(records, stream)`` writes native records and returns their count.

    ``native`` formats (JSON Lines, CSV) carry every field of a record, access
    and status included: what they say about a field is the truth. The others
    are citation managers' formats: they know nothing of status or access, so
    the records they create are drafts and, on a match, they only fill in
    fields the library has left empty (see ``importing.py``).
    """

    name: str
    label: str
    media_type: str
    extension: str
    read: Reader
    write: Writer
    native: bool = False
    other_extensions: tuple[str, ...] = ()

    @property
    def extensions(self) -> tuple[str, ...]:
        return (self.extension, *self.other_extensions)

    @property
    def content_type(self) -> str:
        """The media type with its charset, for HTTP responses."""
        return f"{self.media_type}; charset=utf-8"
