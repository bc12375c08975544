from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from clearinghouse.web.server import serve


class Command(BaseCommand):
    help = "Serve the library with gunicorn (a production WSGI server)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, host: str, port: int, workers: int, **options) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Serving Clearinghouse at http://{host}:{port}/")
        serve(host, port, workers)
