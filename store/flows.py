"""Each user's one open flow (which, its step, its data, its button token), like an FSM state."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from store.db import Database
from store.timestamps import from_text, to_text

_COLUMNS = (
    "telegram_id, name, step, data, token, message_id, rendered, started_at, updated_at, expires_at"
)


@dataclass(frozen=True)
class FlowRow:
    """One row of `flows`; `data` is JSON text, decoded by the service."""

    telegram_id: int
    name: str
    step: str
    data: str
    token: str
    message_id: int | None  # the flow's own message, once one is sent
    rendered: str | None  # digest of what that message shows now
    started_at: datetime
    updated_at: datetime
    expires_at: datetime


def _row(row: sqlite3.Row) -> FlowRow:
    return FlowRow(
        telegram_id=row["telegram_id"],
        name=row["name"],
        step=row["step"],
        data=row["data"],
        token=row["token"],
        message_id=row["message_id"],
        rendered=row["rendered"],
        started_at=from_text(row["started_at"]),
        updated_at=from_text(row["updated_at"]),
        expires_at=from_text(row["expires_at"]),
    )


class FlowRepository:
    """One statement per call: a flow change is a single atomic write."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, telegram_id: int) -> FlowRow | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM flows WHERE telegram_id = ?", (telegram_id,)
        )
        return _row(row) if row is not None else None

    async def replace(self, row: FlowRow) -> None:
        """Stores `row` as the user's open flow, replacing whatever was open."""
        await self._db.write(
            f"""
            INSERT INTO flows ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (telegram_id) DO UPDATE SET
                name = excluded.name, step = excluded.step, data = excluded.data,
                token = excluded.token, message_id = excluded.message_id,
                rendered = excluded.rendered, started_at = excluded.started_at,
                updated_at = excluded.updated_at, expires_at = excluded.expires_at
            """,
            (
                row.telegram_id,
                row.name,
                row.step,
                row.data,
                row.token,
                row.message_id,
                row.rendered,
                to_text(row.started_at),
                to_text(row.updated_at),
                to_text(row.expires_at),
            ),
        )

    async def update(
        self,
        telegram_id: int,
        token: str,
        *,
        step: str,
        data: str,
        message_id: int | None,
        rendered: str | None,
        updated_at: datetime,
    ) -> bool:
        """Changes the flow of this token; False when it is no longer the open one."""
        rows = await self._db.write(
            "UPDATE flows SET step = ?, data = ?, message_id = ?, rendered = ?, updated_at = ? "
            "WHERE telegram_id = ? AND token = ? RETURNING telegram_id",
            (step, data, message_id, rendered, to_text(updated_at), telegram_id, token),
        )
        return bool(rows)

    async def delete(
        self, telegram_id: int, *, token: str | None = None, name: str | None = None
    ) -> tuple[str, str] | None:
        """Closes the open flow (only if it has this token / name); returns the closed flow's
        (name, token)."""
        sql = "DELETE FROM flows WHERE telegram_id = ?"
        params: list[object] = [telegram_id]
        if token is not None:
            sql += " AND token = ?"
            params.append(token)
        if name is not None:
            sql += " AND name = ?"
            params.append(name)
        rows = await self._db.write(sql + " RETURNING name, token", params)
        return (str(rows[0]["name"]), str(rows[0]["token"])) if rows else None

    async def clear_data(self, telegram_id: int, token: str) -> None:
        """Empties the data of this flow, keeping the row (it still says "expired" once)."""
        await self._db.write(
            "UPDATE flows SET data = '{}' WHERE telegram_id = ? AND token = ? AND data <> '{}'",
            (telegram_id, token),
        )

    async def clear_expired_data(self, now: datetime) -> int:
        """Empties the data of every flow expired by `now`; returns how many had some."""
        rows = await self._db.write(
            "UPDATE flows SET data = '{}' WHERE expires_at <= ? AND data <> '{}' "
            "RETURNING telegram_id",
            (to_text(now),),
        )
        return len(rows)

    async def delete_expired_before(self, cutoff: datetime) -> int:
        """Drops flows that expired before `cutoff` (abandoned for good); returns how many."""
        rows = await self._db.write(
            "DELETE FROM flows WHERE expires_at < ? RETURNING telegram_id", (to_text(cutoff),)
        )
        return len(rows)
