"""WSGI entry point for gunicorn and other servers."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearinghouse.settings")
application = get_wsgi_application()

from clearinghouse.web.server import require_secret_key  # noqa: E402

# A server started on this module directly must refuse, as `serve` does, to
# run production with a key made up for one process.
require_secret_key()
