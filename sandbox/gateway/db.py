"""The sandbox's own SQLite file: numbered migrations, one connection, explicit transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

# Append-only: each entry moves the schema one version forward (PRAGMA user_version).
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE members (
        vms_id TEXT PRIMARY KEY,
        id_1365 TEXT,
        account_1365 TEXT NOT NULL CHECK (account_1365 IN ('active', 'not_found')),
        identity_mismatch INTEGER NOT NULL,
        consent_vms TEXT,
        consent_1365 TEXT,
        channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
        destination TEXT NOT NULL
    );
    CREATE TABLE records (
        seq INTEGER PRIMARY KEY,
        record_id TEXT NOT NULL UNIQUE,
        vms_id TEXT NOT NULL REFERENCES members (vms_id),
        activity_date TEXT NOT NULL,
        host TEXT NOT NULL,
        activity TEXT NOT NULL,
        minutes INTEGER NOT NULL,
        kind TEXT NOT NULL,
        already_on_1365 INTEGER NOT NULL,
        last_transmission_id TEXT
    );
    CREATE INDEX records_by_member ON records (vms_id, activity_date);
    CREATE TABLE link_requests (
        request_id TEXT PRIMARY KEY,
        vms_id TEXT NOT NULL,
        code TEXT,
        channel TEXT NOT NULL,
        destination_masked TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        attempts_left INTEGER NOT NULL,
        used INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX link_requests_by_id ON link_requests (vms_id, created_at);
    CREATE TABLE links (
        link_id TEXT PRIMARY KEY,
        vms_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    );
    CREATE TABLE transmissions (
        transmission_id TEXT PRIMARY KEY,
        vms_id TEXT NOT NULL,
        idempotency_key TEXT,
        request_hash TEXT,
        created_at TEXT NOT NULL,
        completes_at TEXT NOT NULL,
        UNIQUE (vms_id, idempotency_key)
    );
    CREATE TABLE transmission_items (
        transmission_id TEXT NOT NULL REFERENCES transmissions (transmission_id),
        position INTEGER NOT NULL,
        record_id TEXT NOT NULL,
        outcome TEXT NOT NULL,
        PRIMARY KEY (transmission_id, position)
    );
    CREATE TABLE deliveries (
        seq INTEGER PRIMARY KEY,
        vms_id TEXT NOT NULL,
        code TEXT NOT NULL,
        channel TEXT NOT NULL,
        destination_masked TEXT NOT NULL,
        at TEXT NOT NULL
    );
    """,
    # Issue 8: a wrong-guess budget per member per day, and the per-center delivery cap.
    """
    CREATE TABLE wrong_guesses (vms_id TEXT NOT NULL, at TEXT NOT NULL);
    CREATE INDEX wrong_guesses_by_id ON wrong_guesses (vms_id, at);
    CREATE INDEX link_requests_by_time ON link_requests (created_at);
    """,
    # Issue 16 part 7: the link a request made, so the same confirmation again answers it.
    """
    ALTER TABLE link_requests ADD COLUMN link_id TEXT;
    ALTER TABLE link_requests ADD COLUMN replaced_link_id TEXT;
    """,
)

DATA_TABLES = (
    "transmission_items",
    "transmissions",
    "links",
    "wrong_guesses",
    "link_requests",
    "deliveries",
    "records",
    "members",
    "meta",
)


def stamp(moment: datetime) -> str:
    """A sortable text form of an aware datetime (always UTC, always microseconds)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def unstamp(text: str) -> datetime:
    """The datetime back from `stamp` text."""
    return datetime.fromisoformat(text)


def wire(moment: datetime) -> str:
    """An RFC 3339 date-time as the contract shows it, e.g. 2026-03-02T09:00:00Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Database:
    """One connection in autocommit mode; writes go through `transaction()`."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA busy_timeout=5000")
        # NORMAL is durable across process crashes in WAL mode; enough for simulated data.
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                for statement in script.split(";"):
                    if statement.strip():
                        self.conn.execute(statement)
                # PRAGMA takes no parameters; the number is our own integer.
                self.conn.execute(f"PRAGMA user_version={number}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def wipe(self) -> None:
        """Delete every row, keeping the schema; call inside a transaction."""
        for table in DATA_TABLES:
            self.conn.execute(f"DELETE FROM {table}")

    def get_meta(self, key: str) -> str | None:
        """A stored setting, None when unset."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row["value"])

    def set_meta(self, key: str, value: str) -> None:
        """Store a setting (one statement: atomic on its own)."""
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()
