"""SqlitePersistence under a real PTB Application: state survives closing and reopening."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest, RequestData

from core.clock import FakeClock
from store.db import Database
from store.persistence import SqlitePersistence

USER_ID = 42
ASK_NAME, ASK_AGE = "ASK_NAME", "ASK_AGE"


class OfflineBotApi(BaseRequest):
    """Answers getMe locally so Application.initialize() needs no network; refuses the rest."""

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = None,
        write_timeout: object = None,
        connect_timeout: object = None,
        pool_timeout: object = None,
    ) -> tuple[int, bytes]:
        if not url.endswith("/getMe"):
            raise AssertionError(f"unexpected Bot API call: {url}")
        me = {"id": 123, "is_bot": True, "first_name": "Test", "username": "test_bot"}
        return 200, json.dumps({"ok": True, "result": me}).encode()


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    assert context.user_data is not None
    context.user_data["visits"] = context.user_data.get("visits", 0) + 1
    return ASK_NAME


async def got_name(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    assert context.user_data is not None and update.message is not None
    context.user_data["name"] = update.message.text
    return ASK_AGE


async def got_age(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    assert context.user_data is not None and update.message is not None
    context.user_data["age"] = int(update.message.text or "0")
    return ConversationHandler.END


def build(
    persistence: SqlitePersistence, errors: list[object]
) -> Application[Any, Any, Any, Any, Any, Any]:
    app = (
        ApplicationBuilder()
        .token("123:abc")
        .request(OfflineBotApi())
        .get_updates_request(OfflineBotApi())
        .persistence(persistence)
        .updater(None)
        .build()
    )
    text = filters.TEXT & ~filters.COMMAND
    app.add_handler(
        ConversationHandler(
            entry_points=[CommandHandler("start", start)],
            states={
                ASK_NAME: [MessageHandler(text, got_name)],
                ASK_AGE: [MessageHandler(text, got_age)],
            },
            fallbacks=[],
            name="conv",
            persistent=True,
        )
    )

    async def record(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.append(context.error)

    app.add_error_handler(record)
    return app


def message(update_id: int, text: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_772_442_000,
            "chat": {"id": USER_ID, "type": "private", "first_name": "Kim"},
            "from": {"id": USER_ID, "is_bot": False, "first_name": "Kim", "language_code": "ko"},
            "text": text,
        },
    }
    if text.startswith("/"):
        data["message"]["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    return data


@asynccontextmanager
async def running_bot(path: Path, clock: FakeClock) -> AsyncIterator[Any]:
    """A fresh Database + Application, as after a process restart; yields a feed function."""
    db = await Database.open(path, clock=clock)
    errors: list[object] = []
    app = build(SqlitePersistence(db), errors)
    try:
        async with app:

            async def feed(update_id: int, text: str) -> None:
                await app.process_update(Update.de_json(message(update_id, text), app.bot))

            yield feed
        assert errors == []
    finally:
        await db.close()


async def stored(path: Path, clock: FakeClock) -> tuple[dict[Any, object], dict[int, Any]]:
    db = await Database.open(path, clock=clock)
    try:
        persistence = SqlitePersistence(db)
        return await persistence.get_conversations("conv"), await persistence.get_user_data()
    finally:
        await db.close()


async def test_conversation_and_user_data_survive_restarts(db_path: Path, clock: FakeClock) -> None:
    async with running_bot(db_path, clock) as feed:
        await feed(1, "/start")
    assert await stored(db_path, clock) == (
        {(USER_ID, USER_ID): ASK_NAME},
        {USER_ID: {"visits": 1}},
    )

    # got_name only runs if the ASK_NAME state came back from the database.
    async with running_bot(db_path, clock) as feed:
        await feed(2, "Kim")
    assert await stored(db_path, clock) == (
        {(USER_ID, USER_ID): ASK_AGE},
        {USER_ID: {"visits": 1, "name": "Kim"}},
    )

    # Ending the conversation deletes its row; user_data stays.
    async with running_bot(db_path, clock) as feed:
        await feed(3, "30")
    assert await stored(db_path, clock) == (
        {},
        {USER_ID: {"visits": 1, "name": "Kim", "age": 30}},
    )
