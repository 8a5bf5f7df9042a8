"""PTB persistence in our SQLite database, stored as JSON so it stays readable and safe.

Restriction: user_data, chat_data and bot_data must be dicts with string keys whose values are
JSON values (str, int, float, bool, None, lists, dicts with string keys). Anything that would
not come back identical (tuples, int keys, sets, objects, NaN) is refused with TypeError when
it is saved, instead of silently turning into something else on restart. The same goes for
conversation states. Callback data is never stored.
"""

from __future__ import annotations

import json
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

from store.db import Database

Data = dict[str, Any]
ConversationKey = tuple[int | str, ...]
Conversations = dict[ConversationKey, object]
# PTB's shape for callback data; spelled out here because PTB only names it privately.
CallbackData = tuple[list[tuple[str, float, dict[str, Any]]], dict[str, str]]


def _encode(value: object, what: str) -> str:
    """JSON text for a value, refusing anything that would not round-trip exactly."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{what} is not JSON-serialisable: {exc}") from exc
    if json.loads(text) != value:
        raise TypeError(f"{what} would not survive a restart unchanged (tuples? non-str keys?)")
    return text


def _encode_key(key: ConversationKey) -> str:
    # Compact separators make the text canonical, so equal keys are equal primary keys.
    return json.dumps(list(key), separators=(",", ":"))


def _decode_dict(text: str) -> Data:
    value = json.loads(text)
    if not isinstance(value, dict):
        raise TypeError(f"stored persistence data is not a JSON object: {text[:80]!r}")
    return value


class SqlitePersistence(BasePersistence[Data, Data, Data]):
    """PTB persistence in SQLite: each update_* call PTB makes is written at once.

    PTB itself calls update_* on its timer (`update_interval`) and at shutdown, so that
    interval bounds what a crash can lose; bot/app.py keeps it to a couple of seconds.
    """

    def __init__(
        self,
        db: Database,
        *,
        store_data: PersistenceInput | None = None,
        update_interval: float = 60,
    ) -> None:
        # Callback data holds arbitrary Python objects, which JSON cannot keep: always off.
        chosen = (store_data or PersistenceInput())._replace(callback_data=False)
        super().__init__(store_data=chosen, update_interval=update_interval)
        self._db = db

    async def get_user_data(self) -> dict[int, Data]:
        """Every stored user_data dict by user id."""
        rows = await self._db.fetch_all("SELECT user_id, data FROM ptb_user_data")
        return {row["user_id"]: _decode_dict(row["data"]) for row in rows}

    async def get_chat_data(self) -> dict[int, Data]:
        """Every stored chat_data dict by chat id."""
        rows = await self._db.fetch_all("SELECT chat_id, data FROM ptb_chat_data")
        return {row["chat_id"]: _decode_dict(row["data"]) for row in rows}

    async def get_bot_data(self) -> Data:
        """The stored bot_data, or an empty dict."""
        row = await self._db.fetch_one("SELECT data FROM ptb_bot_data WHERE id = 1")
        return _decode_dict(row["data"]) if row is not None else {}

    async def get_callback_data(self) -> CallbackData | None:
        """Callback data is not stored."""
        return None

    async def get_conversations(self, name: str) -> Conversations:
        """The states of handler `name`, keyed by PTB's tuple keys."""
        rows = await self._db.fetch_all(
            "SELECT key, state FROM ptb_conversations WHERE name = ?", (name,)
        )
        return {tuple(json.loads(row["key"])): json.loads(row["state"]) for row in rows}

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        """Store a conversation state, or delete it when PTB passes None."""
        encoded_key = _encode_key(key)
        async with self._db.transaction() as tx:
            if new_state is None:
                await tx.execute(
                    "DELETE FROM ptb_conversations WHERE name = ? AND key = ?", (name, encoded_key)
                )
                return
            state = _encode(new_state, f"state of conversation {name!r}")
            await tx.execute(
                "INSERT INTO ptb_conversations (name, key, state) VALUES (?, ?, ?) "
                "ON CONFLICT (name, key) DO UPDATE SET state = excluded.state",
                (name, encoded_key, state),
            )

    async def update_user_data(self, user_id: int, data: Data) -> None:
        """Save one user's user_data; an empty dict is stored as no row at all."""
        # PTB saves the user_data of everyone who sent an update, mostly {}: keeping no row
        # for those saves space, and a forgotten user's {} can never bring their id back.
        if not data:
            await self._db.write("DELETE FROM ptb_user_data WHERE user_id = ?", (user_id,))
            return
        text = _encode(data, f"user_data of user {user_id}")
        await self._db.write(
            "INSERT INTO ptb_user_data (user_id, data) VALUES (?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET data = excluded.data",
            (user_id, text),
        )

    async def update_chat_data(self, chat_id: int, data: Data) -> None:
        """Save one chat's chat_data; an empty dict is stored as no row at all."""
        if not data:
            await self._db.write("DELETE FROM ptb_chat_data WHERE chat_id = ?", (chat_id,))
            return
        text = _encode(data, f"chat_data of chat {chat_id}")
        await self._db.write(
            "INSERT INTO ptb_chat_data (chat_id, data) VALUES (?, ?) "
            "ON CONFLICT (chat_id) DO UPDATE SET data = excluded.data",
            (chat_id, text),
        )

    async def update_bot_data(self, data: Data) -> None:
        """Save bot_data."""
        text = _encode(data, "bot_data")
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO ptb_bot_data (id, data) VALUES (1, ?) "
                "ON CONFLICT (id) DO UPDATE SET data = excluded.data",
                (text,),
            )

    async def update_callback_data(self, data: CallbackData) -> None:
        """Callback data is not stored."""

    async def drop_user_data(self, user_id: int) -> None:
        """Delete one user's user_data."""
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM ptb_user_data WHERE user_id = ?", (user_id,))

    async def drop_chat_data(self, chat_id: int) -> None:
        """Delete one chat's chat_data."""
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM ptb_chat_data WHERE chat_id = ?", (chat_id,))

    async def drop_user(self, user_id: int) -> None:
        """Delete everything PTB stored about a user: user_data, private chat_data, conversations.

        Only the database is cleared. The running Application still holds its own copies, so
        callers must also call `application.drop_user_data(user_id)` and
        `application.drop_chat_data(user_id)` or the next persistence run writes them back.
        """
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM ptb_user_data WHERE user_id = ?", (user_id,))
            # A private chat's id equals the user's id; group ids are negative, so this only
            # ever hits the user's own private chat.
            await tx.execute("DELETE FROM ptb_chat_data WHERE chat_id = ?", (user_id,))
            # Keys are (chat, user), (user,) or (chat,) (+ message): any int element equal to
            # the id marks the user's entry. Filtered in Python to keep the SQL portable.
            rows = await tx.fetch_all("SELECT name, key FROM ptb_conversations")
            doomed = [
                (row["name"], row["key"])
                for row in rows
                if any(type(part) is int and part == user_id for part in json.loads(row["key"]))
            ]
            await tx.executemany("DELETE FROM ptb_conversations WHERE name = ? AND key = ?", doomed)

    async def refresh_user_data(self, user_id: int, user_data: Data) -> None:
        """Nothing outside the Application changes user_data, so there is nothing to pull."""

    async def refresh_chat_data(self, chat_id: int, chat_data: Data) -> None:
        """Nothing outside the Application changes chat_data, so there is nothing to pull."""

    async def refresh_bot_data(self, bot_data: Data) -> None:
        """Nothing outside the Application changes bot_data, so there is nothing to pull."""

    async def flush(self) -> None:
        """Writes are already committed; wait for any in flight. The Database owner closes it."""
        # Taking the database lock once means every write queued before us has finished.
        if not self._db.closed:
            await self._db.fetch_one("SELECT 1")
