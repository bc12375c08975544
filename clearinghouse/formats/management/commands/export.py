import sys
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandParser

from clearinghouse.catalog.models import Resource
from clearinghouse.formats.exporting import export_records
from clearinghouse.formats.jsonl import write_jsonl
from clearinghouse.search.backends import get_backend
from clearinghouse.search.query import parse


class Command(BaseCommand):
    help = "Export records (native JSON Lines; see docs/formats.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=("jsonl",), default="jsonl")
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
        self, *args, output: Path | None, query: str, public_only: bool, **options
    ) -> None:
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
            with tmp.open("w", encoding="utf-8") as stream:
                count = write_jsonl(records, stream)
            tmp.replace(output)  # never leave half a file under the real name
            self.stderr.write(f"Exported {count} record(s) to {output}.")
        else:
            count = write_jsonl(records, sys.stdout)
            self.stderr.write(f"Exported {count} record(s).")
