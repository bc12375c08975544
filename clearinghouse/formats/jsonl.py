"""JSON Lines: one record per line (https://jsonlines.org)."""

import json
from collections.abc import Iterable, Iterator
from typing import IO


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


class JsonlError:
    """Stands in for a line that could not be parsed."""

    def __init__(self, message: str) -> None:
        self.message = message


def write_jsonl(records: Iterable[dict], stream: IO[str]) -> int:
    count = 0
    for record in records:
        stream.write(json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n")
        count += 1
    return count
