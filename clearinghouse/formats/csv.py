"""CSV: one record per row under a header row, for spreadsheets.

The header names native keys (docs/formats.md lists them, with the other
names a column may have: "Publisher", "Year", "Link" …). List cells hold
values separated by ";". The file is written UTF-8 with a byte order mark,
so that Excel reads accents right, and a cell that would start with = + - @
(which spreadsheets run as a formula) is written after a "'" that reading
removes again (https://owasp.org/www-community/attacks/CSV_Injection).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from typing import IO

from clearinghouse.formats.bibliographic import (
    LIST_SEPARATOR,
    language_values,
    split_list,
)
from clearinghouse.formats.format import Format, ReadError, Row
from clearinghouse.formats.native import LIST_FIELDS

COLUMNS = (
    "id",
    "title",
    "subtitle",
    "slug",
    "summary",
    "abstract",
    "types",
    "date",
    "publishers",
    "authors",
    "topics",
    "regions",
    "languages",
    "keywords",
    "url",
    "doi",
    "isbn",
    "licence",
    "status",
    "access",
    "groups",
    "document_access",
    "embargo_until",
    "content_warning",
    "featured",
    "withdrawn_reason",
    "added",
    "provenance",
)
# Other names a column may have, after lower-casing and turning spaces and
# hyphens into underscores ("Source URL" → "source_url").
ALIASES = {
    "description": "summary",
    "type": "types",
    "resource_type": "types",
    "year": "date",
    "publication_date": "date",
    "published": "date",
    "publisher": "publishers",
    "organisation": "publishers",
    "organisations": "publishers",
    "organization": "publishers",
    "institution": "publishers",
    "author": "authors",
    "topic": "topics",
    "region": "regions",
    "country": "regions",
    "countries": "regions",
    "language": "languages",
    "keyword": "keywords",
    "tags": "keywords",
    "link": "url",
    "source_url": "url",
    "license": "licence",
    "rights": "licence",
    "group": "groups",
    "embargo": "embargo_until",
    "date_added": "added",
    "identifier": "id",
}
# Cells whose emptiness means "say nothing" rather than "clear it".
OMIT_WHEN_EMPTY = {
    "id",
    "status",
    "access",
    "document_access",
    "featured",
    "provenance",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TRUE, FALSE = {"true", "yes", "1", "y"}, {"false", "no", "0", "n"}


def write_csv(records: Iterable[dict], stream: IO[str]) -> int:
    stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for record in records:
        writer.writerow([_guarded(_cell(record.get(key))) for key in COLUMNS])
        count += 1
    return count


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _guarded(cell: str) -> str:
    return "'" + cell if cell.startswith((*FORMULA_START, "'")) else cell


def read_csv(stream: IO[str]) -> Iterator[Row]:
    lines = iter(stream)
    first = next(lines, "").lstrip("\ufeff")
    if not first.strip():
        yield 1, ReadError("the file is empty: the first row must name the columns")
        return
    reader = csv.reader(_chain(first, lines), delimiter=_delimiter(first))
    header = next(reader)
    keys, problem = _columns(header)
    if problem:
        yield 1, ReadError(problem)
        return
    previous_end = reader.line_num
    for cells in reader:
        start, previous_end = previous_end + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(keys):
            yield (
                start,
                ReadError(
                    f"this row has {len(cells)} cells; the header has {len(keys)}"
                ),
            )
            continue
        yield start, _record(keys, cells)


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _delimiter(header: str) -> str:
    """The header's separator: "," unless Excel wrote ";" or a tab."""
    return max(",;\t", key=header.count)


def _columns(header: list[str]) -> tuple[list[str], str]:
    keys, unknown = [], []
    for name in header:
        normal = re.sub(r"[\s\-]+", "_", name.strip().casefold()).removesuffix("(s)")
        key = normal if normal in COLUMNS else ALIASES.get(normal)
        if key is None:
            unknown.append(name)
        keys.append(key)
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        return keys, f"unknown column(s) {names}; see docs/formats.md for the names"
    if "title" not in keys:
        return keys, "there is no 'title' column"
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        return keys, f"more than one column for {', '.join(repeated)}"
    return keys, ""


def _record(keys: list[str], cells: list[str]) -> dict:
    record: dict = {}
    for key, cell in zip(keys, cells, strict=True):
        cell = _unguarded(cell.strip())
        if not cell and key in OMIT_WHEN_EMPTY:
            continue
        record[key] = _value(key, cell)
    return record


def _unguarded(cell: str) -> str:
    if cell.startswith("'") and cell[1:].startswith((*FORMULA_START, "'")):
        return cell[1:]
    return cell


def _value(key: str, cell: str) -> object:
    if key == "languages":  # "en", "en-GB" or "English"
        return language_values(cell)
    if key in LIST_FIELDS:
        return split_list(cell)
    if key == "featured":
        word = cell.casefold()
        return True if word in TRUE else False if word in FALSE else cell
    if key == "provenance":
        try:
            return json.loads(cell)
        except json.JSONDecodeError:
            return cell  # refused by name when the record is checked
    return cell or None if key in ("date", "embargo_until", "added") else cell


FORMAT = Format(
    name="csv",
    label="CSV (spreadsheet)",
    media_type="text/csv",
    extension="csv",
    read=read_csv,
    write=write_csv,
    native=True,
)
