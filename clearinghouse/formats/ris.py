"""RIS, as Zotero writes and reads it, through rispy.

A record runs from ``TY  - `` to ``ER  - ``. Out: ``TY`` (``RPRT`` for
reports), ``ID`` (the record's identifier), ``TI`` (the full title) and ``ST``
(the title alone, when there is a subtitle), ``AU`` per author ("Family,
Given" for people, the whole name for organisations), ``PB`` per publisher,
``PY`` and ``DA`` ("2021/09/01/", "2021/09//"), ``M3`` (the genre), ``UR``,
``DO``, ``SN`` (ISBN), ``LA``, ``KW`` per keyword, ``AB`` (abstract) and ``N1``
(summary). Every value is one line: line breaks become spaces.

In: ``TI``/``T1``, ``AU``/``A1`` (a name without a comma is an
organisation's), ``PY``/``Y1``/``DA``, ``AB``/``N2``, ``N1`` (Zotero writes
notes as HTML; the tags are dropped), and ``SN`` when it is an ISBN (not an
ISSN).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import IO

import rispy
from django.utils.html import strip_tags

from clearinghouse.formats import resource_types
from clearinghouse.formats.bibliographic import (
    LIST_SEPARATOR,
    bare_doi,
    creators,
    date_parts,
    foreign_id,
    full_title,
    language_values,
    people_and_publishers,
    split_list,
    split_title,
)
from clearinghouse.formats.format import Format, ReadError, Row

TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: |$)")
LIST_TAGS = [*rispy.LIST_TYPE_TAGS, "PB"]
OPTIONS = {"list_tags": LIST_TAGS, "delimiter_tags_mapping": {}}


class ZoteroStyleWriter(rispy.RisWriter):
    """rispy's writer without its "1." line before each record."""

    def set_header(self, count: int) -> str:
        return ""


def write_ris(records: Iterable[dict], stream: IO[str]) -> int:
    writer = ZoteroStyleWriter(**OPTIONS)
    count = 0
    for record in records:
        writer.format_lines(stream, [_reference(record)])
        stream.write("\n")
        count += 1
    return count


def _reference(record: dict) -> dict:
    kind = resource_types.outgoing(record["types"], "ris")
    people, organisations = creators(record)
    fields = {
        "type_of_reference": kind.kind,
        "id": record["id"],
        "title": full_title(record),
        "short_title": record["title"] if record["subtitle"] else "",
        "authors": [p.inverted if p.given else p.family + "," for p in people]
        or organisations,
        "publisher": record["publishers"],
        **_dates(record["date"]),
        "type_of_work": kind.genre,
        "urls": [record["url"]] if record["url"] else [],
        "doi": bare_doi(record["doi"]),
        "issn": record["isbn"],
        "language": LIST_SEPARATOR.join(record["languages"]),
        "keywords": record["keywords"],
        "abstract": record["abstract"],
        "notes": [record["summary"]] if record["summary"] else [],
    }
    return {key: _one_line(value) for key, value in fields.items() if value}


def _dates(date: str | None) -> dict:
    parts = date_parts(date)
    if not parts:
        return {}
    if len(parts) == 1:
        return {"year": str(parts[0])}
    padded = [f"{n:02d}" for n in parts[1:]] + [""] * (3 - len(parts))
    return {"year": str(parts[0]), "date": "/".join([str(parts[0]), *padded, ""])}


def _one_line(value: str | list) -> str | list:
    if isinstance(value, list):
        return [_one_line(item) for item in value]
    return re.sub(r"\s*[\r\n]+\s*", " ", value).strip()


def read_ris(stream: IO[str]) -> Iterator[Row]:
    chunk: list[str] = []
    start = 0
    found = False
    for number, line in enumerate(stream, start=1):
        line = line.rstrip("\r\n").lstrip("\ufeff")
        tag = TAG.match(line)
        if tag and tag.group(1) == "TY":
            if chunk:
                yield start, ReadError("this record has no 'ER  - ' line")
            chunk, start, found = [line], number, True
        elif tag and tag.group(1) == "ER" and chunk:
            yield start, _parsed(chunk + [line])
            chunk = []
        elif chunk:
            chunk.append(line)
    if chunk:
        yield start, ReadError("this record has no 'ER  - ' line")
    if not found:
        yield 1, ReadError("no RIS records here (each starts with 'TY  - ')")


def _parsed(lines: list[str]) -> dict | ReadError:
    references = rispy.loads("\n".join(lines), **OPTIONS)
    if len(references) != 1:
        return ReadError("this record could not be read as RIS")
    try:
        return _record(references[0])
    except ValueError as error:
        return ReadError(str(error))


def _record(ref: dict) -> dict:
    def text(*keys: str) -> str:
        for key in keys:
            value = ref.get(key)
            if isinstance(value, list):
                value = value[0] if value else ""
            if value and str(value).strip():
                return str(value).strip()
        return ""

    title = text("title", "primary_title")
    if not title:
        raise ValueError("this record has no title (TI)")
    record = split_title(title, text("short_title"))
    if item_id := foreign_id(text("id")):
        record["id"] = item_id
    kind = ref.get("type_of_reference", "")
    record["types"] = resource_types.incoming(kind, text("type_of_work"), "ris")
    names = [
        _name(name) for name in ref.get("authors", []) + ref.get("first_authors", [])
    ]
    publishers = [p for value in ref.get("publisher", []) for p in split_list(value)]
    record.update(people_and_publishers(names, publishers))
    if date := _date(text("date"), text("year", "publication_year")):
        record["date"] = date
    notes = [strip_tags(note).strip() for note in ref.get("notes", [])]
    optional = {
        "abstract": text("abstract", "notes_abstract"),
        "summary": "\n\n".join(note for note in notes if note),
        "url": text("urls"),
        "doi": bare_doi(text("doi")),
        "isbn": text("issn") if _is_isbn(text("issn")) else "",
    }
    record.update({key: value for key, value in optional.items() if value})
    keywords = [k for value in ref.get("keywords", []) for k in split_list(value)]
    if keywords:
        record["keywords"] = keywords
    if languages := language_values(text("language")):
        record["languages"] = languages
    return record


def _name(name: str) -> tuple[str, bool]:
    """("Anna van der Berg", False) from "van der Berg, Anna"; an
    organisation's name has no comma."""
    if "," not in name:
        return name.strip(), True
    family, _, given = name.partition(",")
    return " ".join(part.strip() for part in (given, family) if part.strip()), False


def _date(da: str, py: str) -> str:
    """ "2021-09-01" from DA "2021/09/01/" (or PY "2021///"), the more precise
    of the two; ISO dates are understood too."""
    candidates = [_iso(value) for value in (da, py) if value]
    return max(candidates, key=len, default="")


def _iso(value: str) -> str:
    parts = [p for p in re.split(r"[/-]", value.strip())[:3] if p.strip()]
    return "-".join(parts)


def _is_isbn(value: str) -> bool:
    return len(re.sub(r"[^0-9Xx]", "", value)) in (10, 13)


FORMAT = Format(
    name="ris",
    label="RIS",
    media_type="application/x-research-info-systems",
    extension="ris",
    read=read_ris,
    write=write_ris,
)
