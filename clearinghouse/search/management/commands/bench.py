"""`clearinghouse bench relevance --beir DIR`: ranking quality on a BEIR folder.

The collection is imported into a scratch library, never the reader's own: the
command starts itself again in a child process whose data folder (and SQLite
database) is a temporary directory, migrates it, imports, measures, and the
directory is deleted afterwards. The last line of stdout is one JSON object.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearinghouse.search import relevance

# Set by the parent to the scratch data folder it made; the child measures in
# place only when its own data folder is that one.
SCRATCH_ENV = "CLEARINGHOUSE_BENCH_SCRATCH"


class Command(BaseCommand):
    help = "Measure search: `bench relevance --beir DIR` scores ranking quality."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True)
        bench = kinds.add_parser(
            "relevance",
            help="nDCG@10, recall@100 and queries/s on a BEIR-format folder",
        )
        bench.add_argument("--beir", required=True, type=Path, metavar="DIR")
        bench.add_argument("--mode", choices=relevance.MODES, default="keyword")
        bench.add_argument("--split", default="test", help="qrels file (test)")
        bench.add_argument("--limit-queries", type=int, metavar="N", default=None)

    def handle(self, *args: object, **options: object) -> None:
        folder: Path = options["beir"]
        try:
            collection = relevance.read_collection(folder, options["split"])
        except (relevance.BeirError, OSError) as error:
            raise CommandError(str(error)) from None
        limit = options["limit_queries"]
        if limit is not None and limit < 1:
            raise CommandError("--limit-queries must be at least 1")
        if not collection.queries:
            raise CommandError(f"{folder} has no judged queries in this split")
        scratch = os.environ.get(SCRATCH_ENV)
        if scratch and Path(scratch).resolve() == settings.DATA_DIR:
            self._measure(collection, options["mode"], limit)
            return
        if scratch:  # never a library of the reader's, never a second child
            raise CommandError(f"{SCRATCH_ENV} is set but is not the data folder")
        argv = ["bench", "relevance", "--beir", str(folder.resolve())]
        argv += ["--mode", options["mode"], "--split", options["split"]]
        argv += ["--limit-queries", str(limit)] if limit else []
        self._in_scratch_library(argv)

    def _in_scratch_library(self, argv: list[str]) -> None:
        with tempfile.TemporaryDirectory(prefix="clearinghouse-bench-") as scratch:
            env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            env.update({"CLEARINGHOUSE_DATA_DIR": scratch, SCRATCH_ENV: scratch})
            # The model's converted copies are made once, not in every scratch.
            model_dir = getattr(settings, "SEMANTIC_MODEL_DIR", None)
            if model_dir:
                env.setdefault("CLEARINGHOUSE_SEMANTIC_MODEL_DIR", str(model_dir))
            env.pop("DJANGO_SETTINGS_MODULE", None)
            child = subprocess.run(
                [sys.executable, "-m", "clearinghouse", *argv],
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
        self.stdout.write(child.stdout, ending="")
        if child.returncode:
            raise CommandError(f"the measurement failed (exit {child.returncode})")

    def _measure(self, collection, mode: str, limit: int | None) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        count = relevance.import_corpus(
            collection.folder, lambda n: self.stderr.write(f"imported {n} documents")
        )
        self.stderr.write(f"Imported {count} documents; running queries…")
        fallback = self._embed(mode) if mode != "keyword" else None
        scores = relevance.evaluate(collection, mode, limit)
        # The engine says which mode it ran; the model's absence says it first.
        scores.fallback = fallback or scores.fallback
        self.stdout.write(json.dumps(scores.to_dict()))

    def _embed(self, mode: str) -> str | None:
        """Compute the vectors, as the worker would; "keyword" when the model
        is not installed (the search then falls back to keyword ranking)."""
        from clearinghouse.catalog.models import Resource
        from clearinghouse.search.semantic import embedder
        from clearinghouse.search.semantic.storage import embed_resources

        if not embedder.available():
            self.stderr.write(
                f"Mode {mode!r} needs the embedding model: ranking by keyword."
            )
            return "keyword"
        ids = list(Resource.objects.values_list("pk", flat=True))
        embed_resources(ids, progress=lambda n: self.stderr.write(f"embedded {n}"))
        return None
