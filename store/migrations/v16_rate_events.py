"""Migration 16: abuse counters that outlive /forget.

/forget reset the abuse counters (review of issue 15): link_attempts and the help
request limit were keyed by the Telegram id and deleted with the user, so one account
could cycle /start, made-up IDs and /forget to spend the center's hourly code budget.
rate_events keeps the times of code requests, wrong codes and questions for a day
(store/rate_limits.py), keyed by an HMAC-SHA256 of the account (or of account and VMS
ID) under a per-installation secret made here, once; no id, no foreign key to users.
The old rows are carried over under their hashes, then link_attempts is dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from store import keyed
from store.migrations.base import Migration

if TYPE_CHECKING:
    from store.engine import Transaction


async def _rate_events(tx: Transaction) -> None:
    """Migration 16; Python because SQLite has no HMAC (and the secret comes from `secrets`)."""
    await tx.execute("CREATE TABLE installation (name TEXT PRIMARY KEY, value BLOB NOT NULL)")
    secret = keyed.new_secret()
    await tx.execute(
        "INSERT INTO installation (name, value) VALUES (?, ?)", (keyed.SECRET_NAME, secret)
    )
    await tx.execute(
        """
        CREATE TABLE rate_events (
            id INTEGER PRIMARY KEY,
            subject BLOB NOT NULL,
            kind TEXT NOT NULL,
            at TEXT NOT NULL
        )
        """
    )
    await tx.execute("CREATE INDEX rate_events_by_subject ON rate_events (subject, kind, at)")
    await tx.execute("CREATE INDEX rate_events_by_kind ON rate_events (kind, at)")
    kinds = {"request": "link.request", "wrong_code": "link.wrong"}
    old = await tx.fetch_all("SELECT telegram_id, kind, at FROM link_attempts")
    await tx.executemany(
        "INSERT INTO rate_events (subject, kind, at) VALUES (?, ?, ?)",
        [
            (keyed.account_key(secret, int(r["telegram_id"])), kinds[r["kind"]], r["at"])
            for r in old
        ],
    )
    await tx.execute("DROP TABLE link_attempts")


MIGRATION = Migration(16, "abuse counters that outlive /forget", _rate_events)
