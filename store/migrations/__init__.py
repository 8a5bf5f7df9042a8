"""Append-only, numbered schema migrations, recorded in the database they change.

One migration a file, `vNN_<what>.py`, each defining MIGRATION; they are collected here in the
order of their numbers. Never edit or reorder a migration once released: add a new file.
Every file says why its change was needed. A migration after BASELINE_VERSION
(store/pg_baseline.py) needs a `postgres=` form as well.
"""

from __future__ import annotations

from store.migrations.base import (
    DanglingReferencesError,
    Migration,
    MigrationStep,
    SchemaTooNewError,
    rebuild,
    sql,
)
from store.migrations.catalog import LATEST_VERSION, MIGRATIONS
from store.migrations.runner import migrate

__all__ = [
    "LATEST_VERSION",
    "MIGRATIONS",
    "DanglingReferencesError",
    "Migration",
    "MigrationStep",
    "SchemaTooNewError",
    "migrate",
    "rebuild",
    "sql",
]
