"""Every migration, in the order of its number: the files `vNN_<what>.py` beside this one."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from store.migrations.base import Migration


def _collect() -> list[Migration]:
    names = sorted(
        m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("v")
    )
    found: list[Migration] = [
        importlib.import_module(f"{__package__}.{n}").MIGRATION for n in names
    ]
    return sorted(found, key=lambda m: m.version)


MIGRATIONS: list[Migration] = _collect()
LATEST_VERSION = MIGRATIONS[-1].version
