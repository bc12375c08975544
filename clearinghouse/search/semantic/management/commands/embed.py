"""``clearinghouse embed``: compute the vectors semantic search needs."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearinghouse.catalog.models import Resource
from clearinghouse.search.semantic import embedder
from clearinghouse.search.semantic.models import Embedding
from clearinghouse.search.semantic.storage import (
    bump_version,
    embed_resources,
    stale_resource_ids,
)


class Command(BaseCommand):
    help = (
        "Embed the records whose vectors are missing or out of date "
        "(--all: every record again)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="drop every stored vector and embed every record again",
        )

    def handle(self, *args: object, **options: object) -> None:
        self.verbosity = options["verbosity"]
        name = embedder.runtime()
        if name is None:
            raise CommandError(
                "Semantic search is off (CLEARINGHOUSE_SEMANTIC_SEARCH) or the "
                "model is not installed: pip install 'clearinghouse[semantic]'."
            )
        model = embedder.model_id(name)
        if options["all"]:
            Embedding.objects.all().delete()
            bump_version()
            ids = list(Resource.objects.order_by("pk").values_list("pk", flat=True))
        else:
            # Vectors of another model are never read again: make room.
            Embedding.objects.exclude(model=model).delete()
            ids = stale_resource_ids(model)
        self.stdout.write(f"Embedding {len(ids)} record(s) with {model} ({name})…")
        done = embed_resources(ids, embedder.get_embedder(name), self._progress)
        self.stdout.write(f"Embedded {done} passage(s) of {len(ids)} record(s).")

    def _progress(self, count: int) -> None:
        if self.verbosity > 1:
            self.stderr.write(f"  {count} record(s)")
