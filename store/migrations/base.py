"""What a migration is, and the two ways to write its steps: plain SQL or SQLite's table rebuild."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store.engine import Transaction

MigrationStep = Callable[["Transaction"], Awaitable[None]]


class DanglingReferencesError(RuntimeError):
    """A migration would leave rows pointing at rows that no longer exist; it was rolled back."""

    def __init__(self, version: int, violations: list[tuple[str, str]]) -> None:
        shown = ", ".join(f"{table} → {parent}" for table, parent in violations[:5])
        super().__init__(
            f"Migration {version} was rolled back: it would leave {len(violations)} row(s) "
            f"referring to rows that no longer exist ({shown}). Nothing was changed."
        )
        self.version = version
        self.violations = violations


class SchemaTooNewError(RuntimeError):
    """The database was migrated by a newer bot than this one."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(
            f"The database schema is at version {found}, but this bot only knows migrations "
            f"up to version {known}. It was written by a newer release: upgrade the bot (or "
            f"point it at the right database file). Refusing to start so nothing is damaged."
        )
        self.found = found
        self.known = known


@dataclass(frozen=True)
class Migration:
    """One schema change: its version, a human name, and what it does.

    `postgres` is the same change in PostgreSQL's terms. Versions up to BASELINE_VERSION
    have none: a PostgreSQL database starts from that schema whole (store/pg_baseline.py).
    Every later migration needs one, even when it is the same step as `apply`.
    """

    version: int
    name: str
    apply: MigrationStep
    postgres: MigrationStep | None = None


def rebuild(table: str, create: str, columns: Sequence[str]) -> MigrationStep:
    """Steps 3–8 of SQLite's "making other kinds of table schema changes" procedure.

    `create` is the new CREATE TABLE statement for `table` (named `table`, as it will end up);
    `columns` are copied from the old table. Indexes and triggers on the table are recreated
    from their stored SQL. migrate() supplies the rest of the procedure: foreign keys off
    outside the transaction and `PRAGMA foreign_key_check` before commit, so rows in other
    tables that reference `table` are neither cascaded away nor left dangling.
    """
    staging = f"_rebuild_{table}"

    async def run(tx: Transaction) -> None:
        kept = await tx.fetch_all(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') "
            "AND sql IS NOT NULL",
            (table,),
        )
        head, sep, rest = create.partition("(")
        if not sep or table not in head:
            raise ValueError(f"rebuild({table!r}) needs a CREATE TABLE {table} (...) statement")
        await tx.execute(f"CREATE TABLE {staging} ({rest}")
        listed = ", ".join(columns)
        await tx.execute(f"INSERT INTO {staging} ({listed}) SELECT {listed} FROM {table}")
        await tx.execute(f"DROP TABLE {table}")
        await tx.execute(f"ALTER TABLE {staging} RENAME TO {table}")
        for row in kept:
            await tx.execute(row["sql"])

    return run


def sql(*statements: str) -> MigrationStep:
    """A migration step that runs the statements in order."""

    # One statement per execute: sqlite3's executescript() would COMMIT our open transaction.
    async def run(tx: Transaction) -> None:
        for statement in statements:
            await tx.execute(statement)

    return run
