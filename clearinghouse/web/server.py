"""Serve the site with gunicorn, a production WSGI server, from inside the CLI."""

from gunicorn.app.base import BaseApplication


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


def serve(host: str, port: int, workers: int, threads: int = 4) -> None:
    """Run until interrupted."""
    ClearinghouseServer(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "accesslog": None,  # readers are not tracked; see docs/privacy.md
            "errorlog": "-",
            "loglevel": "warning",
            "timeout": 60,
        }
    ).run()
