"""The staff desk's idempotency keys (with broadcast drafts) and its menu buttons (migration 24).

A key is issued to one staff member and lives until `expires_at`. The first POST with it
claims it ('issued' → 'running') inside one transaction, so two requests racing with one key
cannot both run; the answer is stored ('done') and returned to every later request with the
key. A refusal caused by the request itself gives the key back ('issued') to fix and resend.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from store.db import Database
from store.timestamps import to_text

ClaimState = Literal["claimed", "unknown", "running", "reused", "done"]


@dataclass(frozen=True)
class Claim:
    """What a request with a key may do: run (`claimed`), or why not; `done` carries the
    stored answer to return again."""

    state: ClaimState
    status: int | None = None
    response: dict[str, Any] | None = None
    draft: dict[str, Any] | None = None


class WebActionRepository:
    """The web_actions and web_menus tables; SQL only."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def issue(
        self,
        key: str,
        telegram_id: int,
        now: datetime,
        expires_at: datetime,
        *,
        draft: dict[str, Any] | None = None,
    ) -> None:
        """Stores a new key: one statement, one trip (pages fetch a key before every change).
        Expired keys are pruned apart (prune(), hourly due work): a claim never takes one
        whatever its row still says, so pruning is only about space."""
        await self._db.write(
            "INSERT INTO web_actions (key, telegram_id, issued_at, expires_at, state, draft)"
            " VALUES (?, ?, ?, ?, 'issued', ?)",
            (
                key,
                telegram_id,
                to_text(now),
                to_text(expires_at),
                None if draft is None else json.dumps(draft, ensure_ascii=False),
            ),
        )

    async def prune(self, now: datetime) -> int:
        """Deletes the keys expired by `now` (with their drafts and stored answers)."""
        rows = await self._db.write(
            "DELETE FROM web_actions WHERE expires_at < ? RETURNING key", (to_text(now),)
        )
        return len(rows)

    async def claim(self, key: str, telegram_id: int, path: str, now: datetime) -> Claim:
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                "SELECT state, path, status, response, draft FROM web_actions"
                " WHERE key = ? AND telegram_id = ? AND expires_at >= ?",
                (key, telegram_id, to_text(now)),
            )
            if row is None:
                return Claim("unknown")
            draft = json.loads(row["draft"]) if row["draft"] is not None else None
            if row["path"] is not None and row["path"] != path:
                return Claim("reused")
            if row["state"] == "done":
                return Claim("done", int(row["status"]), json.loads(row["response"]), draft)
            if row["state"] == "running":
                return Claim("running")
            await tx.execute(
                "UPDATE web_actions SET state = 'running', path = ? WHERE key = ?", (path, key)
            )
            return Claim("claimed", draft=draft)

    async def finish(
        self, key: str, status: int, response: dict[str, Any], about: int | None = None
    ) -> None:
        """Stores the answer; `about`: the volunteer it is about (it goes on their /forget)."""
        await self._db.write(
            "UPDATE web_actions SET state = 'done', status = ?, response = ?,"
            " about = (SELECT telegram_id FROM users WHERE telegram_id = ?) WHERE key = ?",
            (status, json.dumps(response, ensure_ascii=False), about, key),
        )

    async def release(self, key: str) -> None:
        """The request was refused for what it said: the key may be used again."""
        await self._db.write(
            "UPDATE web_actions SET state = 'issued', path = NULL WHERE key = ?", (key,)
        )

    # --- menu buttons -------------------------------------------------------------------------

    async def menus(self) -> list[int]:
        rows = await self._db.fetch_all("SELECT telegram_id FROM web_menus ORDER BY telegram_id")
        return [int(r["telegram_id"]) for r in rows]

    async def menu_set(self, telegram_id: int, now: datetime) -> None:
        await self._db.write(
            "INSERT INTO web_menus (telegram_id, set_at)"
            " SELECT telegram_id, ? FROM users WHERE telegram_id = ?"
            " ON CONFLICT (telegram_id) DO NOTHING",
            (to_text(now), telegram_id),
        )

    async def menu_dropped(self, telegram_id: int) -> None:
        await self._db.write("DELETE FROM web_menus WHERE telegram_id = ?", (telegram_id,))
