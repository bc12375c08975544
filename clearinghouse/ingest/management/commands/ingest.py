"""``clearinghouse ingest PATH... [--recursive] [--publish] [--json]``.

Every file goes through ``ingest_file`` (as an admin upload would) and is
then read here, two files at a time in isolated workers, rather than left to
``clearinghouse worker``. One bad file never stops the batch: it ends as a
line in the summary with its reason. With ``--json`` the last line of output
is the summary as one JSON object (docs/operating.md).
"""

import json
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from clearinghouse.ingest.analysis import vocabulary_lists
from clearinghouse.ingest.isolation import extract_many
from clearinghouse.ingest.pipeline import (
    DUPLICATE,
    FAILED,
    OK,
    STATUSES,
    IngestOutcome,
    NotTaken,
    check,
    ingest_file,
)
from clearinghouse.ingest.tasks import ingest_limits

#: Files read at once: one worker process per core of a small server.
WORKERS = 2


class Command(BaseCommand):
    help = "Take documents (files or folders) into the library as draft records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--recursive", action="store_true", help="include files in sub-folders"
        )
        parser.add_argument(
            "--publish", action="store_true", help="publish the new records"
        )
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="end with the summary as JSON",
        )

    def handle(self, *args, paths, recursive, publish, as_json, **options) -> None:
        files = collect_files(paths, recursive)
        # Progress goes to stderr with --json, so that stdout stays parseable.
        console = Console(
            file=self.stderr if as_json else self.stdout, width=100, highlight=False
        )
        rows = ingest_batch(files, publish=publish, console=console)
        console.print(summary_table(rows))
        if as_json:
            self.stdout.write(dump_summary(rows))


def collect_files(paths: list[str], recursive: bool) -> list[Path]:
    """The files named, and those in the folders named (sorted, no hidden)."""
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = path.rglob("*") if recursive else path.iterdir()
            files += sorted(
                p for p in found if p.is_file() and not p.name.startswith(".")
            )
        elif path.is_file():
            files.append(path)
        else:
            raise CommandError(f"{name}: no such file or folder")
    return files


def ingest_batch(files: list[Path], *, publish: bool, console: Console) -> list[dict]:
    """Ingest and read every file; one summary row per file, in order.

    Files are checked here while the workers read the ones before them, and
    each is taken in (``ingest_file``, with what its worker read) as soon as
    it is read, so that both cores stay busy."""
    rows = [
        {"path": str(p), "status": "", "reason": "", "resource": None} for p in files
    ]
    reading: dict[str, dict] = {}
    # The first file with given bytes, in the batch's order, is the one taken
    # in; later copies are reported as its duplicates once it is recorded.
    first_with: dict[str, dict] = {}
    copies: list[tuple[dict, dict]] = []
    with Progress(console=console, transient=True) as progress:
        bar = progress.add_task("Ingesting", total=len(files))

        checked: dict[str, tuple] = {}

        def readable() -> Iterator[tuple[str, str]]:
            for row, path in zip(rows, files, strict=True):
                try:
                    sniffed, sha256 = checked[str(path)] = check(path)
                except NotTaken as exc:
                    note(row, exc.outcome)
                    progress.advance(bar)
                    continue
                if sha256 in first_with:
                    copies.append((row, first_with[sha256]))
                    progress.advance(bar)
                    continue
                first_with[sha256] = reading[str(path)] = row
                yield str(path), sniffed.media_type

        outcomes = extract_many(
            readable(),
            workers=WORKERS,
            limits=ingest_limits(),
            vocabulary=vocabulary_lists() if files else None,
        )
        for path, extraction in outcomes:
            row = reading.pop(str(path))
            known = checked.pop(str(path))
            note(row, take_in(path, extraction, known, publish=publish))
            progress.advance(bar)
    for row, first in copies:
        row["status"], row["resource"] = DUPLICATE, first["resource"]
        row["reason"] = f"the same file as {first['path']}, earlier in this batch"
    return rows


def take_in(path: Path, extraction, checked, *, publish: bool) -> IngestOutcome:
    """``ingest_file`` with what the worker read; one file's failure to be
    recorded is that file's failure, not the batch's."""
    try:
        return ingest_file(
            path, publish=publish, extraction=extraction, checked=checked
        )
    except Exception as exc:  # noqa: BLE001 - one file must not end the batch
        return IngestOutcome(FAILED, f"could not record the extraction: {exc!r}")


def note(row: dict, outcome: IngestOutcome) -> None:
    row["status"], row["reason"] = outcome.status, outcome.reason
    row["resource"] = outcome.resource.pk if outcome.resource else None


def summary_table(rows: list[dict]) -> Table:
    counts = {status: sum(r["status"] == status for r in rows) for status in STATUSES}
    table = Table(
        title=", ".join(f"{n} {status}" for status, n in counts.items()),
        title_justify="left",
    )
    for column in ("file", "status", "record", "reason"):
        table.add_column(column, overflow="fold")
    for row in rows:
        if row["status"] != OK:
            table.add_row(
                row["path"], row["status"], str(row["resource"] or ""), row["reason"]
            )
    return table


def dump_summary(rows: list[dict]) -> str:
    """The JSON summary: counts per status and one entry per file."""
    counts = {status: sum(r["status"] == status for r in rows) for status in STATUSES}
    return json.dumps({**counts, "files": rows}, ensure_ascii=False)
