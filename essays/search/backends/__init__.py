"""The search backend for a database connection, chosen by its vendor."""

from django.db import connections

from .base import COUNT_LIMIT, IndexedEssay, Scope, SearchBackend, SearchPage
from .postgresql import PostgreSQLBackend
from .sqlite import SQLiteBackend

BACKENDS: dict[str, type[SearchBackend]] = {
    "sqlite": SQLiteBackend,
    "postgresql": PostgreSQLBackend,
}

_instances: dict[tuple[str, str], SearchBackend] = {}


def get_backend(using: str = "default") -> SearchBackend:
    connection = connections[using]
    # Keyed by database name too: tests swap the name for the test database.
    key = (using, str(connection.settings_dict["NAME"]))
    backend = _instances.get(key)
    if backend is None:
        try:
            backend_class = BACKENDS[connection.vendor]
        except KeyError:
            raise RuntimeError(f"no search backend for {connection.vendor}") from None
        backend = _instances[key] = backend_class(connection)
    return backend


__all__ = ["BACKENDS", "COUNT_LIMIT", "IndexedEssay", "Scope", "SearchBackend", "SearchPage", "get_backend"]
