import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from clearinghouse.catalog.models import Resource
from clearinghouse.demo.load import ensure_curator, load_demo
from clearinghouse.web.server import serve


class Command(BaseCommand):
    help = (
        "Create a demo library with sample data (if the catalog is empty) and serve it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--no-serve", action="store_true", help="set up the library, then exit"
        )

    def handle(
        self, *args, host: str, port: int, workers: int, no_serve: bool, **options
    ) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"Data folder: {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        if not Resource.objects.exists():
            count = load_demo()
            self.stdout.write(
                f"Loaded the demo library: {count} records (sample data)."
            )
        username, password = ensure_curator()
        call_command("collectstatic", interactive=False, verbosity=0)
        # The served pages say that this is sample data (same as CLEARINGHOUSE_DEMO=1).
        settings.DEMO = True
        self.stdout.write(
            f"\nClearinghouse demo library: http://{host}:{port}/\n"
            f"Curate it at http://{host}:{port}/admin/ "
            f"as user '{username}' with password '{password}'.\n"
            "Press Ctrl+C to stop.\n"
        )
        if not no_serve:
            worker = start_worker()
            try:
                serve(host, port, workers)
            finally:
                worker.terminate()
                worker.wait(timeout=10)


def start_worker() -> subprocess.Popen:
    """``clearinghouse worker`` in a child process, so that uploads get read."""
    env = {**os.environ, "CLEARINGHOUSE_DATA_DIR": str(settings.DATA_DIR)}
    return subprocess.Popen(
        [sys.executable, "-m", "clearinghouse", "worker", "--no-reload"], env=env
    )
