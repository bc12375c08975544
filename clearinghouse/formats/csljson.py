"""CSL-JSON: a JSON array of CSL items, as Zotero exports "CSL JSON"."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO

from clearinghouse.formats.csl import ItemError, csl_item, record_from_csl
from clearinghouse.formats.format import Format, ReadError, Row


def read_csljson(stream: IO[str]) -> Iterator[Row]:
    """(line where the item starts, raw native record) for each item.

    A single item (an object) is read as a list of one.
    """
    text = stream.read().lstrip("\ufeff")
    try:
        items = list(_items_with_lines(text))
    except json.JSONDecodeError as error:
        yield (
            error.lineno,
            ReadError(f"not valid JSON ({error.msg} at column {error.colno})"),
        )
        return
    except ItemError as error:
        yield 1, ReadError(str(error))
        return
    for line, item in items:
        try:
            yield line, record_from_csl(item)
        except ItemError as error:
            yield line, ReadError(f"{_label(item)}{error}")


def _items_with_lines(text: str) -> Iterator[tuple[int, object]]:
    """Each item of the top-level array with the line it starts on.

    ``json`` gives no positions for parsed values, so the array is walked one
    value at a time with ``raw_decode``.
    """
    decoder = json.JSONDecoder()
    start = _skip_space(text, 0)
    if text.startswith("{", start):
        value, _ = decoder.raw_decode(text, start)
        yield _line(text, start), value
        return
    if not text.startswith("[", start):
        raise ItemError("a CSL-JSON file holds an array of items ([…])")
    json.loads(text)  # the whole file must be JSON; raises with a position
    position = _skip_space(text, start + 1)
    while text[position] != "]":
        value, end = decoder.raw_decode(text, position)
        yield _line(text, position), value
        position = _skip_space(text, end)
        if text[position] == ",":
            position = _skip_space(text, position + 1)


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _label(item: object) -> str:
    if isinstance(item, dict) and isinstance(item.get("id"), str | int):
        return f"item {item['id']!r}: "
    return ""


def write_csljson(records: Iterable[dict], stream: IO[str]) -> int:
    """A JSON array, one indented item after another (written as it goes)."""
    count = 0
    stream.write("[")
    for record in records:
        stream.write(",\n" if count else "\n")
        item = json.dumps(csl_item(record), ensure_ascii=False, indent=2)
        stream.write("\n".join("  " + line for line in item.splitlines()))
        count += 1
    stream.write("\n]\n" if count else "]\n")
    return count


FORMAT = Format(
    name="csljson",
    label="CSL-JSON",
    media_type="application/vnd.citationstyles.csl+json",
    extension="json",
    read=read_csljson,
    write=write_csljson,
)
