from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandParser

from clearinghouse.catalog.audit import record_export
from clearinghouse.catalog.models import Resource
from clearinghouse.formats.exporting import export_records
from clearinghouse.formats.format import Format
from clearinghouse.formats.registry import FORMATS, UnknownFormat, guess_format
from clearinghouse.search.backends import get_backend
from clearinghouse.search.query import parse


class Command(BaseCommand):
    help = (
        "Export records: JSON Lines (native, the default), CSV, BibTeX, RIS or "
        "CSL-JSON (see docs/formats.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format",
            choices=tuple(FORMATS),
            help="the format (default: told by the output file's extension "
            "(.jsonl, .csv, .bib, .ris, .json), else jsonl)",
        )
        parser.add_argument(
            "-o", "--output", type=Path, help="file to write (default: stdout)"
        )
        parser.add_argument(
            "--query", default="", help="only records matching this search"
        )
        parser.add_argument(
            "--public-only",
            action="store_true",
            help="only what an anonymous reader may see (default: every record)",
        )

    def handle(
        self,
        *args,
        format: str | None,
        output: Path | None,
        query: str,
        public_only: bool,
        **options,
    ) -> None:
        fmt = self._format(format, output)
        resources = (
            Resource.objects.visible_to(AnonymousUser())
            if public_only
            else Resource.objects.all()
        )
        if query:
            expression = parse(query).match_expression()
            if expression:
                resources = resources.filter(pk__in=get_backend().matching(expression))
        records = export_records(resources)
        if output:
            tmp = output.with_name(output.name + ".partial")
            with tmp.open("w", encoding="utf-8", newline="") as stream:
                count = fmt.write(records, stream)
            tmp.replace(output)  # never leave half a file under the real name
            self.stderr.write(f"Exported {count} record(s) to {output}.")
        else:
            self.stdout.ending = ""  # the writer ends its own lines
            count = fmt.write(records, self.stdout)
            self.stderr.write(f"Exported {count} record(s).")
        record_export("export", count, format=fmt.name, query=query, public=public_only)

    def _format(self, name: str | None, output: Path | None) -> Format:
        if name:
            return FORMATS[name]
        try:
            return guess_format(output.name) if output else FORMATS["jsonl"]
        except UnknownFormat:
            return FORMATS["jsonl"]  # as before there were other formats
