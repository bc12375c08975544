from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearinghouse.formats.importing import ImportFailed, ImportReport, import_records
from clearinghouse.formats.jsonl import read_jsonl

FORMATS = ("jsonl",)


class Command(BaseCommand):
    help = "Import records from a file (native JSON Lines; see docs/formats.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the file to read ('-' for stdin)")
        parser.add_argument("--format", choices=FORMATS, default="jsonl")
        parser.add_argument(
            "--publish", action="store_true", help="publish every imported record"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="report what would change; write nothing",
        )

    def handle(
        self, *args, file: Path, publish: bool, dry_run: bool, **options
    ) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        with file.open(encoding="utf-8", errors="strict") as stream:
            try:
                report = import_records(
                    read_jsonl(stream), publish=publish, dry_run=dry_run
                )
            except UnicodeDecodeError as error:
                raise CommandError(f"{file} is not UTF-8 text: {error}") from None
            except ImportFailed as failure:
                for line, message in failure.report.errors:
                    self.stderr.write(f"{file}:{line}: {message}")
                raise CommandError(
                    f"Nothing was imported: {len(failure.report.errors)} bad record(s)."
                ) from None
        self.stdout.write(describe(report))


def describe(report: ImportReport) -> str:
    verb = "would be" if report.dry_run else "were"
    lines = [
        f"{len(report.created)} record(s) {verb} created, "
        f"{len(report.updated)} {verb} updated."
    ]
    for kind, names in report.new_terms.items():
        lines.append(f"New {kind} {verb} created: {', '.join(sorted(set(names)))}")
    return "\n".join(lines)
