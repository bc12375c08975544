import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearinghouse.formats.format import Format
from clearinghouse.formats.importing import ImportFailed, ImportReport, import_file
from clearinghouse.formats.registry import FORMATS, UnknownFormat, guess_format

SHOWN_NAMES = 50


class Command(BaseCommand):
    help = (
        "Import records from a file: JSON Lines, CSV, BibTeX, RIS or CSL-JSON "
        "(see docs/formats.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the file to read ('-' for stdin)")
        parser.add_argument(
            "--format",
            choices=tuple(FORMATS),
            help="the file's format (default: guessed from its extension)",
        )
        parser.add_argument(
            "--publish", action="store_true", help="publish every imported record"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="report what would be created, updated or skipped; write nothing",
        )
        parser.add_argument(
            "--continue-on-error",
            action="store_true",
            help="import the good records and report the bad ones "
            "(default: a bad record stops the whole import)",
        )

    def handle(self, *args, file: Path, format: str | None, **options) -> None:
        fmt = self._format(file, format)
        flags = {
            name: options[name] for name in ("publish", "dry_run", "continue_on_error")
        }
        try:
            if str(file) == "-":
                report = import_file(fmt, sys.stdin, filename="stdin", **flags)
            else:
                with file.open(encoding="utf-8-sig", errors="strict") as stream:
                    report = import_file(fmt, stream, filename=file.name, **flags)
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is not UTF-8 text: {error}") from None
        except ImportFailed as failure:
            self._errors(file, failure.report)
            raise CommandError(
                f"Nothing was imported: {len(failure.report.errors)} bad record(s)."
            ) from None
        self._errors(file, report)
        self.stdout.write(describe(report))

    def _format(self, file: Path, name: str | None) -> Format:
        if str(file) != "-" and not file.is_file():
            raise CommandError(f"No such file: {file}")
        if name:
            return FORMATS[name]
        if str(file) == "-":
            raise CommandError("Reading stdin needs --format.")
        try:
            return guess_format(file.name)
        except UnknownFormat as error:
            raise CommandError(f"{str(error).capitalize()} (--format).") from None

    def _errors(self, file: Path, report: ImportReport) -> None:
        for line, message in report.errors:
            self.stderr.write(f"{file}:{line}: {message}")


def describe(report: ImportReport) -> str:
    """What was (or would be) created, updated and skipped, with names."""
    verb = "would be" if report.dry_run else "were"
    lines = ["Dry run: nothing was written."] if report.dry_run else []
    lines.append(
        f"{len(report.created)} record(s) {verb} created, "
        f"{len(report.updated)} {verb} updated, "
        f"{len(report.skipped)} {verb} skipped (already in the library as they are)."
    )
    for label, titles in (
        ("Created", report.created),
        ("Updated", report.updated),
        ("Skipped", report.skipped),
    ):
        if titles:
            lines.append(f"{label}: {_names(titles)}")
    if report.errors:
        lines.append(f"{len(report.errors)} bad record(s) {verb} left out (above).")
    for kind, names in report.new_terms.items():
        lines.append(f"New {kind} {verb} created: {', '.join(sorted(set(names)))}")
    return "\n".join(lines)


def _names(titles: list[str]) -> str:
    shown = "; ".join(titles[:SHOWN_NAMES])
    more = len(titles) - SHOWN_NAMES
    return f"{shown}; … and {more} more" if more > 0 else shown
