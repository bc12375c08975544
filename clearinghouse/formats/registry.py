"""Every file format by name: ``FORMATS["bibtex"].write(records, stream)``."""

from __future__ import annotations

from pathlib import PurePath

from clearinghouse.formats import bibtex, csljson, csv, jsonl, ris
from clearinghouse.formats.format import Format

FORMATS: dict[str, Format] = {
    fmt.name: fmt
    for fmt in (jsonl.FORMAT, csv.FORMAT, bibtex.FORMAT, ris.FORMAT, csljson.FORMAT)
}
BY_EXTENSION = {ext: fmt for fmt in FORMATS.values() for ext in fmt.extensions}


class UnknownFormat(ValueError):
    pass


def guess_format(filename: str) -> Format:
    """The format a file's extension names; raises UnknownFormat otherwise."""
    suffix = PurePath(filename).suffix.lower().lstrip(".")
    if suffix in BY_EXTENSION:
        return BY_EXTENSION[suffix]
    known = ", ".join(f".{ext}" for ext in BY_EXTENSION)
    raise UnknownFormat(
        f"cannot tell the format of {PurePath(filename).name!r} from its name "
        f"(known endings: {known}); choose the format"
    )


def format_named(name: str) -> Format:
    if name in FORMATS:
        return FORMATS[name]
    raise UnknownFormat(f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
