"""Links, caches, sends and due work that belong to the embedded sandbox gateway, and their removal.

Real mode used to start the sandbox gateway whenever VMS_GATEWAY_URL was unset, so a center's
real volunteers could hold links to simulated members. Those links are recognised by the
sandbox's own database file (it keeps every link id it issued, revoked ones included) and by
the `gateway` column links carry since migration 22.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from store.db import Database, Transaction
from store.dialect import json_ids, json_text
from store.due_work import DueWorkRepository

logger = logging.getLogger(__name__)

SANDBOX = "sandbox"
SANDBOX_FILE = "gateway-sandbox.sqlite3"
# Flows that carry something of the gateway: a link request id, chosen records to send.
_GATEWAY_FLOWS = ("link", "send")


def sandbox_database(database_path: Path) -> Path:
    """Where real mode keeps the embedded sandbox gateway's data: beside the bot's database."""
    return database_path.with_name(SANDBOX_FILE)


@dataclass(frozen=True)
class IssuedLinks:
    """What the sandbox's file says: the link ids it issued, or that it could not be read."""

    ids: frozenset[str]
    unreadable: bool = False


def issued_link_ids(path: Path) -> IssuedLinks | None:
    """Every link id the embedded sandbox at `path` issued; None when it never ran there.

    Read-only: the file belongs to the sandbox, which may run again later.
    """
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("SELECT link_id FROM links").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        # The sandbox ran here, but which links it made is unknown: every link whose gateway
        # was not recorded is then taken for its own (simulated data must not pass for real).
        logger.warning("could not read the sandbox gateway's links: %s", type(exc).__name__)
        return IssuedLinks(frozenset(), unreadable=True)
    return IssuedLinks(frozenset(str(r[0]) for r in rows))


@dataclass(frozen=True)
class Retired:
    """How many sandbox links were removed, and who was affected (to be told once)."""

    links: int
    users: list[int]


class SandboxLinks:
    """SQL for classifying links by gateway and removing what the sandbox made."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def classify(self, issued: IssuedLinks | None, current: str | None) -> None:
        """Gives links made before migration 22 (gateway NULL) their gateway.

        Links the sandbox issued are its own (all unrecorded ones if its file is unreadable).
        The rest were made by a real gateway: the configured one if there is a URL now;
        with none configured (guide mode, or the sandbox now) they stay unrecorded until one is.
        """
        async for attempt in self._db.attempts():
            with attempt:
                async with self._db.transaction() as tx:
                    if issued is not None and issued.unreadable:
                        await tx.execute(
                            "UPDATE links SET gateway = ? WHERE gateway IS NULL", (SANDBOX,)
                        )
                    elif issued is not None:
                        await tx.execute(
                            "UPDATE links SET gateway = ? WHERE gateway IS NULL"
                            f" AND link_id IN ({json_ids(tx.dialect, '?', 'TEXT')})",
                            (SANDBOX, json.dumps(sorted(issued.ids))),
                        )
                    if current is not None and current != SANDBOX:
                        await tx.execute(
                            "UPDATE links SET gateway = ? WHERE gateway IS NULL", (current,)
                        )

    async def retire(self, issued: IssuedLinks | None, farewell_kind: str) -> Retired:
        """Removes every link of the sandbox and what hangs on it, and schedules one farewell
        per affected volunteer, in one transaction: told once, and only if removed."""
        now = self._db.clock.now()
        async for attempt in self._db.attempts():
            with attempt:
                async with self._db.transaction() as tx:
                    rows = await tx.fetch_all(
                        "SELECT link_id FROM links WHERE gateway = ?", (SANDBOX,)
                    )
                    ids = {str(r["link_id"]) for r in rows} | set(issued.ids if issued else ())
                    held = json.dumps(sorted(ids))
                    users = await _affected(tx, held)
                    await _remove(tx, held, users)
                    await tx.execute("DELETE FROM links WHERE gateway = ?", (SANDBOX,))
                    for telegram_id in users:
                        await DueWorkRepository.schedule_in(
                            tx, farewell_kind, str(telegram_id), {}, now
                        )
        return Retired(links=len(rows), users=users)


async def _affected(tx: Transaction, held: str) -> list[int]:
    links = json_ids(tx.dialect, "?1", "TEXT")
    rows = await tx.fetch_all(
        f"""
        SELECT telegram_id FROM links WHERE gateway = 'sandbox'
        UNION SELECT telegram_id FROM status_cache
            WHERE link_id IN ({links})
        UNION SELECT telegram_id FROM sends
            WHERE link_id IN ({links})
        ORDER BY telegram_id
        """,
        (held,),
    )
    return [int(r["telegram_id"]) for r in rows]


async def _remove(tx: Transaction, held: str, users: list[int]) -> None:
    """Everything that holds simulated data or would call a gateway with a sandbox link id."""
    who = json.dumps(users)
    links = json_ids(tx.dialect, "?", "TEXT")
    people = json_ids(tx.dialect, "?")
    link_of_payload = json_text(tx.dialect, "payload", "link_id")
    # Each statement with the one JSON array it reads: the sandbox's link ids, or the
    # affected volunteers (PostgreSQL refuses a parameter a statement does not use).
    statements = (
        # The cached records first: they are the user's, found through their cache row.
        (
            f"""DELETE FROM status_records WHERE telegram_id IN (
            SELECT telegram_id FROM status_cache
            WHERE link_id IN ({links}))""",
            held,
        ),
        (f"DELETE FROM status_cache WHERE link_id IN ({links})", held),
        # What staff segments counted from it (migration 21).
        (f"DELETE FROM volunteer_facts WHERE link_id IN ({links})", held),
        # A trigger drops each send's result polls and "look on 1365" messages with it.
        (f"DELETE FROM sends WHERE link_id IN ({links})", held),
        # The sandbox's one-send-an-hour wait says nothing about a real gateway.
        (f"DELETE FROM send_waits WHERE telegram_id IN ({people})", who),
        (
            f"""DELETE FROM due_work WHERE kind IN ('send.nudge', 'link.revoke')
            AND {link_of_payload} IN ({links})""",
            held,
        ),
        (
            f"""DELETE FROM flows WHERE name IN {_GATEWAY_FLOWS!r}
            AND telegram_id IN ({people})""",
            who,
        ),
        # A consent the guide had as 'confirmed' was confirmed by simulated data.
        (
            f"""UPDATE guide_progress SET consent_1365 = 'unknown', agreed_1365_on = NULL
            WHERE consent_1365 = 'confirmed'
            AND telegram_id IN ({people})""",
            who,
        ),
        (
            f"""UPDATE guide_progress SET consent_vms = 'unknown', agreed_vms_on = NULL
            WHERE consent_vms = 'confirmed'
            AND telegram_id IN ({people})""",
            who,
        ),
    )
    for statement, array in statements:
        await tx.execute(statement, (array,))
