"""Full-text backends, chosen at call time by the database in use.

Each backend module offers the same functions: ``install``, ``drop_triggers``,
``rebuild``, ``matching`` (a subquery of matching resource ids), ``ranked``
(ids with scores, best first), ``snippets`` and ``page_hits`` (the pages of
given documents that match, for "found on page 12").
"""

from types import ModuleType

from django.db import connection


def get_backend() -> ModuleType:
    if connection.vendor == "sqlite":
        from clearinghouse.search.backends import sqlite

        return sqlite
    raise NotImplementedError(
        f"Full-text search does not support the {connection.vendor!r} database yet."
    )
