"""JSON Lines, the native format: one record per line (https://jsonlines.org)."""

import json
from collections.abc import Iterable, Iterator
from typing import IO

from clearinghouse.formats.format import Format, ReadError


def read_jsonl(stream: IO[str]) -> Iterator[tuple[int, object]]:
    """(line number, parsed object) for every non-blank line.

    A line that is not JSON yields a ``JsonlError`` in place of the object, so
    the importer can report every bad line at once.
    """
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as error:
            yield (
                number,
                JsonlError(f"not valid JSON ({error.msg} at column {error.colno})"),
            )


class JsonlError(ReadError):
    """Stands in for a line that could not be parsed."""


def write_jsonl(records: Iterable[dict], stream: IO[str]) -> int:
    count = 0
    for record in records:
        stream.write(json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n")
        count += 1
    return count


FORMAT = Format(
    name="jsonl",
    label="JSON Lines (native)",
    media_type="application/jsonl",
    extension="jsonl",
    other_extensions=("ndjson",),
    read=read_jsonl,
    write=write_jsonl,
    native=True,
)
