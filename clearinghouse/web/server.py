"""Serve the site with gunicorn, a production WSGI server, from inside the CLI.

Readers are not tracked: gunicorn keeps no access log, and the client
addresses its error log would print ("Invalid request from ip=…") are struck
out before they are written (docs/operating.md, "Security and privacy").
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core.management.base import CommandError
from gunicorn import glogging
from gunicorn.app.base import BaseApplication
from gunicorn.config import Config

MISSING_KEY = (
    "CLEARINGHOUSE_SECRET_KEY is not set. It signs sign-in sessions: set it to "
    "at least 50 random characters, the same for every server of this library, "
    "e.g. the output of: python -c 'import secrets; "
    "print(secrets.token_urlsafe(50))'. (Only the demo and "
    "CLEARINGHOUSE_DEBUG=1 run without one.)"
)
# "ip=203.0.113.9: …" and "ip=::1: …" as gunicorn writes them; any IPv4
# address anywhere else.
_ADDRESSES = re.compile(r"ip=.*?(?=: |$)|\b(?:\d{1,3}\.){3}\d{1,3}\b")
HIDDEN = "(address not logged)"


class ClearinghouseServer(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from clearinghouse.wsgi import application

        return application


class PrivateLogger(glogging.Logger):
    """gunicorn's logger, less what would identify a reader."""

    def setup(self, cfg: Config) -> None:
        super().setup(cfg)
        self.error_log.addFilter(hide_addresses)

    def access(
        self, resp: object, req: object, environ: dict, request_time: object
    ) -> None:
        """Keep no access log, whatever the configuration says."""


def hide_addresses(record: logging.LogRecord) -> bool:
    """A logging filter: the record's message with client addresses struck out."""
    record.msg = _ADDRESSES.sub(HIDDEN, record.getMessage())
    record.args = ()
    return True


def require_secret_key() -> None:
    """Refuse to serve production with a key made up for this one process."""
    if settings.DEBUG or settings.DEMO:
        return
    if settings.SECRET_KEY.startswith("django-insecure-"):
        raise CommandError(MISSING_KEY)


def serve(host: str, port: int, workers: int, threads: int = 4) -> None:
    """Run until interrupted."""
    require_secret_key()
    ClearinghouseServer(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "accesslog": None,
            "logger_class": PrivateLogger,
            "errorlog": "-",
            "loglevel": "warning",
            "timeout": 60,
        }
    ).run()
