"""Keeping the full-text index derived from the catalog."""

from django.db import connections

from clearinghouse.search.backends import get_backend


def rebuild_index(using: str = "default") -> int:
    """Rebuild the whole index from the catalog; returns the number of records."""
    return get_backend().rebuild(connections[using])


def before_migrate(using: str = "default", **_: object) -> None:
    if connections[using].vendor == "sqlite":
        get_backend().drop_triggers(connections[using])


def after_migrate(
    using: str = "default", plan: list | None = None, **_: object
) -> None:
    """Re-create triggers; rebuild if migrations ran while they were away."""
    if connections[using].vendor != "sqlite":
        return
    backend = get_backend()
    if plan or not backend.is_installed(connections[using]):
        backend.rebuild(connections[using])
    else:
        backend.install(connections[using])
